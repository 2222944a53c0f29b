package generator

import (
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

// emitFixtureTests declares a test over every documented example: it parses,
// has the right event type and Go type, validates, and marshals back to
// semantically equal JSON.
func emitFixtureTests(f *jen.File, pkg *model.Package) {
	f.Comment("exampleCases holds each schema's documented examples.")
	f.Var().Id("exampleCases").Op("=").Index().Struct(
		jen.Id("name").String(),
		jen.Id("want").Id("EventType"),
		jen.Id("isType").Func().Params(jen.Id("EventData")).Bool(),
		jen.Id("payload").String(),
	).ValuesFunc(func(g *jen.Group) {
		for _, ev := range pkg.Events {
			for i, x := range ev.Examples {
				name := ev.Type
				if len(ev.Examples) > 1 {
					name += "#" + strconv.Itoa(i)
				}
				g.Values(
					jen.Lit(name),
					jen.Id(ev.ConstName),
					jen.Func().Params(jen.Id("d").Id("EventData")).Bool().Block(
						jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("d").Assert(jen.Op("*").Id(ev.Data.GoName)),
						jen.Return(jen.Id("ok")),
					),
					jen.Lit(x),
				)
			}
		}
	})
	t := jen.Id("t")
	f.Comment("TestExamples checks every documented example against the generated code.")
	f.Func().Id("TestExamples").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("tc")).Op(":=").Range().Id("exampleCases")).Block(
			jen.Id("t").Dot("Run").Call(jen.Id("tc").Dot("name"), jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
				jen.List(jen.Id("ev"), jen.Err()).Op(":=").Id("Parse").Call(jen.Index().Byte().Parens(jen.Id("tc").Dot("payload"))),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Add(t).Dot("Fatalf").Call(jen.Lit("Parse: %v"), jen.Err())),
				jen.If(jen.Id("ev").Dot("Type").Op("!=").Id("tc").Dot("want").Op("||").Id("ev").Dot("Data").Dot("EventType").Call().Op("!=").Id("tc").Dot("want")).Block(
					jen.Add(t).Dot("Fatalf").Call(jen.Lit("event type %q, data type %q; want %q"), jen.Id("ev").Dot("Type"), jen.Id("ev").Dot("Data").Dot("EventType").Call(), jen.Id("tc").Dot("want")),
				),
				jen.If(jen.Op("!").Id("tc").Dot("isType").Call(jen.Id("ev").Dot("Data"))).Block(
					jen.Add(t).Dot("Fatalf").Call(jen.Lit("data is a %T"), jen.Id("ev").Dot("Data")),
				),
				jen.If(jen.Err().Op(":=").Id("ev").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
					jen.Add(t).Dot("Fatalf").Call(jen.Lit("Validate: %v"), jen.Err()),
				),
				jen.List(jen.Id("out"), jen.Err()).Op(":=").Qual(pkgJSON, "Marshal").Call(jen.Id("ev")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Add(t).Dot("Fatalf").Call(jen.Lit("Marshal: %v"), jen.Err())),
				jen.Var().List(jen.Id("got"), jen.Id("want")).Any(),
				jen.If(jen.Err().Op(":=").Qual(pkgJSON, "Unmarshal").Call(jen.Id("out"), jen.Op("&").Id("got")), jen.Err().Op("!=").Nil()).Block(
					jen.Add(t).Dot("Fatalf").Call(jen.Lit("Unmarshal(Marshal): %v"), jen.Err()),
				),
				jen.If(jen.Err().Op(":=").Qual(pkgJSON, "Unmarshal").Call(jen.Index().Byte().Parens(jen.Id("tc").Dot("payload")), jen.Op("&").Id("want")), jen.Err().Op("!=").Nil()).Block(
					jen.Add(t).Dot("Fatalf").Call(jen.Lit("Unmarshal(example): %v"), jen.Err()),
				),
				jen.If(jen.Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("got"), jen.Id("want"))).Block(
					jen.Add(t).Dot("Errorf").Call(jen.Lit("round trip changed the payload:\n got %s\nwant %s"), jen.Id("out"), jen.Id("tc").Dot("payload")),
				),
			)),
		),
	)
}
