package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

// emitChecks declares the check function of every type that has one. A
// scalar's records problems at key:
//
//	func checkCallID(c *checker, key string, v CallID)
//
// a struct's, map's or slice's checks the value the checker has entered:
//
//	func checkCallCompleted(c *checker, v *CallCompleted)
//
// Decoders call the scalar checks as they read; Validate methods call the
// whole tree for values built in code.
func emitChecks(f *jen.File, pkg *model.Package) {
	for _, t := range pkg.Coded {
		if t.Check == nil {
			continue
		}
		if p := t.Rules.Pattern; p != nil {
			emitPattern(f, t, p)
		}
		switch t.Kind {
		case model.Struct:
			f.Commentf("%s checks every field of v.", t.Check.Name)
			f.Func().Id(t.Check.Name).Params(jen.Id("c").Op("*").Id("checker"), jen.Id("v").Op("*").Id(t.GoName)).BlockFunc(func(g *jen.Group) {
				for _, fd := range t.Fields {
					checkField(g, jen.Id("v"), fd)
				}
			})
		case model.Map:
			f.Commentf("%s checks an object and its values.", t.Check.Name)
			f.Func().Id(t.Check.Name).Params(jen.Id("c").Op("*").Id("checker"), jen.Id("v").Add(typeRef(t))).BlockFunc(func(g *jen.Group) {
				if t.Elem.Check != nil {
					g.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Id("sortedKeys").Call(jen.Id("v"))).Block(
						append([]jen.Code{jen.Id("e").Op(":=").Id("v").Index(jen.Id("k"))}, checkValue(t.Elem, jen.Id("k"), jen.Id("e"), false)...)...,
					)
				}
				sizeRules(g, t, jen.Id("c"), jen.Len(jen.Id("v")))
			})
		case model.Slice:
			f.Commentf("%s checks an array and its elements.", t.Check.Name)
			f.Func().Id(t.Check.Name).Params(jen.Id("c").Op("*").Id("checker"), jen.Id("v").Add(typeRef(t))).BlockFunc(func(g *jen.Group) {
				if t.Elem.Check != nil {
					g.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Id("v")).Block(
						checkValue(t.Elem, jen.Id("index").Call(jen.Id("i")), jen.Id("e"), false)...,
					)
				}
				sizeRules(g, t, jen.Id("c"), jen.Len(jen.Id("v")))
			})
		case model.Any:
			f.Commentf("%s checks a raw value against its schema.", t.Check.Name)
			f.Func().Id(t.Check.Name).Params(jen.Id("c").Op("*").Id("checker"), jen.Id("key").String(), jen.Id("v").Add(typeRef(t))).Block(
				jen.Id("checkRaw").Call(jen.Id("c"), jen.Id("key"), jen.Qual(pkgJSON, "RawMessage").Call(jen.Id("v")), jen.Id(t.Validator.Func.Name)),
			)
		case model.Number:
			f.Commentf("%s records every rule of %s that v, read from the literal lit (\"\" for a value built in code), breaks.", t.Check.Name, describeType(t))
			f.Func().Id(t.Check.Name).Params(jen.Id("c").Op("*").Id("checker"), jen.Id("key").String(), jen.Id("v").Add(typeRef(t)), jen.Id("lit").String()).BlockFunc(func(g *jen.Group) {
				scalarRules(g, t)
			})
		default:
			f.Commentf("%s records every rule of %s that v breaks.", t.Check.Name, describeType(t))
			f.Func().Id(t.Check.Name).Params(jen.Id("c").Op("*").Id("checker"), jen.Id("key").String(), jen.Id("v").Add(typeRef(t))).BlockFunc(func(g *jen.Group) {
				scalarRules(g, t)
			})
		}
	}
}

// composite reports whether a type's check takes the entered value rather
// than a key.
func composite(t *model.Type) bool {
	return t.Kind == model.Struct || t.Kind == model.Map || t.Kind == model.Slice
}

