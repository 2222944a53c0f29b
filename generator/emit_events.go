package generator

import (
	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

// emitEvents declares the event API: EventType and its constants, Event,
// EventData, UnknownEvent, Parse and the methods that tie them together.
func emitEvents(f *jen.File, pkg *model.Package) {
	emitEventType(f, pkg)
	emitEvent(f, &pkg.Envelope)
	emitUnknownEvent(f)
	for _, ev := range pkg.Events {
		emitEventMethods(f, ev)
	}
	emitParse(f, pkg)
	emitEventValidate(f, pkg)
}

// emitEventType declares
//
//	type EventType string
//	const (EventCallInitiated EventType = "call.initiated"; ...)
//	func EventTypes() []EventType
//	func (t EventType) Known() bool
func emitEventType(f *jen.File, pkg *model.Package) {
	docComment(f, "EventType", pkg.Envelope.EventType.Doc)
	f.Type().Id("EventType").String()
	f.Comment("The event types the schemas describe, in documentation order.")
	f.Const().DefsFunc(func(g *jen.Group) {
		for _, ev := range pkg.Events {
			docGroup(g, ev.ConstName, ev.Doc)
			g.Id(ev.ConstName).Id("EventType").Op("=").Lit(ev.Type)
		}
	})
	f.Comment("EventTypes returns every known event type, in documentation order.")
	f.Func().Id("EventTypes").Params().Index().Id("EventType").Block(
		jen.Return(jen.Index().Id("EventType").CustomFunc(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, func(g *jen.Group) {
			for _, ev := range pkg.Events {
				g.Id(ev.ConstName) // one per line
			}
		})),
	)
	f.Comment("Known reports whether t is an event type of this package.")
	f.Func().Params(jen.Id("t").Id("EventType")).Id("Known").Params().Bool().Block(
		jen.Switch(jen.Id("t")).Block(
			jen.Case(jen.CustomFunc(jen.Options{Separator: ",\n"}, func(g *jen.Group) {
				for _, ev := range pkg.Events {
					g.Id(ev.ConstName) // one per line
				}
			})).Block(jen.Return(jen.True())),
		),
		jen.Return(jen.False()),
	)
}

// emitEvent declares Event, from the envelope's fields, EventData and
// Event's JSON methods.
func emitEvent(f *jen.File, env *model.Envelope) {
	emitStruct(f, env.Struct)
	f.Comment("EventData is the data of one event type.")
	f.Type().Id("EventData").Interface(
		jen.Comment("EventType returns the event type the data belongs to."),
		jen.Id("EventType").Params().Id("EventType"),
		jen.Comment("Validate reports every way the data breaks its schema, as a"),
		jen.Comment("*ValidationError whose pointers are relative to the data."),
		jen.Id("Validate").Params().Error(),
	)
	comment(f, `UnmarshalJSON decodes and validates an event, as Parse does. Call
Parse(body) rather than json.Unmarshal(body, &ev): encoding/json first scans
the whole payload and copies it, and only then calls this method, so it
takes several times as long as Parse alone.`)
	f.Func().Params(jen.Id("e").Op("*").Id("Event")).Id("UnmarshalJSON").Params(jen.Id("b").Index().Byte()).Error().Block(
		jen.List(jen.Id("ev"), jen.Err()).Op(":=").Id("Parse").Call(jen.Id("b")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Op("*").Id("e").Op("=").Op("*").Id("ev"),
		jen.Return(jen.Nil()),
	)
}

// emitUnknownEvent declares the data of event types the package does not know.
func emitUnknownEvent(f *jen.File) {
	f.Comment("UnknownEvent is the Data of an event type this package does not know,")
	f.Comment("so that bindings generated before KrosAI added an event keep working.")
	f.Type().Id("UnknownEvent").Struct(
		jen.Comment("Type is the event type as received."),
		jen.Id("Type").Id("EventType"),
		jen.Comment("Raw is the data object as received."),
		jen.Id("Raw").Qual(pkgJSON, "RawMessage"),
	)
	f.Comment("EventType returns the event type as received; nil gives \"\".")
	f.Func().Params(jen.Id("u").Op("*").Id("UnknownEvent")).Id("EventType").Params().Id("EventType").Block(
		jen.If(jen.Id("u").Op("==").Nil()).Block(jen.Return(jen.Lit(""))),
		jen.Return(jen.Id("u").Dot("Type")),
	)
	f.Comment("Validate returns nil: there is no schema to check unknown data against.")
	f.Func().Params(jen.Op("*").Id("UnknownEvent")).Id("Validate").Params().Error().Block(jen.Return(jen.Nil()))
	f.Comment("MarshalJSON encodes the data as received.")
	f.Func().Params(jen.Id("u").Op("*").Id("UnknownEvent")).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.Len(jen.Id("u").Dot("Raw")).Op("==").Lit(0)).Block(jen.Return(jen.Index().Byte().Parens(jen.Lit("null")), jen.Nil())),
		jen.Return(jen.Id("u").Dot("Raw"), jen.Nil()),
	)
}

