package schemadiff

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// tok is one step from a schema to a subschema, in payload terms.
type tok struct {
	kind byte   // 'p' a property, 'i' any array item, 'v' any map value
	name string // the property name
}

func (t tok) String() string {
	if t.kind == 'p' {
		return t.name
	}
	return "*"
}

func tokStrings(ts []tok) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.String()
	}
	return out
}

// change is one structural difference between the two sides, before its
// witnesses are searched.
type change struct {
	rule  Rule
	event string // the event type; "" for a change to the set of events
	at    []tok  // where, in the payload
	// oldN and newN are the schemas at the place witness values are put:
	// at, or at/<new property> for a change to additionalProperties.
	oldN, newN *node
	put        []tok // where witness values go; at when nil
	msg        string
	// expect lists the axes the rule predicts a witness on: each of them
	// without a witness is reported undecided.
	expect []Axis
	// quiet is the axis an info finding goes on when no witness is found
	// and none is expected ("" for no finding).
	quiet Axis
	// envelope marks a change the envelope made to every event.
	envelope bool
	// values are canonical JSON values to try first.
	values []string
}

func (c *change) target() []tok {
	if c.put != nil {
		return c.put
	}
	return c.at
}

// comparer walks two normalised schemas side by side.
type comparer struct {
	event   string
	changes []*change
}

func (c *comparer) add(ch *change) {
	ch.event = c.event
	c.changes = append(c.changes, ch)
}

// anyNode is the schema that accepts everything: an absent subschema.
var anyNode = &node{}

func orAny(n *node) *node {
	if n == nil {
		return anyNode
	}
	return n
}

// compare records every difference between o and n, the schemas at at.
func (c *comparer) compare(at []tok, o, n *node) {
	c.docs(at, o, n)
	if o.never || n.never {
		c.add(&change{rule: SchemaChanged, at: at, oldN: o, newN: n, msg: "the schema " + map[bool]string{true: "now accepts nothing", false: "no longer accepts nothing"}[n.never], expect: axesOf(n.never)})
		return
	}
	c.types(at, o, n)
	c.enums(at, o, n)
	c.bounds(at, o, n)
	c.strings(at, o, n)
	c.object(at, o, n)
	if o.items != nil || n.items != nil {
		c.compare(append(clone(at), tok{kind: 'i'}), orAny(o.items), orAny(n.items))
	}
	if o.unique != n.unique {
		rule, verb := ConstraintTightened, "added"
		if !n.unique {
			rule, verb = ConstraintLoosened, "removed"
		}
		c.add(&change{rule: rule, at: at, oldN: o, newN: n, msg: "uniqueItems " + verb, expect: []Axis{axisFor(rule)}})
	}
	c.rest(at, o, n)
}

func axesOf(backward bool) []Axis {
	if backward {
		return []Axis{Backward}
	}
	return []Axis{Forward}
}

// axisFor is the axis a one-directional rule predicts.
func axisFor(r Rule) Axis {
	switch r {
	case TypeNarrowed, NullableRemoved, ConstraintTightened, EnumValueRemoved, EnumClosed, RequiredAdded, AdditionalPropertiesClosed:
		return Backward
	}
	return Forward
}

func clone(ts []tok) []tok { return append([]tok{}, ts...) }

func (c *comparer) docs(at []tok, o, n *node) {
	for _, d := range []struct{ what, a, b string }{{"description", o.description, n.description}, {"title", o.title, n.title}} {
		if d.a != d.b {
			c.add(&change{rule: DocChanged, at: at, oldN: o, newN: n, msg: d.what + " changed", quiet: Source})
		}
	}
}

// nonNull returns t's types other than null; nil stays nil (any type).
func nonNull(t map[string]bool) map[string]bool {
	if t == nil {
		return nil
	}
	out := map[string]bool{}
	for k := range t {
		if k != "null" {
			out[k] = true
		}
	}
	return out
}

// covers tells whether the type set a accepts every value of type t.
func covers(a map[string]bool, t string) bool {
	return a == nil || a[t] || t == "integer" && a["number"]
}

