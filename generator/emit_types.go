package generator

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

// Import paths of the packages generated code uses.
const (
	pkgJSON    = "encoding/json"
	pkgTime    = "time"
	pkgRegexp  = "regexp"
	pkgErrors  = "errors"
	pkgUTF8    = "unicode/utf8"
	pkgMath    = "math"
	pkgStrconv = "strconv"
)

// emitTypes declares every named type of the package.
func emitTypes(f *jen.File, pkg *model.Package) {
	for _, t := range pkg.Types {
		emitType(f, t)
	}
	if pkg.UsesNullable {
		emitNullable(f)
	}
}

// emitType declares one named type, with its constants when it is an enum:
//
//	// CallID identifies a call.
//	type CallID string
func emitType(f *jen.File, t *model.Type) {
	if t.Kind == model.Struct {
		emitStruct(f, t)
		return
	}
	docComment(f, t.GoName, t.Doc)
	switch t.Kind {
	case model.Time, model.Any:
		// Aliases keep time.Time's and json.RawMessage's methods.
		f.Type().Id(t.GoName).Op("=").Add(builtin(t))
	default:
		f.Type().Id(t.GoName).Add(builtin(t))
	}
	if t.Enum != nil {
		emitEnum(f, t)
	}
}

// emitStruct declares a struct and, unless it is closed, the member that
// keeps what the schema does not declare, with the MarshalJSON that writes
// it back:
//
//	type CallCompleted struct { CallID CallID `json:"call_id"`; ...; kept string }
//	func (v CallCompleted) MarshalJSON() ([]byte, error)
func emitStruct(f *jen.File, t *model.Type) {
	docComment(f, t.GoName, t.Doc)
	f.Type().Id(t.GoName).StructFunc(func(g *jen.Group) {
		for _, fd := range t.Fields {
			docGroup(g, fd.GoName, fieldDoc(fd))
			g.Id(fd.GoName).Add(fieldType(fd)).Tag(map[string]string{"json": fieldTag(fd)})
		}
		if !t.Closed {
			g.Comment("kept holds the members the schema does not declare, to write back.")
			g.Id("kept").String()
		}
	})
	if t.Closed {
		// The same method set either way, so that closing a struct does not
		// change its API.
		f.Comment("MarshalJSON encodes v; the schema allows no other members.")
		f.Func().Params(jen.Id("v").Id(t.GoName)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
			jen.Type().Id("plain").Id(t.GoName),
			jen.Return(jen.Qual(pkgJSON, "Marshal").Call(jen.Id("plain").Call(jen.Id("v")))),
		)
		return
	}
	f.Comment("MarshalJSON encodes v with the undeclared members it was parsed with.")
	f.Func().Params(jen.Id("v").Id(t.GoName)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Type().Id("plain").Id(t.GoName),
		jen.Return(jen.Id("marshalKept").Call(jen.Id("plain").Call(jen.Id("v")), jen.Id("v").Dot("kept"))),
	)
}

// emitEnum declares the constants of a string enum and Known:
//
//	const (CallDirectionInbound CallDirection = "inbound"; ...)
//	func (v CallDirection) Known() bool
func emitEnum(f *jen.File, t *model.Type) {
	f.Commentf("Values of %s%s.", t.GoName, map[bool]string{true: " documented by KrosAI; others are accepted too", false: ""}[t.Enum.Open])
	f.Const().DefsFunc(func(g *jen.Group) {
		for _, v := range t.Enum.Values {
			g.Id(v.GoName).Id(t.GoName).Op("=").Lit(v.Value)
		}
	})
	if t.Enum.Open {
		f.Commentf("Known reports whether v is one of the values KrosAI documents. Other values are valid too: KrosAI may add some.")
	} else {
		f.Commentf("Known reports whether v is one of the values the schema allows.")
	}
	f.Func().Params(jen.Id("v").Id(t.GoName)).Id("Known").Params().Bool().Block(
		jen.Switch(jen.Id("v")).Block(
			jen.CaseFunc(func(g *jen.Group) {
				for _, v := range t.Enum.Values {
					g.Id(v.GoName)
				}
			}).Block(jen.Return(jen.True())),
		),
		jen.Return(jen.False()),
	)
}

// emitNullable declares the wrapper of nullable fields.
func emitNullable(f *jen.File) {
	f.Comment("Nullable holds a value that may be JSON null: Valid is false for null.")
	f.Type().Id("Nullable").Types(jen.Id("T").Any()).Struct(
		jen.Id("Value").Id("T"),
		jen.Id("Valid").Bool(),
	)
	f.Comment("MarshalJSON encodes null, or the value when it is valid.")
	f.Func().Params(jen.Id("n").Id("Nullable").Types(jen.Id("T"))).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.Op("!").Id("n").Dot("Valid")).Block(jen.Return(jen.Index().Byte().Parens(jen.Lit("null")), jen.Nil())),
		jen.Return(jen.Qual(pkgJSON, "Marshal").Call(jen.Id("n").Dot("Value"))),
	)
	f.Comment("UnmarshalJSON decodes null or a value.")
	f.Func().Params(jen.Id("n").Op("*").Id("Nullable").Types(jen.Id("T"))).Id("UnmarshalJSON").Params(jen.Id("b").Index().Byte()).Error().Block(
		jen.If(jen.String().Parens(jen.Id("b")).Op("==").Lit("null")).Block(
			jen.Op("*").Id("n").Op("=").Id("Nullable").Types(jen.Id("T")).Values(),
			jen.Return(jen.Nil()),
		),
		jen.Id("n").Dot("Valid").Op("=").True(),
		jen.Return(jen.Qual(pkgJSON, "Unmarshal").Call(jen.Id("b"), jen.Op("&").Id("n").Dot("Value"))),
	)
}

