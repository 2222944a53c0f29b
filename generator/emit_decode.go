package generator

import (
	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

// emitDecoders declares the single-pass decoder of every type that has one of
// its own. Each has the shape
//
//	func decodeCallID(d *decoder, key string, v *CallID) bool
//
// reading the value at key into v, checking it as it is read, and reporting
// whether a value of the right kind was there.
func emitDecoders(f *jen.File, pkg *model.Package) {
	for _, t := range pkg.Coded {
		if t.Decode == nil || !t.Decode.Generated {
			continue
		}
		if t.Check != nil || t.Kind == model.Struct || t.Validator != nil {
			f.Commentf("%s decodes %s at key, checking it as it is read.", t.Decode.Name, describeType(t))
		} else {
			f.Commentf("%s decodes %s at key.", t.Decode.Name, describeType(t))
		}
		f.Func().Id(t.Decode.Name).Params(
			jen.Id("d").Op("*").Id("decoder"), jen.Id("key").String(), jen.Id("v").Op("*").Add(typeRef(t)),
		).Bool().BlockFunc(func(g *jen.Group) {
			switch t.Kind {
			case model.Struct:
				decodeStruct(g, t)
			case model.Map:
				decodeMap(g, t)
			case model.Slice:
				decodeSlice(g, t)
			default:
				decodeLeaf(g, t)
			}
		})
	}
}

func describeType(t *model.Type) string {
	if t.Named() {
		return "a value of type " + t.GoName
	}
	return map[model.Kind]string{
		model.String: "a string", model.Integer: "an integer", model.Number: "a number",
		model.Boolean: "a boolean", model.Map: "an object", model.Slice: "an array",
	}[t.Kind]
}

// decodeLeaf reads a time or raw value through the runtime's decoder of its
// kind (other scalars have no decoder of their own: see genericDecoders):
//
//	return decodeTime(d, key, v)
func decodeLeaf(g *jen.Group, t *model.Type) {
	switch t.Kind {
	case model.Time:
		g.Return(jen.Id("decodeTime").Call(jen.Id("d"), jen.Id("key"), jen.Id("v")))
		return
	case model.Any:
		if t.Validator == nil {
			g.Return(jen.Id("decodeRaw").Call(jen.Id("d"), jen.Id("key"), jen.Id("v")))
			return
		}
		g.Id("start").Op(":=").Id("d").Dot("mark").Call()
		g.Id(t.Validator.Func.Name).Call(jen.Id("d"), jen.Id("key"))
		g.Op("*").Id("v").Op("=").Qual(pkgJSON, "RawMessage").Call(jen.Id("d").Dot("s").Index(jen.Id("start").Op(":").Id("d").Dot("i")))
		g.Return(jen.True())
		return
	}
}

// decodeStruct reads an object property by property, in one pass, marking
// each property seen in a bitset to find missing and repeated ones:
//
//	if !d.openObject(key) { return false }
//	var seen uint64
//	for k, first := "", true; d.next(&first, &k); {
//		switch k {
//		case "call_id": d.see(&seen, 0); decodeCallID(d, k, &v.CallID)
//		default: v.kept = d.keep(v.kept, k)
//		}
//	}
//	return d.closeStruct(seen, "call_id")
func decodeStruct(g *jen.Group, t *model.Type) {
	openValue(g, "openObject")
	decodeFields(g, t, nil)
	if len(t.Fields) <= 64 {
		g.Return(jen.Id("d").Dot("closeStruct").Call(requiredNames(t)...))
		return
	}
	requiredFields(g, t)
	g.Id("d").Dot("leave").Call()
	g.Return(jen.True())
}

// nextKey is the header of a loop over an object's keys.
func nextKey(g *jen.Group) *jen.Statement {
	return g.For(
		jen.List(jen.Id("k"), jen.Id("first")).Op(":=").List(jen.Lit(""), jen.True()),
		jen.Id("d").Dot("next").Call(jen.Op("&").Id("first"), jen.Op("&").Id("k")),
		jen.Empty(),
	)
}

// decodeFields declares the bitset of a struct's fields and reads its
// members into v; special, when it returns true, has decoded a field itself.
func decodeFields(g *jen.Group, t *model.Type, special func(c *jen.Group, fd *model.Field) bool) {
	if n := len(t.Fields); n > 64 {
		g.Var().Id("seen").Index(jen.Lit((n + 63) / 64)).Uint64()
	} else if n > 0 {
		g.Var().Id("seen").Uint64()
	}
	nextKey(g).Block(
		jen.Switch(jen.Id("k")).BlockFunc(func(sw *jen.Group) {
			for i, fd := range t.Fields {
				sw.Case(jen.Lit(fd.JSONName)).BlockFunc(func(c *jen.Group) {
					word := jen.Id("seen")
					if len(t.Fields) > 64 {
						word = jen.Id("seen").Index(jen.Lit(i / 64))
					}
					c.Id("d").Dot("see").Call(jen.Op("&").Add(word), jen.Lit(i%64))
					if special == nil || !special(c, fd) {
						decodeField(c, fd)
					}
				})
			}
			if t.Closed {
				sw.Default().Block(
					jen.Id("d").Dot("fail").Call(jen.Id("k"), jen.Lit("property is not allowed: additionalProperties is false")),
					jen.Id("d").Dot("skip").Call(),
				)
			} else {
				sw.Default().Block(jen.Id("v").Dot("kept").Op("=").Id("d").Dot("keep").Call(jen.Id("v").Dot("kept"), jen.Id("k")))
			}
		}),
	)
}

// requiredNames are the arguments of required and closeStruct for a struct
// of at most 64 fields: the bitset, then its properties by bit up to the
// last required one, "" for an optional one.
//
//	seen, "call_id", "", "direction"
func requiredNames(t *model.Type) []jen.Code {
	seen := jen.Id("seen")
	if len(t.Fields) == 0 {
		seen = jen.Lit(0)
	}
	names := []jen.Code{seen}
	last := -1
	for i, fd := range t.Fields {
		if fd.Required {
			last = i
		}
	}
	for _, fd := range t.Fields[:last+1] {
		name := ""
		if fd.Required {
			name = fd.JSONName
		}
		names = append(names, jen.Lit(name))
	}
	return names
}

// requiredFields reports each required field the bitset did not see.
func requiredFields(g *jen.Group, t *model.Type) {
	if len(t.Fields) <= 64 {
		if names := requiredNames(t); len(names) > 1 {
			g.Id("d").Dot("required").Call(names...)
		}
		return
	}
	for i, fd := range t.Fields {
		if fd.Required {
			g.If(seenBit(t, i).Op("==").Lit(0)).Block(
				jen.Id("d").Dot("fail").Call(jen.Lit(fd.JSONName), jen.Lit("required property is missing")),
			)
		}
	}
}

// seenBit is the bit of field i in the bitset: seen&(1<<3).
func seenBit(t *model.Type, i int) *jen.Statement {
	word := jen.Id("seen")
	if len(t.Fields) > 64 {
		word = jen.Id("seen").Index(jen.Lit(i / 64))
	}
	if i%64 == 0 {
		return word.Op("&").Lit(1)
	}
	return word.Op("&").Parens(jen.Lit(1).Op("<<").Lit(i % 64))
}

// fieldIndex is the position of a field in its struct.
func fieldIndex(t *model.Type, fd *model.Field) int {
	for i, x := range t.Fields {
		if x == fd {
			return i
		}
	}
	return -1
}

// openValue opens an object or array with the decoder method open
// (openObject, openArray), returning false when the value is of another
// type.
func openValue(g *jen.Group, open string) {
	g.If(jen.Op("!").Id("d").Dot(open).Call(jen.Id("key"))).Block(jen.Return(jen.False()))
}

// decodeCall calls the decoder of t for the value at k into ptr.
func decodeCall(t *model.Type, k, ptr jen.Code) *jen.Statement {
	args := []jen.Code{jen.Id("d"), k, ptr}
	if t.Decode.Checked {
		args = append(args, checkFunc(t))
	}
	return jen.Id(t.Decode.Name).Call(args...)
}

// checkFunc is t's checker as a value, nil when t has nothing to check.
func checkFunc(t *model.Type) jen.Code {
	if t.Check == nil {
		return jen.Nil()
	}
	return jen.Id(t.Check.Name)
}

// decodeField reads one property into its field, by the optional/nullable
// rule of fieldType.
func decodeField(g *jen.Group, fd *model.Field) {
	field := jen.Id("v").Dot(fd.GoName)
	pointer := fd.Pointer
	switch {
	case fd.Nullable:
		null := jen.Id("Nullable").Types(typeRef(fd.Type))
		set := func(val jen.Code) jen.Code {
			if pointer {
				return jen.Id("v").Dot(fd.GoName).Op("=").Op("&").Add(val)
			}
			return jen.Id("v").Dot(fd.GoName).Op("=").Add(val)
		}
		g.If(jen.Id("d").Dot("null").Call()).Block(
			set(jen.Add(null).Values()),
		).Else().Block(
			jen.Var().Id("x").Add(typeRef(fd.Type)),
			jen.If(decodeCall(fd.Type, jen.Id("k"), jen.Op("&").Id("x"))).Block(
				set(jen.Add(null).Values(jen.Dict{jen.Id("Value"): jen.Id("x"), jen.Id("Valid"): jen.True()})),
			),
		)
	case pointer:
		g.Var().Id("x").Add(typeRef(fd.Type))
		g.If(decodeCall(fd.Type, jen.Id("k"), jen.Op("&").Id("x"))).Block(
			jen.Add(field).Op("=").Op("&").Id("x"),
		)
	default:
		g.Add(decodeCall(fd.Type, jen.Id("k"), jen.Op("&").Add(field)))
	}
}

// decodeMap reads an object whose values share one schema. The map grows as
// it fills: counting the members first (as decodeSlice does) costs more on
// the small maps of webhook payloads than it saves on large ones.
//
//	m := make(Changes)
//	for k, first := "", true; d.next(&first, &k); {
//		var e Change
//		decodeChange(d, k, &e)
//		n := len(m)
//		m[k] = e
//		if len(m) == n { d.dup = true } // a repeated key, found without a second lookup
//	}
func decodeMap(g *jen.Group, t *model.Type) {
	openValue(g, "openObject")
	g.Id("m").Op(":=").Make(typeRef(t))
	nextKey(g).Block(
		jen.Var().Id("e").Add(typeRef(t.Elem)),
		decodeCall(t.Elem, jen.Id("k"), jen.Op("&").Id("e")),
		jen.Id("n").Op(":=").Len(jen.Id("m")),
		jen.Id("m").Index(jen.Id("k")).Op("=").Id("e"),
		jen.If(jen.Len(jen.Id("m")).Op("==").Id("n")).Block(jen.Id("d").Dot("dup").Op("=").True()),
	)
	sizeRules(g, t, jen.Id("d"), jen.Len(jen.Id("m")))
	g.Id("d").Dot("leave").Call()
	g.Op("*").Id("v").Op("=").Id("m")
	g.Return(jen.True())
}

// decodeSlice reads an array element by element, into storage made once:
//
//	s := make([]Tag, 0, d.members())
func decodeSlice(g *jen.Group, t *model.Type) {
	openValue(g, "openArray")
	g.Id("s").Op(":=").Make(typeRef(t), jen.Lit(0), jen.Id("d").Dot("members").Call())
	g.For(jen.Id("first").Op(":=").True(), jen.Id("d").Dot("elem").Call(jen.Op("&").Id("first")), jen.Empty()).Block(
		jen.Var().Id("e").Add(typeRef(t.Elem)),
		decodeCall(t.Elem, jen.Id("index").Call(jen.Len(jen.Id("s"))), jen.Op("&").Id("e")),
		jen.Id("s").Op("=").Append(jen.Id("s"), jen.Id("e")),
	)
	sizeRules(g, t, jen.Id("d"), jen.Len(jen.Id("s")))
	g.Id("d").Dot("leave").Call()
	g.Op("*").Id("v").Op("=").Id("s")
	g.Return(jen.True())
}