// effectiveTypes is the set of JSON types a schema accepts values of, as
// far as its type and enum keywords tell: an enum without a type accepts
// the types of its values, an open enum strings. nil means any type.
func effectiveTypes(n *node) map[string]bool {
	if n.enum == nil {
		return n.types
	}
	if n.open {
		if n.types == nil {
			return map[string]bool{"string": true}
		}
		return n.types
	}
	of := map[string]bool{}
	for _, v := range n.enum {
		switch {
		case v == "null":
			of["null"] = true
		case v == "true" || v == "false":
			of["boolean"] = true
		case strings.HasPrefix(v, `"`):
			of["string"] = true
		case strings.HasPrefix(v, "{"):
			of["object"] = true
		case strings.HasPrefix(v, "["):
			of["array"] = true
		default:
			if r, ok := new(big.Rat).SetString(v); ok && r.IsInt() {
				of["integer"] = true
			} else {
				of["number"] = true
			}
		}
	}
	if n.types == nil {
		return of
	}
	return intersectTypes(n.types, of)
}

func (c *comparer) types(at []tok, o, n *node) {
	ot, nt := effectiveTypes(o), effectiveTypes(n)
	on, nn := nonNull(ot), nonNull(nt)
	var added, removed []string
	for _, t := range []string{"string", "number", "integer", "boolean", "object", "array"} {
		inO, inN := covers(on, t), covers(nn, t)
		switch {
		case inN && !inO:
			added = append(added, t)
		case inO && !inN:
			removed = append(removed, t)
		}
	}
	if len(added) > 0 {
		c.add(&change{rule: TypeWidened, at: at, oldN: o, newN: n, msg: "type widened to accept " + strings.Join(added, ", "), expect: []Axis{Forward}})
	}
	if len(removed) > 0 {
		c.add(&change{rule: TypeNarrowed, at: at, oldN: o, newN: n, msg: "type narrowed: no longer accepts " + strings.Join(removed, ", "), expect: []Axis{Backward}})
	}
	oNull, nNull := covers(ot, "null"), covers(nt, "null")
	switch {
	case nNull && !oNull:
		c.add(&change{rule: NullableAdded, at: at, oldN: o, newN: n, msg: "null is now accepted", expect: []Axis{Forward}, values: []string{"null"}})
	case oNull && !nNull:
		c.add(&change{rule: NullableRemoved, at: at, oldN: o, newN: n, msg: "null is no longer accepted", expect: []Axis{Backward}, values: []string{"null"}})
	}
}

func (c *comparer) enums(at []tok, o, n *node) {
	if o.enum == nil && n.enum == nil {
		return
	}
	if o.enum == nil || n.enum == nil {
		// An enum appearing or disappearing restricts or frees the values:
		// the closest rule is a constraint.
		if n.enum != nil && !n.open {
			c.add(&change{rule: ConstraintTightened, at: at, oldN: o, newN: n, msg: "values restricted to " + list(n.enum), expect: []Axis{Backward}})
		} else if o.enum != nil && !o.open {
			c.add(&change{rule: ConstraintLoosened, at: at, oldN: o, newN: n, msg: "values no longer restricted to " + list(o.enum), expect: []Axis{Forward}})
		}
		return
	}
	switch {
	case n.open && !o.open:
		c.add(&change{rule: EnumOpened, at: at, oldN: o, newN: n, msg: "enum opened: any string is accepted now", expect: []Axis{Forward}})
	case o.open && !n.open:
		c.add(&change{rule: EnumClosed, at: at, oldN: o, newN: n, msg: "enum closed: values not listed are rejected now", expect: []Axis{Backward}})
	}
	for _, v := range difference(n.enum, o.enum) {
		ch := &change{rule: EnumValueAdded, at: at, oldN: o, newN: n, values: []string{v}}
		if o.open {
			ch.msg, ch.quiet = "enum gained "+v+" (open enum: old bindings accept it)", Forward
		} else {
			ch.msg, ch.expect = "enum gained "+v+" (closed enum: old bindings reject it)", []Axis{Forward}
		}
		c.add(ch)
	}
	for _, v := range difference(o.enum, n.enum) {
		ch := &change{rule: EnumValueRemoved, at: at, oldN: o, newN: n, values: []string{v}}
		if n.open {
			ch.msg, ch.quiet = "enum lost "+v+" (open enum: still accepted)", Backward
		} else {
			ch.msg, ch.expect = "enum lost "+v, []Axis{Backward}
		}
		c.add(ch)
	}
}