// checkValue checks one value held under key k; ptr says val is a pointer
// to it.
func checkValue(t *model.Type, k, val jen.Code, ptr bool) []jen.Code {
	if !composite(t) {
		if ptr {
			val = jen.Op("*").Add(val)
		}
		if t.Kind == model.Number {
			return []jen.Code{jen.Id(t.Check.Name).Call(jen.Id("c"), k, val, jen.Lit(""))}
		}
		return []jen.Code{jen.Id(t.Check.Name).Call(jen.Id("c"), k, val)}
	}
	arg := val
	if t.Kind == model.Struct && !ptr {
		arg = jen.Op("&").Add(val)
	}
	return []jen.Code{
		jen.Id("c").Dot("enter").Call(k),
		jen.Id(t.Check.Name).Call(jen.Id("c"), arg),
		jen.Id("c").Dot("leave").Call(),
	}
}

// checkField checks a field of the struct recv, as the model represents it.
func checkField(g *jen.Group, recv *jen.Statement, fd *model.Field) {
	t := fd.Type
	if t.Check == nil {
		return
	}
	field := func() *jen.Statement { return jen.Add(recv).Dot(fd.GoName) }
	val, ptr := field(), false
	var cond []jen.Code
	switch {
	case fd.Pointer:
		cond = append(cond, field().Op("!=").Nil())
		ptr = true
	case !fd.Required:
		cond = append(cond, field().Op("!=").Nil()) // a map, slice or raw value: nil is absent
	}
	if fd.Nullable {
		cond = append(cond, field().Dot("Valid"))
		val, ptr = field().Dot("Value"), false
	}
	body := checkValue(t, jen.Lit(fd.JSONName), val, ptr)
	if len(cond) == 0 {
		for _, c := range body {
			g.Add(c)
		}
		return
	}
	g.If(joinAnd(cond)).Block(body...)
}

func joinAnd(cs []jen.Code) *jen.Statement {
	s := jen.Add(cs[0])
	for _, c := range cs[1:] {
		s = s.Op("&&").Add(c)
	}
	return s
}

// scalarRules checks a string's or number's rules, one if statement each:
//
//	if !matchCallID(string(v)) { c.fail(key, quoted(string(v), ` does not match ^call_...$`)) }
func scalarRules(g *jen.Group, t *model.Type) {
	r := t.Rules
	fail := func(msg jen.Code) jen.Code { return jen.Id("c").Dot("fail").Call(jen.Id("key"), msg) }
	switch t.Kind {
	case model.String:
		s := jen.Id("v")
		if t.Named() {
			s = jen.String().Parens(jen.Id("v"))
		}
		quoted := func(rest string) jen.Code { return jen.Id("quoted").Call(s, jen.Lit(rest)) }
		if t.Enum != nil && !t.Enum.Open {
			var names []string
			for _, v := range t.Enum.Values {
				names = append(names, v.Value)
			}
			g.If(jen.Op("!").Id("v").Dot("Known").Call()).Block(fail(quoted(" is not one of " + strings.Join(names, ", "))))
		}
		if r.Const != nil {
			g.If(jen.Add(s).Op("!=").Lit(*r.Const)).Block(fail(quoted(fmt.Sprintf(" is not %q", *r.Const))))
		}
		if r.Pattern != nil {
			var match jen.Code
			if r.Pattern.Seq != nil {
				match = jen.Id(r.Pattern.Func.Name).Call(s)
			} else {
				match = jen.Id(r.Pattern.Func.Name).Dot("MatchString").Call(s)
			}
			g.If(jen.Op("!").Add(match)).Block(fail(quoted(" does not match " + r.Pattern.Source)))
		}
		if r.Format != "" {
			g.If(jen.Op("!").Id(r.FormatFunc).Call(s)).Block(fail(quoted(" is not a valid " + r.Format)))
		}
		if r.MinLength != nil || r.MaxLength != nil {
			g.Id("n").Op(":=").Qual(pkgUTF8, "RuneCountInString").Call(s)
			if r.MinLength != nil {
				g.If(jen.Id("n").Op("<").Lit(int(*r.MinLength))).Block(fail(lengthMsg(">=", *r.MinLength)))
			}
			if r.MaxLength != nil {
				g.If(jen.Id("n").Op(">").Lit(int(*r.MaxLength))).Block(fail(lengthMsg("<=", *r.MaxLength)))
			}
		}
	case model.Integer, model.Number:
		numberRules(g, t, fail)
	}
}

