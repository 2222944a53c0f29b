package schemadiff

import (
	"encoding/json"
	"math/big"
	"strings"
)

// formatSamples holds, for each format the generator supports, a valid
// value; "not a format" is valid under none of them.
var formatSamples = map[string]string{
	"date-time": "2025-01-10T12:03:05Z",
	"date":      "2025-01-10",
	"time":      "12:03:05Z",
	"uri":       "https://example.com/x",
	"email":     "someone@example.com",
	"hostname":  "example.com",
	"ipv4":      "192.0.2.1",
	"ipv6":      "2001:db8::1",
	"uuid":      "123e4567-e89b-12d3-a456-426614174000",
}

const notAFormat = "not a format"

// sample builds a value the schema n accepts, as far as a simple
// construction can: witnesses are verified, so a miss costs a candidate,
// never a wrong report.
func sample(n *node, depth int) any {
	if n == nil || n.never || depth > 12 {
		return nil
	}
	if len(n.enum) > 0 {
		v, _ := decode([]byte(n.enum[0]))
		return v
	}
	if len(n.anyOf) > 0 {
		return sample(n.anyOf[0], depth+1)
	}
	if len(n.oneOf) > 0 {
		return sample(n.oneOf[0], depth+1)
	}
	switch sampleType(n) {
	case "null":
		return nil
	case "boolean":
		return true
	case "integer":
		return sampleNumber(n, true)
	case "number":
		return sampleNumber(n, false)
	case "array":
		count := boundInt(n, "minItems", 0)
		out := []any{}
		for i := 0; i < count; i++ {
			out = append(out, sample(n.items, depth+1))
		}
		return out
	case "object":
		out := map[string]any{}
		for _, name := range sortedKeys(n.required) {
			out[name] = sample(n.prop[name], depth+1)
		}
		for _, name := range sortedKeys(n.prop) {
			if len(out) >= boundInt(n, "minProperties", 0) {
				break
			}
			out[name] = sample(n.prop[name], depth+1)
		}
		return out
	}
	return sampleString(n, 0)
}

// sampleType picks the JSON type of a sample: the first the schema allows,
// or the one its keywords suggest when it states none.
func sampleType(n *node) string {
	order := []string{"string", "integer", "number", "object", "array", "boolean", "null"}
	if n.types != nil {
		for _, t := range order {
			if n.types[t] {
				return t
			}
		}
		return "null"
	}
	switch {
	case n.prop != nil || n.required != nil || n.additional != nil:
		return "object"
	case n.items != nil:
		return "array"
	case n.patterns != nil || n.formats != nil || n.bounds["minLength"] != nil || n.bounds["maxLength"] != nil:
		return "string"
	case n.bounds != nil:
		return "number"
	}
	return "string"
}