func list(vals []string) string { return strings.Join(vals, ", ") }

// difference lists the elements of a not in b, in a's order.
func difference(a, b []string) []string {
	in := map[string]bool{}
	for _, v := range b {
		in[v] = true
	}
	var out []string
	for _, v := range a {
		if !in[v] {
			out = append(out, v)
		}
	}
	return out
}

func (c *comparer) bounds(at []tok, o, n *node) {
	names := map[string]bool{}
	for k := range o.bounds {
		names[k] = true
	}
	for k := range n.bounds {
		names[k] = true
	}
	for _, k := range sortedKeys(names) {
		ov, nv := o.bounds[k], n.bounds[k]
		if ov != nil && nv != nil && ov.Cmp(nv) == 0 {
			continue
		}
		tight, loose := boundChange(k, ov, nv)
		desc := fmt.Sprintf("%s %s → %s", k, ratText(ov), ratText(nv))
		if tight {
			c.add(&change{rule: ConstraintTightened, at: at, oldN: o, newN: n, msg: desc, expect: []Axis{Backward}})
		}
		if loose {
			c.add(&change{rule: ConstraintLoosened, at: at, oldN: o, newN: n, msg: desc, expect: []Axis{Forward}})
		}
	}
}

// boundChange tells whether changing keyword k from ov to nv (nil: absent)
// rejects payloads it accepted (tight) or accepts payloads it rejected
// (loose). A multipleOf change can do both.
func boundChange(k string, ov, nv *big.Rat) (tight, loose bool) {
	switch {
	case ov == nil:
		return true, false
	case nv == nil:
		return false, true
	}
	if k == "multipleOf" {
		q := new(big.Rat).Quo(nv, ov) // nv = q·ov: multiples of nv are multiples of ov when q is whole
		r := new(big.Rat).Quo(ov, nv)
		return !q.IsInt(), !r.IsInt()
	}
	lower := boundKeywords[k]
	if (nv.Cmp(ov) > 0) == lower {
		return true, false
	}
	return false, true
}