// numberRules checks bounds and multipleOf exactly. An integer compares
// with untyped constants (v < 0) when the bound is a whole number within
// int64, through the runtime's decimal comparison otherwise; a number
// always compares its literal through the runtime (cmpNumber), so that no
// float64 rounding decides.
func numberRules(g *jen.Group, t *model.Type, fail func(jen.Code) jen.Code) {
	r := t.Rules
	bound := func(b *model.Bound, op, word string) {
		if b == nil {
			return
		}
		var cond *jen.Statement
		switch {
		case t.Kind == model.Integer && b.IsInt:
			cond = jen.Id("v").Op(op).Lit(int(b.Int))
			if int64(int(b.Int)) != b.Int {
				cond = jen.Id("v").Op(op).Lit(b.Int)
			}
		case t.Kind == model.Integer:
			cond = jen.Id("cmpInteger").Call(jen.Int64().Parens(jen.Id("v")), jen.Lit(b.Literal)).Op(op).Lit(0)
		default:
			cond = jen.Id("cmpNumber").Call(jen.Float64().Parens(jen.Id("v")), jen.Id("lit"), jen.Lit(b.Float), jen.Lit(b.Literal)).Op(op).Lit(0)
		}
		g.If(cond).Block(fail(jen.Lit("must be " + word + " " + b.Literal + ", but is ").Op("+").Add(formatNumber(t))))
	}
	bound(r.Minimum, "<", ">=")
	bound(r.ExclusiveMinimum, "<=", ">")
	bound(r.Maximum, ">", "<=")
	bound(r.ExclusiveMaximum, ">=", "<")
	if m := r.MultipleOf; m != nil {
		var ok jen.Code
		switch {
		case t.Kind == model.Integer && m.IsInt:
			ok = jen.Id("v").Op("%").Lit(int(m.Int)).Op("==").Lit(0)
		case t.Kind == model.Integer:
			ok = jen.Id("integerMultipleOf").Call(jen.Int64().Parens(jen.Id("v")), jen.Lit(m.Literal))
		default:
			ok = jen.Id("numberMultipleOf").Call(jen.Float64().Parens(jen.Id("v")), jen.Id("lit"), jen.Lit(m.Literal))
		}
		g.If(jen.Op("!").Parens(ok)).Block(fail(jen.Lit("must be a multiple of " + m.Literal + ", but is ").Op("+").Add(formatNumber(t))))
	}
}

func lengthMsg(op string, n int64) jen.Code {
	return jen.Lit(fmt.Sprintf("length must be %s %d, but is ", op, n)).Op("+").Qual(pkgStrconv, "Itoa").Call(jen.Id("n"))
}

func formatNumber(t *model.Type) jen.Code {
	if t.Kind == model.Integer {
		return jen.Qual(pkgStrconv, "FormatInt").Call(jen.Int64().Parens(jen.Id("v")), jen.Lit(10))
	}
	return jen.Qual(pkgStrconv, "FormatFloat").Call(jen.Float64().Parens(jen.Id("v")), jen.LitRune('g'), jen.Lit(-1), jen.Lit(64))
}

// sizeRules checks the number of properties or items of a container.
func sizeRules(g *jen.Group, t *model.Type, recv jen.Code, n jen.Code) {
	r := t.Rules
	what := "properties"
	lo, hi := r.MinProperties, r.MaxProperties
	if t.Kind == model.Slice {
		what, lo, hi = "items", r.MinItems, r.MaxItems
	}
	if lo != nil {
		g.If(jen.Add(n).Op("<").Lit(int(*lo))).Block(jen.Add(recv).Dot("fail").Call(jen.Id("here"),
			jen.Lit(fmt.Sprintf("must have at least %d %s, but has ", *lo, what)).Op("+").Qual(pkgStrconv, "Itoa").Call(n)))
	}
	if hi != nil {
		g.If(jen.Add(n).Op(">").Lit(int(*hi))).Block(jen.Add(recv).Dot("fail").Call(jen.Id("here"),
			jen.Lit(fmt.Sprintf("must have at most %d %s, but has ", *hi, what)).Op("+").Qual(pkgStrconv, "Itoa").Call(n)))
	}
}

