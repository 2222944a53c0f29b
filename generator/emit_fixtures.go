package generator

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

const (
	pkgBytes   = "bytes"
	pkgHTTP    = "net/http"
	pkgTesting = "testing"
)

// Names of the test helpers every generated package declares.
const (
	examplesFunc     = "Examples"
	exampleEventFunc = "ExampleEvent"
	signedReqFunc    = "NewSignedRequest"
)

// fixtureAPI are the fixed names of the test helpers; each event's builder,
// Event.Fixture, is claimed with the event.
var fixtureAPI = []string{examplesFunc, exampleEventFunc, signedReqFunc}

// emitFixtures declares the test helpers: the documented examples as data,
// a typed builder per event seeded from its example, and a signed request
// for httptest.
//
//	func Examples() map[EventType][]byte
//	func ExampleEvent(t EventType) (*Event, error)
//	func NewCallCompleted() *CallCompleted
//	func NewSignedRequest(url, secret string, ev *Event) (*http.Request, error)
func emitFixtures(f *jen.File, pkg *model.Package) {
	f.Comment("Examples returns the documented example payload of each event type (the")
	f.Comment("first of its schema's examples), compacted. Each call returns new slices,")
	f.Comment("which the caller may change.")
	f.Func().Id(examplesFunc).Params().Map(jen.Id("EventType")).Index().Byte().Block(
		jen.Return(jen.Map(jen.Id("EventType")).Index().Byte().Values(jen.DictFunc(func(d jen.Dict) {
			for _, ev := range pkg.Events {
				if len(ev.Examples) > 0 {
					d[jen.Id(ev.ConstName)] = jen.Index().Byte().Parens(rawString(compactJSON(ev.Examples[0])))
				}
			}
		}))),
	)
	f.Comment("ExampleEvent parses the documented example of t. It fails only for an")
	f.Comment("event type without an example: the generated TestExamples checks that")
	f.Comment("every example parses.")
	f.Func().Id(exampleEventFunc).Params(jen.Id("t").Id("EventType")).Params(jen.Op("*").Id("Event"), jen.Error()).Block(
		jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id(examplesFunc).Call().Index(jen.Id("t")),
		jen.If(jen.Op("!").Id("ok")).Block(
			jen.Return(jen.Nil(), jen.Qual(pkgErrors, "New").Call(jen.Lit("no documented example of event type ").Op("+").String().Parens(jen.Id("t")))),
		),
		jen.Return(jen.Id("Parse").Call(jen.Id("b"))),
	)
	for _, ev := range pkg.Events {
		if len(ev.Examples) == 0 || ev.Fixture == "" {
			continue
		}
		f.Commentf("%s returns the data of %s's documented example: a valid value", ev.Fixture, ev.Type)
		f.Comment("to adjust in tests. It panics only if the example does not parse, which")
		f.Comment("the generated TestExamples rules out.")
		f.Func().Id(ev.Fixture).Params().Op("*").Id(ev.Data.GoName).Block(
			jen.List(jen.Id("ev"), jen.Err()).Op(":=").Id(exampleEventFunc).Call(jen.Id(ev.ConstName)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Panic(jen.Err())),
			jen.Return(jen.Id("ev").Dot("Data").Assert(jen.Op("*").Id(ev.Data.GoName))),
		)
	}
	f.Comment("NewSignedRequest returns a POST request to url with ev as its JSON body,")
	f.Comment("signed with secret as KrosAI signs deliveries (the Standard Webhooks")
	f.Comment("headers of SignStandard, dated now), for a test of a Handler through")
	f.Comment("net/http/httptest. An empty secret gives an unsigned request.")
	f.Func().Id(signedReqFunc).Params(jen.List(jen.Id("url"), jen.Id("secret")).String(), jen.Id("ev").Op("*").Id("Event")).Params(jen.Op("*").Qual(pkgHTTP, "Request"), jen.Error()).Block(
		jen.List(jen.Id("body"), jen.Err()).Op(":=").Qual(pkgJSON, "Marshal").Call(jen.Id("ev")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("req"), jen.Err()).Op(":=").Qual(pkgHTTP, "NewRequest").Call(jen.Qual(pkgHTTP, "MethodPost"), jen.Id("url"), jen.Qual(pkgBytes, "NewReader").Call(jen.Id("body"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Id("req").Dot("Header").Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("application/json")),
		jen.If(jen.Id("secret").Op("==").Lit("")).Block(jen.Return(jen.Id("req"), jen.Nil())),
		jen.List(jen.Id("h"), jen.Err()).Op(":=").Id("SignStandard").Call(jen.Id("secret"), jen.String().Parens(jen.Id("ev").Dot("ID")), jen.Qual(pkgTime, "Now").Call(), jen.Id("body")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("h")).Block(
			jen.Id("req").Dot("Header").Index(jen.Id("k")).Op("=").Id("v"),
		),
		jen.Return(jen.Id("req"), jen.Nil()),
	)
}

// emitFixtureHelperTests checks the test helpers: each builder's value
// validates and is of its event, and a signed request passes the verifier.
func emitFixtureHelperTests(f *jen.File, pkg *model.Package) {
	f.Comment("TestFixtures checks each documented example's builder and that")
	f.Comment("NewSignedRequest signs what StandardVerifier accepts.")
	f.Func().Id("TestFixtures").Params(jen.Id("t").Op("*").Qual(pkgTesting, "T")).BlockFunc(func(g *jen.Group) {
		g.Id("builders").Op(":=").Map(jen.Id("EventType")).Func().Params().Id("EventData").Values(jen.DictFunc(func(d jen.Dict) {
			for _, ev := range pkg.Events {
				if len(ev.Examples) > 0 && ev.Fixture != "" {
					d[jen.Id(ev.ConstName)] = jen.Func().Params().Id("EventData").Block(jen.Return(jen.Id(ev.Fixture).Call()))
				}
			}
		}))
		g.If(jen.Len(jen.Id("builders")).Op("!=").Len(jen.Id(examplesFunc).Call())).Block(
			jen.Id("t").Dot("Fatalf").Call(jen.Lit("%d builders for %d examples"), jen.Len(jen.Id("builders")), jen.Len(jen.Id(examplesFunc).Call())),
		)
		g.Const().Id("secret").Op("=").Lit("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
		g.List(jen.Id("verifier"), jen.Err()).Op(":=").Id("NewStandardVerifier").Call(jen.Index().String().Values(jen.Id("secret")))
		g.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err()))
		g.For(jen.List(jen.Id("typ"), jen.Id("build")).Op(":=").Range().Id("builders")).Block(
			jen.Id("data").Op(":=").Id("build").Call(),
			jen.If(jen.Id("data").Dot("EventType").Call().Op("!=").Id("typ")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("the builder of %s gives data of %s"), jen.Id("typ"), jen.Id("data").Dot("EventType").Call()),
			),
			jen.List(jen.Id("ev"), jen.Err()).Op(":=").Id(exampleEventFunc).Call(jen.Id("typ")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
			jen.Id("ev").Dot("Data").Op("=").Id("data"),
			jen.If(jen.Err().Op(":=").Id("ev").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: the builder's value does not validate: %v"), jen.Id("typ"), jen.Err()),
			),
			jen.List(jen.Id("req"), jen.Err()).Op(":=").Id(signedReqFunc).Call(jen.Lit("http://127.0.0.1/webhooks"), jen.Id("secret"), jen.Id("ev")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
			jen.List(jen.Id("body"), jen.Err()).Op(":=").Qual("io", "ReadAll").Call(jen.Id("req").Dot("Body")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
			jen.If(jen.Err().Op(":=").Id("verifier").Dot("Verify").Call(jen.Id("req"), jen.Id("body")), jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: the signed request does not verify: %v"), jen.Id("typ"), jen.Err()),
			),
			jen.If(jen.List(jen.Id("back"), jen.Err()).Op(":=").Id("Parse").Call(jen.Id("body")), jen.Err().Op("!=").Nil().Op("||").Id("back").Dot("Type").Op("!=").Id("typ")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: the request body does not parse back: %v"), jen.Id("typ"), jen.Err()),
			),
		)
	})
}

// rawString renders s as a raw string literal, which keeps a JSON text
// readable, or quoted when it holds a backquote or a carriage return.
func rawString(s string) jen.Code {
	if strings.ContainsAny(s, "`\r") {
		return jen.Lit(s)
	}
	return jen.Id("`" + s + "`")
}

// compactJSON removes the layout of a documented example; it is valid JSON,
// the loader checked.
func compactJSON(s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}
