package rt

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// The helpers of generated validators, which check JSON values as they are
// read without decoding them into Go values.

// mark skips white space and returns the offset of the next value.
func (d *decoder) mark() int {
	d.ws()
	return d.i
}

// passes reports whether the value at start satisfies valid, recording no
// problem either way: it is how anyOf, oneOf and not try their branches.
func (d *decoder) passes(start int, valid func(*decoder, string)) bool {
	if d.err != nil {
		return false
	}
	end, n, depth := d.i, len(d.problems), d.depth
	d.i = start
	valid(d, here)
	ok := len(d.problems) == n && d.err == nil
	d.problems = d.problems[:n]
	d.i, d.depth = end, depth
	return ok
}

// again runs valid over the value at start once more, recording its
// problems: it is how allOf applies each of its branches.
func (d *decoder) again(start int, key string, valid func(*decoder, string)) {
	if d.err != nil {
		return
	}
	end, depth := d.i, d.depth
	d.i = start
	valid(d, key)
	d.i, d.depth = end, depth
}

// anyOf applies the branches of an anyOf to the value at start. When none
// passes, it records the problems of every branch, as the reference reports
// the leaves of each failing branch rather than the anyOf itself.
func (d *decoder) anyOf(start int, key string, branches ...func(*decoder, string)) {
	if d.err != nil {
		return
	}
	end, n, depth := d.i, len(d.problems), d.depth
	for _, valid := range branches {
		m := len(d.problems)
		d.i = start
		valid(d, key)
		if d.err == nil && len(d.problems) == m {
			d.problems = d.problems[:n]
			break
		}
	}
	d.i, d.depth = end, depth
}

// oneOf applies the branches of a oneOf to the value at start. When none
// passes, it records the problems of every branch (as anyOf does); when more
// than one does, one problem with the value itself.
func (d *decoder) oneOf(start int, key string, branches ...func(*decoder, string)) {
	if d.err != nil {
		return
	}
	end, n, depth := d.i, len(d.problems), d.depth
	matched := 0
	for _, valid := range branches {
		m := len(d.problems)
		d.i = start
		valid(d, key)
		if d.err == nil && len(d.problems) == m {
			matched++
		}
	}
	d.i, d.depth = end, depth
	if matched > 0 {
		d.problems = d.problems[:n]
	}
	if matched > 1 {
		d.fail(key, "must match exactly one schema of oneOf, but matches "+strconv.Itoa(matched))
	}
}

// rawKey reads the next key of an object that a validator checks, as key
// does, and notes a key the object repeats (see decoder.dup).
func (d *decoder) rawKey(first *bool, keys *map[string]bool) (string, bool) {
	k, ok := d.key(first)
	if !ok {
		return k, ok
	}
	if *keys == nil {
		*keys = map[string]bool{}
	}
	if (*keys)[k] {
		d.dup = true
	}
	(*keys)[k] = true
	return k, ok
}

// isInteger reports whether a number literal is an integer as JSON Schema
// counts them: 1.0 and 1e2 are.
func isInteger(lit string) bool {
	_, isInt, _ := integerOf(lit)
	return isInt
}

// numberOf returns the float64 nearest a number literal.
func numberOf(lit string) float64 {
	f, _ := strconv.ParseFloat(lit, 64)
	return f
}

// jsonEqual reports whether two JSON texts are equal as JSON values: numbers
// by value (1 equals 1.0), objects whatever their key order.
func jsonEqual(a, b string) bool {
	ca, ok1 := canonicalText(a)
	cb, ok2 := canonicalText(b)
	return ok1 && ok2 && ca == cb
}

// canonicalText renders a JSON text so that equal values render the same.
func canonicalText(s string) (string, bool) {
	d := decoder{s: s}
	var b strings.Builder
	d.canonical(&b)
	d.end()
	return b.String(), d.err == nil
}

func (d *decoder) canonical(b *strings.Builder) {
	switch d.kindOf() {
	case kindString:
		s, _ := d.str()
		q, _ := json.Marshal(s)
		b.Write(q)
	case kindNumber:
		lit, _ := d.number()
		b.WriteString(canonicalNumber(lit))
	case kindObject:
		d.object()
		fields := map[string]string{}
		for first := true; ; {
			k, ok := d.key(&first)
			if !ok {
				break
			}
			var v strings.Builder
			d.canonical(&v)
			fields[k] = v.String() // the last of repeated keys wins
		}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(k)
			b.Write(q)
			b.WriteByte(':')
			b.WriteString(fields[k])
		}
		b.WriteByte('}')
	case kindArray:
		d.array()
		b.WriteByte('[')
		n := 0
		for first := true; d.elem(&first); n++ {
			if n > 0 {
				b.WriteByte(',')
			}
			d.canonical(b)
		}
		b.WriteByte(']')
	default:
		start := d.i
		d.skip()
		b.WriteString(d.s[start:d.i])
	}
}

// canonicalNumber renders a number by its exact value: equal numbers
// (1, 1.0, 10e-1) render the same.
func canonicalNumber(lit string) string {
	neg, digits, exp, ok := significand(lit)
	switch {
	case digits == "":
		return "0"
	case !ok:
		return lit // an exponent of ten digits or more: compared as written
	}
	sign := ""
	if neg {
		sign = "-"
	}
	return sign + digits + "e" + strconv.Itoa(exp)
}

// firstRepeat finds two equal values in a list of JSON texts.
func firstRepeat(items []string) (i, j int, found bool) {
	seen := make(map[string]int, len(items))
	for k, it := range items {
		c, _ := canonicalText(it)
		if prev, dup := seen[c]; dup {
			return prev, k, true
		}
		seen[c] = k
	}
	return 0, 0, false
}

// checkRaw runs a validator over a raw value built in code, recording its
// problems under key. A nil value is an absent one.
func checkRaw(c *checker, key string, v json.RawMessage, valid func(*decoder, string)) {
	if v == nil {
		return
	}
	d := decoder{s: string(v)}
	valid(&d, here)
	d.end()
	if d.err != nil {
		c.fail(key, "not well-formed JSON: "+d.err.Error())
		return
	}
	if err := d.checker.err(); err != nil {
		c.nest(key, err)
	}
}