// emitPattern declares what checks a pattern: a loop over the pieces of a
// simple pattern, or a regexp compiled once at init.
//
//	// matchCallID reports whether s matches ^call_[A-Za-z0-9_]+$.
//	func matchCallID(s string) bool
func emitPattern(f *jen.File, t *model.Type, p *model.Pattern) {
	if p.Seq == nil {
		f.Commentf("%s is the pattern of %s, compiled once.", p.Func.Name, describeType(t))
		f.Var().Id(p.Func.Name).Op("=").Qual(pkgRegexp, "MustCompile").Call(jen.Lit(p.Source))
		return
	}
	f.Commentf("%s reports whether s matches %s, without regexp.", p.Func.Name, p.Source)
	f.Func().Id(p.Func.Name).Params(jen.Id("s").String()).Bool().BlockFunc(func(g *jen.Group) {
		g.Id("i").Op(":=").Lit(0)
		seq := p.Seq
		for len(seq) > 0 {
			if lit := literalPrefix(seq); len(lit) > 1 {
				g.If(jen.Len(jen.Id("s")).Op("<").Id("i").Op("+").Lit(len(lit)).Op("||").Id("s").Index(jen.Id("i").Op(":").Id("i").Op("+").Lit(len(lit))).Op("!=").Lit(lit)).Block(jen.Return(jen.False()))
				g.Id("i").Op("+=").Lit(len(lit))
				seq = seq[len(lit):]
				continue
			}
			matchPiece(g, seq[0])
			seq = seq[1:]
		}
		g.Return(jen.Id("i").Op("==").Len(jen.Id("s")))
	})
}

// literalPrefix returns the literal text the pattern starts with: pieces of
// exactly one byte.
func literalPrefix(seq []model.Piece) string {
	var lit []byte
	for _, pc := range seq {
		if pc.Min != 1 || pc.Max != 1 || len(pc.Ranges) != 1 || pc.Ranges[0].Lo != pc.Ranges[0].Hi {
			break
		}
		lit = append(lit, pc.Ranges[0].Lo)
	}
	return string(lit)
}

// matchPiece consumes Min to Max bytes of one class, greedily.
func matchPiece(g *jen.Group, pc model.Piece) {
	in := func(idx jen.Code) jen.Code {
		b := jen.Id("s").Index(idx)
		var conds []jen.Code
		for _, r := range pc.Ranges {
			if r.Lo == r.Hi {
				conds = append(conds, jen.Add(b).Op("==").LitRune(rune(r.Lo)))
			} else {
				conds = append(conds, jen.Parens(jen.Add(b).Op(">=").LitRune(rune(r.Lo)).Op("&&").Add(b).Op("<=").LitRune(rune(r.Hi))))
			}
		}
		s := jen.Add(conds[0])
		for _, c := range conds[1:] {
			s = s.Op("||").Add(c)
		}
		return s
	}
	if pc.Min == 1 && pc.Max == 1 {
		g.If(jen.Id("i").Op(">=").Len(jen.Id("s")).Op("||").Op("!").Parens(in(jen.Id("i")))).Block(jen.Return(jen.False()))
		g.Id("i").Op("++")
		return
	}
	g.BlockFunc(func(b *jen.Group) {
		b.Id("n").Op(":=").Lit(0)
		limit := jen.Id("i").Op("<").Len(jen.Id("s"))
		if pc.Max >= 0 {
			limit = jen.Id("n").Op("<").Lit(pc.Max).Op("&&").Add(limit)
		}
		b.For(jen.Add(limit).Op("&&").Parens(in(jen.Id("i")))).Block(jen.Id("i").Op("++"), jen.Id("n").Op("++"))
		if pc.Min > 0 {
			b.If(jen.Id("n").Op("<").Lit(pc.Min)).Block(jen.Return(jen.False()))
		}
	})
}
