package generator

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
)

// emitValidators declares every validator: a function that consumes one JSON
// value and records each rule it breaks, without building a Go value.
//
//	func validX(d *decoder, key string) {
//		start := d.mark()
//		switch d.kindOf() { ... } // type, then the rules of the value's kind
//		end := d.i
//		... // enum, const, then allOf, anyOf, oneOf and not, from start
//	}
func emitValidators(f *jen.File, pkg *model.Package) {
	for _, v := range pkg.Validators {
		f.Commentf("%s checks a value against %s#%s.", v.Func.Name, schemaRel(v.Source.File), v.Source.Pointer)
		f.Func().Id(v.Func.Name).Params(jen.Id("d").Op("*").Id("decoder"), jen.Id("key").String()).BlockFunc(func(g *jen.Group) {
			validBody(g, v)
		})
	}
}

func dcall(method string, args ...jen.Code) *jen.Statement {
	return jen.Id("d").Dot(method).Call(args...)
}

func failf(msg jen.Code) jen.Code { return dcall("fail", jen.Id("key"), msg) }

func validBody(g *jen.Group, v *model.Validator) {
	if v.Never {
		g.Add(failf(jen.Lit("no value is allowed here")))
		g.Add(dcall("skip"))
		return
	}
	applicators := len(v.AllOf)+len(v.AnyOf)+len(v.OneOf) > 0 || v.Not != nil
	needStart := applicators || v.Const != nil || v.Enum != nil
	if needStart {
		g.Id("start").Op(":=").Add(dcall("mark"))
	}
	hasString, hasNumber := v.String != nil, v.Number != nil || onlyInteger(v.Types)
	hasArray := v.Items != nil || v.MinItems != nil || v.MaxItems != nil || v.UniqueItems
	if len(v.Types) == 0 && !hasString && !hasNumber && !hasObjectRules(v) && !hasArray {
		g.Add(dcall("skip"))
	} else {
		validKinds(g, v, hasString, hasNumber, hasArray)
	}
	if needStart || v.EnumEmpty {
		applyRest(g, v)
	}
}

// validKinds checks the value's type, then the rules of its kind.
func validKinds(g *jen.Group, v *model.Validator, hasString, hasNumber, hasArray bool) {
	g.Id("k").Op(":=").Add(dcall("kindOf"))
	if len(v.Types) > 0 {
		g.If(jen.Op("!").Parens(typeAllowed(v.Types))).Block(
			jen.If(jen.Id("k").Op("!=").Id("kindInvalid")).Block(
				failf(jen.Lit("expected "+strings.Join(v.Types, " or ")+", but got ").Op("+").Id("k").Dot("String").Call()),
			),
			dcall("skip"),
			jen.Return(),
		)
	}
	if !hasString && !hasNumber && !hasObjectRules(v) && !hasArray {
		g.Add(dcall("skip"))
		return
	}
	g.Switch(jen.Id("k")).BlockFunc(func(sw *jen.Group) {
		if hasString {
			sw.Case(jen.Id("kindString")).Block(
				jen.List(jen.Id("s"), jen.Id("_")).Op(":=").Add(dcall("str")),
				jen.Id(v.String.Check.Name).Call(jen.Op("&").Id("d").Dot("checker"), jen.Id("key"), jen.Id("s")),
			)
		}
		if hasNumber {
			sw.Case(jen.Id("kindNumber")).BlockFunc(func(c *jen.Group) {
				c.List(jen.Id("lit"), jen.Id("_")).Op(":=").Add(dcall("number"))
				if onlyInteger(v.Types) {
					c.If(jen.Op("!").Id("isInteger").Call(jen.Id("lit"))).Block(
						failf(jen.Lit("expected integer, but got number")),
					)
				}
				if v.Number != nil {
					c.Id(v.Number.Check.Name).Call(jen.Op("&").Id("d").Dot("checker"), jen.Id("key"), jen.Id("numberOf").Call(jen.Id("lit")), jen.Id("lit"))
				}
			})
		}
		if hasObjectRules(v) {
			sw.Case(jen.Id("kindObject")).BlockFunc(func(c *jen.Group) { validObject(c, v) })
		}
		if hasArray {
			sw.Case(jen.Id("kindArray")).BlockFunc(func(c *jen.Group) { validArray(c, v) })
		}
		sw.Default().Block(dcall("skip"))
	})
}