func ratText(r *big.Rat) string {
	if r == nil {
		return "(none)"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return fmt.Sprint(f)
}

func (c *comparer) strings(at []tok, o, n *node) {
	if strings.Join(o.patterns, "\x00") != strings.Join(n.patterns, "\x00") {
		msg := fmt.Sprintf("pattern %s → %s", orNone(o.patterns), orNone(n.patterns))
		var expect []Axis
		switch {
		case o.patterns == nil:
			expect = []Axis{Backward}
		case n.patterns == nil:
			expect = []Axis{Forward}
		}
		c.add(&change{rule: PatternChanged, at: at, oldN: o, newN: n, msg: msg, expect: expect, quiet: undecidedBoth})
	}
	if strings.Join(o.formats, ",") != strings.Join(n.formats, ",") {
		msg := fmt.Sprintf("format %s → %s", orNone(o.formats), orNone(n.formats))
		switch {
		case o.formats == nil:
			c.add(&change{rule: ConstraintTightened, at: at, oldN: o, newN: n, msg: msg, expect: []Axis{Backward}})
		case n.formats == nil:
			c.add(&change{rule: ConstraintLoosened, at: at, oldN: o, newN: n, msg: msg, expect: []Axis{Forward}})
		default:
			c.add(&change{rule: ConstraintTightened, at: at, oldN: o, newN: n, msg: msg, expect: []Axis{Backward}})
			c.add(&change{rule: ConstraintLoosened, at: at, oldN: o, newN: n, msg: msg, expect: []Axis{Forward}})
		}
	}
}

// undecidedBoth, as a change's quiet axis, reports a change without any
// witness as undecided on forward: the schemas differ, and no payload told
// in which direction.
const undecidedBoth Axis = "undecided"

func orNone(s []string) string {
	if s == nil {
		return "(none)"
	}
	return strings.Join(s, ", ")
}

func (c *comparer) object(at []tok, o, n *node) {
	names := map[string]bool{}
	for k := range o.prop {
		names[k] = true
	}
	for k := range n.prop {
		names[k] = true
	}
	for k := range o.required {
		names[k] = true
	}
	for k := range n.required {
		names[k] = true
	}
	oAdd, nAdd := orAny(o.additional), orAny(n.additional)
	for _, name := range sortedKeys(names) {
		here := append(clone(at), tok{kind: 'p', name: name})
		op, inO := o.prop[name]
		np, inN := n.prop[name]
		if !inO {
			op = oAdd
		}
		if !inN {
			np = nAdd
		}
		oReq, nReq := o.required[name], n.required[name]
		switch {
		case inN && !inO:
			if nReq && !oReq {
				c.add(&change{rule: RequiredAdded, at: here, oldN: op, newN: np, msg: "new required property " + name, expect: []Axis{Backward}})
			} else {
				c.add(&change{rule: PropertyAdded, at: here, oldN: op, newN: np, msg: "new optional property " + name, quiet: quietAxis(op, np, Forward)})
			}
			continue
		case inO && !inN:
			msg := "property " + name + " removed"
			if oReq {
				msg = "required property " + name + " removed"
			}
			c.add(&change{rule: PropertyRemoved, at: here, oldN: op, newN: np, msg: msg, quiet: quietAxis(op, np, Backward)})
			if oReq && !nReq {
				c.add(&change{rule: RequiredRemoved, at: here, oldN: op, newN: np, msg: name + " is no longer required", expect: []Axis{Forward}})
			}
			continue
		}
		switch {
		case nReq && !oReq:
			c.add(&change{rule: RequiredAdded, at: here, oldN: op, newN: np, msg: name + " is now required", expect: []Axis{Backward}})
		case oReq && !nReq:
			c.add(&change{rule: RequiredRemoved, at: here, oldN: op, newN: np, msg: name + " is no longer required", expect: []Axis{Forward}})
		}
		if inO || inN {
			c.compare(here, op, np)
		}
	}
	if oAdd.key() != nAdd.key() {
		extra := append(clone(at), tok{kind: 'v'})
		switch {
		case nAdd.never:
			c.add(&change{rule: AdditionalPropertiesClosed, at: at, put: extra, oldN: oAdd, newN: nAdd, msg: "additional properties are rejected now", expect: []Axis{Backward}})
		case oAdd.never:
			c.add(&change{rule: AdditionalPropertiesOpened, at: at, put: extra, oldN: oAdd, newN: nAdd, msg: "additional properties are accepted now", expect: []Axis{Forward}})
		default:
			c.compare(extra, oAdd, nAdd)
		}
	}
}

func (c *comparer) rest(at []tok, o, n *node) {
	keyOf := func(ns []*node) string { return (&node{anyOf: ns}).key() }
	type part struct {
		name string
		a, b string
	}
	parts := []part{
		{"anyOf", keyOf(o.anyOf), keyOf(n.anyOf)},
		{"oneOf", keyOf(o.oneOf), keyOf(n.oneOf)},
		{"not", o.not.key(), n.not.key()},
		{"allOf", (&node{allOf: o.allOf}).key(), (&node{allOf: n.allOf}).key()},
	}
	names := map[string]bool{}
	for k := range o.rest {
		names[k] = true
	}
	for k := range n.rest {
		names[k] = true
	}
	for _, k := range sortedKeys(names) {
		parts = append(parts, part{k, o.rest[k], n.rest[k]})
	}
	var changed []string
	for _, p := range parts {
		if p.a != p.b {
			changed = append(changed, p.name)
		}
	}
	sort.Strings(changed)
	if len(changed) > 0 {
		c.add(&change{rule: SchemaChanged, at: at, oldN: o, newN: n, msg: strings.Join(changed, ", ") + " changed", quiet: undecidedBoth})
	}
}

// quietAxis is where a property's appearance or disappearance is reported
// when no witness is found: as info on axis when the property's schema on
// both sides accepts the same (it was and is left to additionalProperties
// of the same schema, or is declared as anything), undecided otherwise.
func quietAxis(o, n *node, axis Axis) Axis {
	if o.key() == n.key() {
		return axis
	}
	return undecidedBoth
}
