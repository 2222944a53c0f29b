package generator

import (
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/internal/rt"
)

// rules reads the validation keywords of a typed schema into t.Rules, and
// its enum or const.
func (b *builder) rules(s *jsonSchema, t *model.Type) error {
	str := t.Kind == model.String || t.Kind == model.Time
	num := t.Kind == model.Integer || t.Kind == model.Number
	for _, k := range s.keys {
		switch t := keywords[k].appliesTo; {
		case t == appliesToString && !str, t == appliesToNumber && !num:
			return errorf(s.at(k), "%s applies to values of type %s, but this schema is not of type %s", k, t, t)
		}
	}
	r := &t.Rules
	if s.pattern != nil {
		p, err := compilePattern(s.pattern)
		if err != nil {
			return err
		}
		r.Pattern = p
	}
	if s.has("format") && t.Kind == model.String {
		if !slices.Contains(supportedFormats, s.format) {
			return errorf(s.at("format"), "format %q is not supported (supported: %s)", s.format, strings.Join(supportedFormats, ", "))
		}
		r.Format = s.format
		r.FormatFunc, _ = rt.FormatFunc(s.format)
	}
	r.MinLength, r.MaxLength = s.minLength, s.maxLength
	r.Minimum, r.Maximum = s.minimum, s.maximum
	r.ExclusiveMinimum, r.ExclusiveMaximum = s.exclusiveMinimum, s.exclusiveMaximum
	r.MultipleOf = s.multipleOf
	if t.Kind == model.Slice {
		r.MinItems, r.MaxItems = s.minItems, s.maxItems
	}
	if t.Kind == model.Map {
		r.MinProperties, r.MaxProperties = s.minProperties, s.maxProperties
	}
	if err := representable(s, t); err != nil {
		return err
	}
	return enum(s, t)
}

var (
	minInt64 = new(big.Rat).SetInt64(math.MinInt64)
	maxInt64 = new(big.Rat).SetUint64(math.MaxInt64)
	maxFloat = new(big.Rat).SetFloat64(math.MaxFloat64)
)

// representable refuses a number schema that allows values its Go type
// cannot hold: an int64 holds an integer exactly only within its range, a
// float64 a number only up to ±MaxFloat64. Such a value would be either
// rejected though valid, or held as another value; the author bounds it.
func representable(s *jsonSchema, t *model.Type) error {
	var lo, hi *big.Rat
	var what, within string
	switch t.Kind {
	case model.Integer:
		lo, hi, what, within = minInt64, maxInt64, "an int64", "[-9223372036854775808, 9223372036854775807]"
	case model.Number:
		lo, hi, what, within = new(big.Rat).Neg(maxFloat), maxFloat, "a float64", "±1.7976931348623157e308"
	default:
		return nil
	}
	below := func(b *model.Bound) bool { return b != nil && b.Rat.Cmp(lo) >= 0 }
	above := func(b *model.Bound) bool { return b != nil && b.Rat.Cmp(hi) <= 0 }
	if !(below(s.minimum) || below(s.exclusiveMinimum)) || !(above(s.maximum) || above(s.exclusiveMaximum)) {
		return errorf(s.src, `%s schema must be bounded for Go to hold every value it allows in %s: add "minimum" and "maximum" within %s`,
			map[string]string{"integer": "an integer", "number": "a number"}[typeOf(s)], what, within)
	}
	if t.Kind == model.Number {
		return floatRoundTrip(s)
	}
	return nil
}

// floatRoundTrip refuses a number schema under which a valid value, held in
// a float64, could be written back by json.Marshal as a value the schema
// rejects. A float64 rounds; json.Marshal writes the shortest decimal that
// reads back as the same float64. Rounding keeps order, so an inclusive
// bound that is itself such a shortest decimal is never crossed; an
// exclusive bound is, by a valid value rounding onto it; a multiple of a
// step is written back exactly only when it has at most 15 significant
// digits; an enum or const value only when it is a shortest decimal.
func floatRoundTrip(s *jsonSchema) error {
	for _, k := range []struct {
		name  string
		bound *model.Bound
	}{{"exclusiveMinimum", s.exclusiveMinimum}, {"exclusiveMaximum", s.exclusiveMaximum}} {
		if k.bound != nil {
			return errorf(s.at(k.name), `%s is refused on a number, which Go holds in a float64: a valid value next to %s rounds onto it, and json.Marshal then writes a value the schema rejects; write "%s" with the first value allowed, or use "type": "integer"`,
				k.name, k.bound.Literal, strings.ToLower(k.name[len("exclusive"):len("exclusive")+1])+k.name[len("exclusive")+1:])
		}
	}
	for _, k := range []struct {
		name  string
		bound *model.Bound
	}{{"minimum", s.minimum}, {"maximum", s.maximum}} {
		if k.bound != nil && !shortestFloat(k.bound.Rat) {
			return errorf(s.at(k.name), "%s %s is not the shortest decimal of a float64 (it reads as %s): a valid value rounding onto it would be written back as %s, which the schema rejects on one side; write %s",
				k.name, k.bound.Literal, fmtFloat(k.bound.Float), fmtFloat(k.bound.Float), fmtFloat(k.bound.Float))
		}
	}
	if m := s.multipleOf; m != nil {
		limit := new(big.Rat).SetInt64(1e15)
		scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals(m.Rat))), nil))
		for _, b := range []*model.Bound{s.minimum, s.maximum} {
			if b != nil && new(big.Rat).Mul(new(big.Rat).Abs(b.Rat), scale).Cmp(limit) >= 0 {
				return errorf(s.at("multipleOf"), "multipleOf %s is refused within bounds as wide as %s on a number, which Go holds in a float64: a multiple with more than 15 significant digits may be written back by json.Marshal as a value that is no multiple; narrow the bounds below 1e15 / 10^(decimals of the step)",
					m.Literal, b.Literal)
			}
		}
	}
	vals := s.enum
	if s.constant != nil {
		vals = append(slices.Clone(vals), s.constant)
	}
	for _, v := range vals {
		r, ok := new(big.Rat).SetString(v.str)
		if ok && !shortestFloat(r) {
			return errorf(v.src, "the value %s is not the shortest decimal of a float64: Go would hold it as another number, which json.Marshal writes back as a value the schema rejects", v.str)
		}
	}
	return nil
}