// sampleString builds a string for n; variant picks among the strings its
// pattern matches.
func sampleString(n *node, variant int) string {
	s := "x"
	if len(n.formats) > 0 {
		if v, ok := formatSamples[n.formats[0]]; ok {
			s = v
		}
	}
	if len(n.patterns) > 0 {
		if m := matching(n.patterns[0]); len(m) > 0 {
			s = m[variant%len(m)]
		}
	}
	if min := boundInt(n, "minLength", 0); len([]rune(s)) < min {
		s += strings.Repeat("a", min-len([]rune(s)))
	}
	if max := boundInt(n, "maxLength", -1); max >= 0 && len([]rune(s)) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

func sampleNumber(n *node, integer bool) json.Number {
	v := new(big.Rat)
	if lo := n.bounds["minimum"]; lo != nil && v.Cmp(lo) < 0 {
		v.Set(lo)
	}
	if lo := n.bounds["exclusiveMinimum"]; lo != nil && v.Cmp(lo) <= 0 {
		v.Add(lo, big.NewRat(1, 1))
	}
	if hi := n.bounds["maximum"]; hi != nil && v.Cmp(hi) > 0 {
		v.Set(hi)
	}
	if hi := n.bounds["exclusiveMaximum"]; hi != nil && v.Cmp(hi) >= 0 {
		v.Sub(hi, big.NewRat(1, 1))
	}
	if m := n.bounds["multipleOf"]; m != nil && m.Sign() > 0 {
		q := new(big.Rat).Quo(v, m)
		k := new(big.Int).Quo(q.Num(), q.Denom())
		if new(big.Rat).SetInt(k).Cmp(q) < 0 {
			k.Add(k, big.NewInt(1))
		}
		v.Mul(new(big.Rat).SetInt(k), m)
	}
	if integer && !v.IsInt() {
		k := new(big.Int).Quo(v.Num(), v.Denom())
		v.SetInt(k.Add(k, big.NewInt(1)))
	}
	return ratNumber(v)
}

// ratNumber writes r as a JSON number: exact when its decimal expansion
// ends, to 20 places otherwise.
func ratNumber(r *big.Rat) json.Number {
	if r.IsInt() {
		return json.Number(r.Num().String())
	}
	s := r.FloatString(20)
	s = strings.TrimRight(s, "0")
	return json.Number(strings.TrimSuffix(s, "."))
}

func boundInt(n *node, k string, def int) int {
	r := n.bounds[k]
	if r == nil || !r.IsInt() || !r.Num().IsInt64() {
		return def
	}
	v := r.Num().Int64()
	if v > 1<<12 {
		v = 1 << 12
	}
	return int(v)
}

// candidates lists values to try at a change's place, most telling first:
// the change's own values, samples of both schemas, their enum values, the
// edges of their bounds, strings of their patterns and formats, and a value
// of every JSON type.
func candidates(ch *change) []any {
	var out []any
	seen := map[string]bool{}
	add := func(v any) {
		k := canonical(v)
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	for _, v := range ch.values {
		if d, err := decode([]byte(v)); err == nil {
			add(d)
		}
	}
	sides := []*node{ch.newN, ch.oldN}
	for _, n := range sides {
		add(sample(n, 0))
	}
	for _, n := range sides {
		if n == nil {
			continue
		}
		for _, v := range n.enum {
			if d, err := decode([]byte(v)); err == nil {
				add(d)
			}
		}
		for _, b := range n.anyOf {
			add(sample(b, 0))
		}
		for _, b := range n.oneOf {
			add(sample(b, 0))
		}
		for _, b := range n.allOf {
			add(sample(b, 0))
		}
		for _, p := range n.patterns {
			for _, s := range matching(p) {
				add(s)
			}
		}
		for _, f := range n.formats {
			if v, ok := formatSamples[f]; ok {
				add(v)
			}
			add(notAFormat)
		}
		for _, k := range sortedKeys(n.bounds) { // sorted: the same witnesses every run
			for _, v := range edges(n, k, n.bounds[k]) {
				add(v)
			}
		}
		if n.items != nil || n.types["array"] {
			item := sample(n.items, 1)
			add([]any{item})
			add([]any{item, item})
		}
		if obj, ok := sample(n, 0).(map[string]any); ok {
			full := map[string]any{}
			for k, v := range obj {
				full[k] = v
			}
			for _, name := range sortedKeys(n.prop) {
				if _, ok := full[name]; !ok {
					full[name] = sample(n.prop[name], 1)
				}
			}
			add(full)
			full = copyMap(full)
			full["x_krosgen"] = "x"
			add(full)
		}
	}
	for _, v := range []string{`null`, `"x"`, `""`, `0`, `1`, `-1`, `1.5`, `true`, `false`, `{}`, `[]`, `["x"]`, `{"a":1}`, `9007199254740993`, `1e300`} {
		d, _ := decode([]byte(v))
		add(d)
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// edges returns values on and around bound b of keyword k.
func edges(n *node, k string, b *big.Rat) []any {
	one := big.NewRat(1, 1)
	half := big.NewRat(1, 2)
	var out []any
	switch k {
	case "minLength", "maxLength":
		if !b.IsInt() || b.Num().Cmp(big.NewInt(4096)) > 0 {
			return nil
		}
		l := int(b.Num().Int64())
		for _, m := range []int{l - 1, l, l + 1} {
			if m < 0 {
				continue
			}
			base := sampleString(n, 0)
			rs := []rune(base)
			for len(rs) < m {
				rs = append(rs, 'a')
			}
			out = append(out, string(rs[:m]), strings.Repeat("a", m))
		}
	case "minItems", "maxItems":
		if !b.IsInt() || b.Num().Cmp(big.NewInt(64)) > 0 {
			return nil
		}
		l := int(b.Num().Int64())
		item := sample(n.items, 1)
		for _, m := range []int{l - 1, l, l + 1} {
			if m < 0 {
				continue
			}
			arr := []any{}
			for i := 0; i < m; i++ {
				arr = append(arr, item)
			}
			out = append(out, arr)
		}
	case "minProperties", "maxProperties":
		if !b.IsInt() || b.Num().Cmp(big.NewInt(64)) > 0 {
			return nil
		}
		l := int(b.Num().Int64())
		for _, m := range []int{l - 1, l, l + 1} {
			if m < 0 {
				continue
			}
			obj := map[string]any{}
			if s, ok := sample(n, 1).(map[string]any); ok {
				obj = copyMap(s)
			}
			for i := 0; len(obj) < m; i++ {
				obj["x_krosgen_"+string(rune('a'+i%26))+strings.Repeat("x", i/26)] = "x"
			}
			out = append(out, obj)
		}
	case "multipleOf":
		for _, f := range []*big.Rat{one, big.NewRat(2, 1), big.NewRat(3, 2), half, big.NewRat(7, 1), big.NewRat(-1, 1)} {
			out = append(out, ratNumber(new(big.Rat).Mul(b, f)))
		}
	default:
		for _, d := range []*big.Rat{new(big.Rat), one, new(big.Rat).Neg(one), half, new(big.Rat).Neg(half)} {
			out = append(out, ratNumber(new(big.Rat).Add(b, d)))
		}
	}
	return out
}