// typeRef is the Go type of a value: its name, or the builtin it is.
func typeRef(t *model.Type) jen.Code {
	if t.Named() {
		return jen.Id(t.GoName)
	}
	return builtin(t)
}

// builtin is the Go type a kind maps to.
func builtin(t *model.Type) jen.Code {
	switch t.Kind {
	case model.String:
		return jen.String()
	case model.Integer:
		return jen.Int64()
	case model.Number:
		return jen.Float64()
	case model.Boolean:
		return jen.Bool()
	case model.Time:
		return jen.Qual(pkgTime, "Time")
	case model.Any:
		return jen.Qual(pkgJSON, "RawMessage")
	case model.Map:
		return jen.Map(jen.String()).Add(typeRef(t.Elem))
	case model.Slice:
		return jen.Index().Add(typeRef(t.Elem))
	case model.Union:
		return jen.Id("EventData")
	}
	panic("krosgen: no builtin Go type for a struct")
}

// fieldType is the Go type of a field, as the model decided it: Nullable[T]
// when nullable, a pointer when optional and of a type whose zero cannot
// stand for "absent".
func fieldType(fd *model.Field) jen.Code {
	t := typeRef(fd.Type)
	if fd.Nullable {
		t = jen.Id("Nullable").Types(t)
	}
	if fd.Pointer {
		return jen.Op("*").Add(t)
	}
	return t
}

// fieldTag is the json struct tag: optional fields are omitted when absent.
func fieldTag(fd *model.Field) string {
	if fd.OmitZero {
		return fd.JSONName + ",omitzero"
	}
	return fd.JSONName
}

func fieldDoc(fd *model.Field) string {
	doc := fd.Doc
	switch {
	case !fd.Required && fd.Nullable:
		doc = appendSentence(doc, "Optional: nil when absent; Valid is false when null.")
	case !fd.Required:
		doc = appendSentence(doc, "Optional: nil when absent.")
	case fd.Nullable:
		doc = appendSentence(doc, "Valid is false when null.")
	}
	return doc
}

func appendSentence(doc, s string) string {
	if doc == "" {
		return s
	}
	return strings.TrimRight(doc, " ") + " " + s
}

// docComment writes a godoc comment that starts with the name, as Go style
// asks, followed by the schema's description.
func docComment(f *jen.File, name, doc string) {
	for _, line := range strings.Split(godoc(name, doc), "\n") {
		f.Comment(line) // one // line each: jennifer renders a multi-line comment as /* */
	}
}

func docGroup(g *jen.Group, name, doc string) {
	for _, line := range strings.Split(godoc(name, doc), "\n") {
		g.Comment(line)
	}
}

// godoc makes a schema's description a doc comment that is a sentence
// starting with the name, as Go style asks: "Identifies a call." on CallID
// becomes "CallID identifies a call."; "Sent when ..." becomes "X is sent
// when ..."; "The event type." becomes "Type is the event type.".
func godoc(name, doc string) string {
	doc = strings.TrimSpace(doc)
	switch {
	case doc == "":
		return name + " is not described by the schema."
	case !strings.HasPrefix(doc, name+" "):
		doc = name + " " + predicate(doc)
	}
	if last := doc[len(doc)-1]; last != '.' && last != '!' && last != '?' && last != ':' {
		doc += "."
	}
	return wrap(doc, 76)
}

// predicate turns a description into what follows the name: a verb in the
// third person stays ("Identifies"), anything else follows "is", and
// "Whether" follows "tells".
func predicate(doc string) string {
	word, _, _ := strings.Cut(doc, " ")
	lower := lowerFirst(doc)
	switch w := strings.ToLower(word); {
	case w == "whether":
		return "tells " + lower
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3 && w != "this" && w != "always":
		return lower // "Identifies a call", "Holds ..."
	}
	return "is " + lower
}

// lowerFirst lower-cases the first letter of a sentence, unless the word is
// an initialism or a quoted value ("URL of ...", "\"evt_\" ...").
func lowerFirst(s string) string {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' || (s[1] < 'a' || s[1] > 'z') && s[1] != ' ' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// wrap breaks text into lines of at most width columns where it can, keeping
// the schema's own line breaks.
func wrap(text string, width int) string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len(line)+1+len(w) > width {
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// comment writes a comment of several lines as // lines: jennifer renders a
// multi-line comment as /* */.
func comment(f *jen.File, text string) {
	for _, line := range strings.Split(text, "\n") {
		f.Comment(line)
	}
}