// emitEventMethods makes an event's data struct an EventData.
func emitEventMethods(f *jen.File, ev *model.Event) {
	name := ev.Data.GoName
	f.Commentf("EventType returns %s.", ev.ConstName)
	f.Func().Params(jen.Op("*").Id(name)).Id("EventType").Params().Id("EventType").Block(jen.Return(jen.Id(ev.ConstName)))
	f.Commentf("Validate reports every way v breaks the schema of %s.", ev.Type)
	f.Func().Params(jen.Id("v").Op("*").Id(name)).Id("Validate").Params().Error().Block(
		jen.Var().Id("c").Id("checker"),
		jen.Id(ev.Data.Check.Name).Call(jen.Op("&").Id("c"), jen.Id("v")),
		jen.Return(jen.Id("c").Dot("err").Call()),
	)
}

// emitParse declares the envelope decoder that Parse (support/parse.go)
// drives.
func emitParse(f *jen.File, pkg *model.Package) {
	env := &pkg.Envelope
	comment(f, `decodeEvent reads the envelope. The data is decoded as soon as its event
type is known: at once when "event" comes first, as KrosAI sends it, or from
the offset remembered when "data" comes first.`)
	f.Func().Id("decodeEvent").Params(jen.Id("d").Op("*").Id("decoder"), jen.Id("v").Op("*").Id("Event")).BlockFunc(func(g *jen.Group) {
		g.If(jen.Op("!").Id("d").Dot("object").Call()).Block(
			jen.Id("d").Dot("mismatch").Call(jen.Id("here"), jen.Lit("object")),
			jen.Return(),
		)
		g.Id("dataAt").Op(":=").Lit(-1)
		eventBit := fieldIndex(env.Struct, env.Event)
		decodeFields(g, env.Struct, func(c *jen.Group, fd *model.Field) bool {
			if fd != env.Data {
				return false
			}
			c.If(seenBit(env.Struct, eventBit).Op("!=").Lit(0)).Block(
				jen.Id("v").Dot("Data").Op("=").Id("decodeEventData").Call(jen.Id("d"), jen.Id("v").Dot("Type")),
			).Else().Block(
				jen.Id("d").Dot("ws").Call(),
				jen.Id("dataAt").Op("=").Id("d").Dot("i"),
				jen.Id("d").Dot("skip").Call(),
			)
			return true
		})
		g.If(jen.Id("dataAt").Op(">=").Lit(0).Op("&&").Id("d").Dot("err").Op("==").Nil()).Block(
			jen.Id("end").Op(":=").Id("d").Dot("i"),
			jen.Id("d").Dot("i").Op("=").Id("dataAt"),
			jen.Id("v").Dot("Data").Op("=").Id("decodeEventData").Call(jen.Id("d"), jen.Id("v").Dot("Type")),
			jen.Id("d").Dot("i").Op("=").Id("end"),
		)
		requiredFields(g, env.Struct)
	})

	f.Comment("decodeEventData reads the data object of an event of type t.")
	f.Func().Id("decodeEventData").Params(jen.Id("d").Op("*").Id("decoder"), jen.Id("t").Id("EventType")).Id("EventData").Block(
		jen.Switch(jen.Id("t")).BlockFunc(func(g *jen.Group) {
			for _, ev := range pkg.Events {
				g.Case(jen.Id(ev.ConstName)).Block(
					jen.Id("v").Op(":=").New(jen.Id(ev.Data.GoName)),
					jen.Id(ev.Data.Decode.Name).Call(jen.Id("d"), jen.Lit("data"), jen.Id("v")),
					jen.Return(jen.Id("v")),
				)
			}
		}),
		jen.If(jen.Id("d").Dot("kindOf").Call().Op("!=").Id("kindObject")).Block(
			jen.Id("d").Dot("mismatch").Call(jen.Lit("data"), jen.Lit("object")),
			jen.Return(jen.Nil()),
		),
		jen.Return(jen.Op("&").Id("UnknownEvent").Values(jen.Dict{
			jen.Id("Type"): jen.Id("t"),
			jen.Id("Raw"):  jen.Qual(pkgJSON, "RawMessage").Call(jen.Id("d").Dot("raw").Call()),
		})),
	)
}