// shortestFloat reports whether r is exactly the shortest decimal of the
// float64 nearest it, as json.Marshal writes that float64.
func shortestFloat(r *big.Rat) bool {
	f, _ := r.Float64()
	back, ok := new(big.Rat).SetString(fmtFloat(f))
	return ok && back.Cmp(r) == 0
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// decimals is the number of digits after the decimal point of a finite
// decimal: 2 for 0.25, 0 for 30.
func decimals(r *big.Rat) int {
	d := new(big.Int).Set(r.Denom())
	n := 0
	ten, two, five := big.NewInt(10), big.NewInt(2), big.NewInt(5)
	for d.Cmp(big.NewInt(1)) != 0 && n < 400 {
		switch {
		case new(big.Int).Mod(d, ten).Sign() == 0:
			d.Div(d, ten)
		case new(big.Int).Mod(d, two).Sign() == 0:
			d.Div(d, two)
		case new(big.Int).Mod(d, five).Sign() == 0:
			d.Div(d, five)
		default:
			return 400 // not a finite decimal: cannot come from a JSON literal
		}
		n++
	}
	return n
}

// enum reads "enum", "const" and the open-enum idiom of a string type.
func enum(s *jsonSchema, t *model.Type) error {
	var vals []*node
	open := false
	switch {
	case isOpenEnum(s):
		vals, open = s.anyOf[0].enum, true
	case s.hasEnum:
		vals = s.enum
	case s.constant != nil:
		c := s.constant.str
		t.Rules.Const = &c
		return nil
	default:
		return nil
	}
	t.Enum = &model.Enum{Open: open, ClosedOnPurpose: s.closedOnPurpose}
	seen := map[string]bool{}
	for _, v := range vals {
		if seen[v.str] {
			continue
		}
		seen[v.str] = true
		t.Enum.Values = append(t.Enum.Values, model.EnumValue{Value: v.str})
	}
	return nil
}

// compilePattern checks that a pattern compiles and, when it is a simple
// anchored sequence, turns it into pieces checked without regexp.
func compilePattern(p *node) (*model.Pattern, error) {
	if _, err := regexp.Compile(p.str); err != nil {
		return nil, errorf(p.src, "pattern %q is not supported by Go's regexp: %v", p.str, err)
	}
	return &model.Pattern{Source: p.str, Seq: simplePattern(p.str)}, nil
}

// enumTypeClash refuses an enum or const value that the schema's own type
// rules out: a schema that can never accept it is a mistake, not a constraint.
func enumTypeClash(s *jsonSchema) error {
	if !s.hasType {
		return nil
	}
	types := s.types
	if s.null {
		types = append(slices.Clone(types), "null")
	}
	vals := s.enum
	if s.constant != nil {
		vals = append(slices.Clone(vals), s.constant)
	}
	for _, v := range vals {
		if !kindFits(v, types) {
			return errorf(v.src, "%s can never match: the schema's type is %s", v.kindName(), strings.Join(types, " or "))
		}
	}
	return nil
}

// kindFits reports whether a JSON value is of one of the types.
func kindFits(v *node, types []string) bool {
	for _, t := range types {
		switch {
		case t == "string" && v.kind == 's', t == "boolean" && v.kind == 'b', t == "null" && v.kind == 'z',
			t == "object" && v.kind == 'o', t == "array" && v.kind == 'a', t == "number" && v.kind == 'n':
			return true
		case t == "integer" && v.kind == 'n':
			if r, ok := new(big.Rat).SetString(v.str); ok && r.IsInt() {
				return true
			}
		}
	}
	return false
}
