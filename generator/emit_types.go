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
	docComment(f, t.GoName, t.Doc)
	switch t.Kind {
	case model.Struct:
		f.Type().Id(t.GoName).StructFunc(func(g *jen.Group) {
			for _, fd := range t.Fields {
				docGroup(g, fd.GoName, fieldDoc(fd))
				g.Id(fd.GoName).Add(fieldType(fd)).Tag(map[string]string{"json": fieldTag(fd)})
			}
		})
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

func godoc(name, doc string) string {
	doc = strings.TrimSpace(doc)
	switch {
	case doc == "":
		return name + " is not described by the schema."
	case !strings.HasPrefix(doc, name+" "):
		doc = name + " " + doc
	}
	return wrap(doc, 76)
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