// applyRest checks enum and const, then the applicators, on the value again.
func applyRest(g *jen.Group, v *model.Validator) {
	g.If(jen.Id("d").Dot("err").Op("!=").Nil()).Block(jen.Return())
	if v.EnumEmpty {
		g.Add(failf(jen.Lit("no value is allowed: the enum is empty")))
	}
	if v.Const != nil || v.Enum != nil {
		g.Id("raw").Op(":=").Id("d").Dot("s").Index(jen.Id("start").Op(":").Id("d").Dot("i"))
		if v.Const != nil {
			g.If(jen.Op("!").Id("jsonEqual").Call(jen.Id("raw"), jen.Lit(*v.Const))).Block(
				failf(jen.Lit("must be " + shorten(*v.Const))),
			)
		}
		if v.Enum != nil {
			var conds []jen.Code
			for _, e := range v.Enum {
				conds = append(conds, jen.Op("!").Id("jsonEqual").Call(jen.Id("raw"), jen.Lit(e)))
			}
			g.If(joinAnd(conds)).Block(failf(jen.Lit("must be one of " + shorten(strings.Join(v.Enum, ", ")))))
		}
	}
	for _, b := range v.AllOf {
		g.Add(dcall("again", jen.Id("start"), jen.Id("key"), jen.Id(b.Func.Name)))
	}
	for _, c := range []struct {
		method   string
		branches []*model.Validator
	}{{"anyOf", v.AnyOf}, {"oneOf", v.OneOf}} {
		if len(c.branches) == 0 {
			continue
		}
		args := []jen.Code{jen.Id("start"), jen.Id("key")}
		for _, b := range c.branches {
			args = append(args, jen.Id(b.Func.Name))
		}
		g.Add(dcall(c.method, args...))
	}
	if v.Not != nil {
		g.If(dcall("passes", jen.Id("start"), jen.Id(v.Not.Func.Name))).Block(failf(jen.Lit("must not match the schema of not")))
	}
}