// emitEventValidate declares Event.Validate, for events built in code.
// isUnknown, beside it, tells the data of an unknown event type.
func emitEventValidate(f *jen.File, pkg *model.Package) {
	env := &pkg.Envelope
	f.Comment("Validate reports every way e breaks the schema, as Parse would.")
	f.Func().Params(jen.Id("e").Op("*").Id("Event")).Id("Validate").Params().Error().BlockFunc(func(g *jen.Group) {
		g.Id("c").Op(":=").Op("&").Id("checker").Values()
		for _, fd := range env.Struct.Fields {
			if fd != env.Data {
				checkField(g, jen.Id("e"), fd)
				continue
			}
			g.Switch().Block(
				jen.Case(jen.Id("e").Dot("Data").Op("==").Nil()).Block(
					jen.Id("c").Dot("fail").Call(jen.Lit("data"), jen.Lit("required property is missing")),
				),
				jen.Case(jen.Id("e").Dot("Type").Dot("Known").Call().Op("&&").Id("isUnknown").Call(jen.Id("e").Dot("Data"))).Block(
					jen.Id("c").Dot("fail").Call(jen.Lit("data"), jen.Lit("the data of a known event type must be its own struct, not *UnknownEvent")),
				),
				jen.Case(jen.Id("e").Dot("Data").Dot("EventType").Call().Op("!=").Id("e").Dot("Type")).Block(
					jen.Id("c").Dot("fail").Call(jen.Lit("event"), jen.Id("quoted").Call(jen.String().Parens(jen.Id("e").Dot("Type")), jen.Lit(" does not match the data, which is of type ")).Op("+").String().Parens(jen.Id("e").Dot("Data").Dot("EventType").Call())),
				),
				jen.Default().Block(
					jen.If(jen.Err().Op(":=").Id("e").Dot("Data").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
						jen.Id("c").Dot("nest").Call(jen.Lit("data"), jen.Err()),
					),
				),
			)
		}
		g.Return(jen.Id("c").Dot("err").Call())
	})
	f.Comment("isUnknown reports whether d is the data of an event type the package does not know.")
	f.Func().Id("isUnknown").Params(jen.Id("d").Id("EventData")).Bool().Block(
		jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("d").Assert(jen.Op("*").Id("UnknownEvent")),
		jen.Return(jen.Id("ok")),
	)
}
