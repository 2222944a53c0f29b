package generator

import (
	"slices"
	"strconv"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/internal/rt"
	"github.com/krosgen/krosgen/generator/naming"
)

// validator builds (once per schema) the validator of a schema held as raw
// JSON: the same rules as typed values, applied to the JSON as it is read,
// each to values of its own kind. base names its function.
func (b *builder) validator(s *jsonSchema, base string) (*model.Validator, error) {
	if v, ok := b.validators[s]; ok {
		return v, nil
	}
	v := &model.Validator{Func: &model.Func{Generated: true, Base: "valid" + base}, Source: s.src}
	b.validators[s] = v
	b.pkg.Validators = append(b.pkg.Validators, v)
	if s.boolean != nil {
		v.Never = !*s.boolean
		return v, nil
	}
	if s.ref != nil {
		tokens := strings.Split(s.ref.key, "/")
		rv, err := b.validator(s.ref.target, naming.GoName(tokens[len(tokens)-1]))
		if err != nil {
			return nil, err
		}
		v.AllOf = append(v.AllOf, rv)
	}
	v.Types = append(v.Types, s.types...)
	if s.null {
		v.Types = append(v.Types, "null")
	}
	// String and number rules reuse the checks of typed values.
	str := &model.Type{Kind: model.String, Source: s.src}
	num := &model.Type{Kind: model.Number, Source: s.src}
	if s.pattern != nil {
		p, err := compilePattern(s.pattern)
		if err != nil {
			return nil, err
		}
		str.Rules.Pattern = p
	}
	if s.has("format") {
		if !slices.Contains(supportedFormats, s.format) {
			return nil, errorf(s.at("format"), "format %q is not supported (supported: %s)", s.format, strings.Join(supportedFormats, ", "))
		}
		str.Rules.Format = s.format
		str.Rules.FormatFunc, _ = rt.FormatFunc(s.format)
	}
	str.Rules.MinLength, str.Rules.MaxLength = s.minLength, s.maxLength
	num.Rules.Minimum, num.Rules.Maximum = s.minimum, s.maximum
	num.Rules.ExclusiveMinimum, num.Rules.ExclusiveMaximum = s.exclusiveMinimum, s.exclusiveMaximum
	num.Rules.MultipleOf = s.multipleOf
	if !str.Rules.Empty() {
		setFuncs(str, base+"String")
		str.Decode = nil
		v.String = str
		b.ruleTypes = append(b.ruleTypes, str)
	}
	if !num.Rules.Empty() {
		setFuncs(num, base+"Number")
		num.Decode = nil
		v.Number = num
		b.ruleTypes = append(b.ruleTypes, num)
	}
	v.MinProperties, v.MaxProperties = s.minProperties, s.maxProperties
	v.MinItems, v.MaxItems = s.minItems, s.maxItems
	v.UniqueItems = s.uniqueItems
	if s.constant != nil {
		lit := s.constant.raw()
		v.Const = &lit
	}
	if s.hasEnum {
		for _, x := range s.enum {
			v.Enum = append(v.Enum, x.raw())
		}
		v.EnumEmpty = len(v.Enum) == 0
	}
	for _, r := range s.required {
		v.Required = append(v.Required, r.str)
	}
	for i, p := range s.properties {
		pv, err := b.validator(p.schema, base+propName(p.name, i))
		if err != nil {
			return nil, err
		}
		v.Properties = append(v.Properties, model.PropertyValidator{Name: p.name, Validator: pv})
	}
	var err error
	if s.additional != nil {
		if v.Additional, err = b.validator(s.additional, base+"Additional"); err != nil {
			return nil, err
		}
	}
	if s.items != nil {
		if v.Items, err = b.validator(s.items, base+"Items"); err != nil {
			return nil, err
		}
	}
	branches := func(k string, list []*jsonSchema) ([]*model.Validator, error) {
		var out []*model.Validator
		for i, e := range list {
			bv, err := b.validator(e, base+naming.GoName(k)+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			out = append(out, bv)
		}
		return out, nil
	}
	all, err := branches("allOf", s.allOf)
	if err != nil {
		return nil, err
	}
	v.AllOf = append(v.AllOf, all...)
	if v.AnyOf, err = branches("anyOf", s.anyOf); err != nil {
		return nil, err
	}
	if v.OneOf, err = branches("oneOf", s.oneOf); err != nil {
		return nil, err
	}
	if s.not != nil {
		if v.Not, err = b.validator(s.not, base+"Not"); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// propName is the part of a function name a property contributes.
func propName(name string, i int) string {
	if g := naming.GoName(name); g != "" && naming.IsASCII(g) {
		return g
	}
	return "P" + strconv.Itoa(i)
}