func shorten(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// onlyInteger reports whether "integer" is allowed but "number" is not.
func onlyInteger(types []string) bool {
	in, num := false, false
	for _, t := range types {
		in = in || t == "integer"
		num = num || t == "number"
	}
	return in && !num
}

// typeAllowed is the condition that the kind k is among types.
func typeAllowed(types []string) jen.Code {
	kinds := map[string]string{
		"string": "kindString", "integer": "kindNumber", "number": "kindNumber", "boolean": "kindBoolean",
		"null": "kindNull", "object": "kindObject", "array": "kindArray",
	}
	seen := map[string]bool{}
	var conds []jen.Code
	for _, t := range types {
		k := kinds[t]
		if seen[k] {
			continue
		}
		seen[k] = true
		conds = append(conds, jen.Id("k").Op("==").Id(k))
	}
	s := jen.Add(conds[0])
	for _, c := range conds[1:] {
		s = s.Op("||").Add(c)
	}
	return s
}

func hasObjectRules(v *model.Validator) bool {
	return len(v.Properties) > 0 || len(v.Required) > 0 || v.Additional != nil || v.MinProperties != nil || v.MaxProperties != nil
}

// validObject checks an object's properties in one pass:
//
//	d.object(); d.enter(key)
//	for first := true; ; { k, ok := d.key(&first); ...; switch k { case "a": validA(d, k) } }
func validObject(g *jen.Group, v *model.Validator) {
	g.Add(dcall("object"))
	g.Add(dcall("enter", jen.Id("key")))
	required := map[string]int{}
	for i, name := range v.Required {
		if _, dup := required[name]; !dup {
			required[name] = i
		}
	}
	if len(v.Required) > 0 {
		g.Var().Id("seen").Index(jen.Lit(len(v.Required))).Bool()
	}
	g.Var().Id("keys").Map(jen.String()).Bool() // see rawKey
	counting := v.MinProperties != nil || v.MaxProperties != nil
	if counting {
		g.Id("n").Op(":=").Lit(0)
	}
	declared := map[string]bool{}
	g.For(jen.Id("first").Op(":=").True(), jen.Empty(), jen.Empty()).BlockFunc(func(loop *jen.Group) {
		loop.List(jen.Id("pk"), jen.Id("ok")).Op(":=").Add(dcall("rawKey", jen.Op("&").Id("first"), jen.Op("&").Id("keys")))
		loop.If(jen.Op("!").Id("ok")).Block(jen.Break())
		if counting {
			loop.Id("n").Op("++")
		}
		loop.Switch(jen.Id("pk")).BlockFunc(func(sw *jen.Group) {
			names := map[string]bool{}
			for _, p := range v.Properties {
				names[p.Name] = true
			}
			for _, name := range v.Required {
				names[name] = true
			}
			for _, name := range slices.Sorted(maps.Keys(names)) {
				declared[name] = true
				sw.Case(jen.Lit(name)).BlockFunc(func(c *jen.Group) {
					if i, ok := required[name]; ok {
						c.Id("seen").Index(jen.Lit(i)).Op("=").True()
					}
					if p := propertyValidator(v, name); p != nil {
						c.Id(p.Func.Name).Call(jen.Id("d"), jen.Id("pk"))
					} else if v.Additional != nil && !hasProperty(v, name) {
						c.Id(v.Additional.Func.Name).Call(jen.Id("d"), jen.Id("pk"))
					} else {
						c.Add(dcall("skip"))
					}
				})
			}
			if v.Additional != nil {
				sw.Default().Block(jen.Id(v.Additional.Func.Name).Call(jen.Id("d"), jen.Id("pk")))
			} else {
				sw.Default().Block(dcall("skip"))
			}
		})
	})
	for i, name := range v.Required {
		if required[name] != i {
			continue
		}
		g.If(jen.Op("!").Id("seen").Index(jen.Lit(i))).Block(dcall("fail", jen.Lit(name), jen.Lit("required property is missing")))
	}
	if v.MinProperties != nil {
		g.If(jen.Id("n").Op("<").Lit(int(*v.MinProperties))).Block(dcall("fail", jen.Id("here"), jen.Lit(fmt.Sprintf("must have at least %d properties, but has ", *v.MinProperties)).Op("+").Qual(pkgStrconv, "Itoa").Call(jen.Id("n"))))
	}
	if v.MaxProperties != nil {
		g.If(jen.Id("n").Op(">").Lit(int(*v.MaxProperties))).Block(dcall("fail", jen.Id("here"), jen.Lit(fmt.Sprintf("must have at most %d properties, but has ", *v.MaxProperties)).Op("+").Qual(pkgStrconv, "Itoa").Call(jen.Id("n"))))
	}
	g.Add(dcall("leave"))
}

func propertyValidator(v *model.Validator, name string) *model.Validator {
	for _, p := range v.Properties {
		if p.Name == name {
			return p.Validator
		}
	}
	return nil
}

func hasProperty(v *model.Validator, name string) bool { return propertyValidator(v, name) != nil }

// validArray checks an array's items, their count and their uniqueness.
func validArray(g *jen.Group, v *model.Validator) {
	g.Add(dcall("array"))
	g.Add(dcall("enter", jen.Id("key")))
	g.Id("n").Op(":=").Lit(0)
	if v.UniqueItems {
		g.Var().Id("items").Index().String()
	}
	g.For(jen.Id("first").Op(":=").True(), dcall("elem", jen.Op("&").Id("first")), jen.Id("n").Op("++")).BlockFunc(func(loop *jen.Group) {
		if v.UniqueItems {
			loop.Id("at").Op(":=").Add(dcall("mark"))
		}
		if v.Items != nil {
			loop.Id(v.Items.Func.Name).Call(jen.Id("d"), jen.Id("index").Call(jen.Id("n")))
		} else {
			loop.Add(dcall("skip"))
		}
		if v.UniqueItems {
			loop.Id("items").Op("=").Append(jen.Id("items"), jen.Id("d").Dot("s").Index(jen.Id("at").Op(":").Id("d").Dot("i")))
		}
	})
	if v.MinItems != nil {
		g.If(jen.Id("n").Op("<").Lit(int(*v.MinItems))).Block(dcall("fail", jen.Id("here"), jen.Lit(fmt.Sprintf("must have at least %d items, but has ", *v.MinItems)).Op("+").Qual(pkgStrconv, "Itoa").Call(jen.Id("n"))))
	}
	if v.MaxItems != nil {
		g.If(jen.Id("n").Op(">").Lit(int(*v.MaxItems))).Block(dcall("fail", jen.Id("here"), jen.Lit(fmt.Sprintf("must have at most %d items, but has ", *v.MaxItems)).Op("+").Qual(pkgStrconv, "Itoa").Call(jen.Id("n"))))
	}
	if v.UniqueItems {
		g.If(jen.List(jen.Id("i"), jen.Id("j"), jen.Id("dup")).Op(":=").Id("firstRepeat").Call(jen.Id("items")), jen.Id("dup")).Block(
			dcall("fail", jen.Id("here"), jen.Lit("items ").Op("+").Qual(pkgStrconv, "Itoa").Call(jen.Id("i")).Op("+").Lit(" and ").Op("+").Qual(pkgStrconv, "Itoa").Call(jen.Id("j")).Op("+").Lit(" are equal")),
		)
	}
	g.Add(dcall("leave"))
}

// schemaRel names a schema file relative to its directory, so generated
// comments do not depend on where the directory was.
func schemaRel(file string) string {
	if i := strings.Index(file, "events/"); i >= 0 {
		return file[i:]
	}
	return path.Base(file)
}
