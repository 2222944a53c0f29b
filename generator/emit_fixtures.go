package generator

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

const pkgTesting = "testing"

// Names of the test helpers every generated package declares.
const (
	examplesFunc     = "Examples"
	exampleEventFunc = "ExampleEvent"
	signedReqFunc    = "NewSignedRequest"
)

// fixtureAPI are the fixed names of the test helpers; each event's builder,
// Event.Fixture, is claimed with the event.
var fixtureAPI = []string{examplesFunc, exampleEventFunc, signedReqFunc}

// emitFixtures declares the test helpers that depend on the schemas: the
// documented examples as data and a typed builder per event seeded from its
// example. ExampleEvent and NewSignedRequest are plain Go in
// support/fixtures.go.
//
//	func Examples() map[EventType][]byte
//	func NewCallCompleted() *CallCompleted { return exampleData[*CallCompleted](EventCallCompleted) }
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
	for _, ev := range pkg.Events {
		if len(ev.Examples) == 0 || ev.Fixture == "" {
			continue
		}
		f.Commentf("%s returns the data of %s's documented example, a valid value to", ev.Fixture, ev.Type)
		f.Comment("adjust in tests.")
		f.Func().Id(ev.Fixture).Params().Op("*").Id(ev.Data.GoName).Block(
			jen.Return(jen.Id("exampleData").Index(jen.Op("*").Id(ev.Data.GoName)).Call(jen.Id(ev.ConstName))),
		)
	}
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
