package schemadiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"path"
	"sort"
	"strings"
)

// node is one schema, normalised for comparison: every $ref resolved and
// merged with its siblings, allOf folded in where that is exact, and each
// keyword read once into a typed field. Two schemas that accept the same
// payloads through different definitions normalise to equal nodes.
type node struct {
	never bool            // the false schema: nothing is valid
	types map[string]bool // nil: any type
	// enum lists the allowed values as canonical JSON, nil when unrestricted
	// ("const" is an enum of one).
	enum []string
	// open marks the open-enum idiom anyOf [{enum}, {type: string}]: the
	// values are listed, but any string is accepted.
	open bool

	props      []string // property names, in schema order
	prop       map[string]*node
	required   map[string]bool
	additional *node // nil when absent (any value)
	items      *node // nil when absent

	patterns []string
	formats  []string
	// bounds holds the numeric keywords (minimum, maxLength, minItems...).
	bounds map[string]*big.Rat
	unique bool

	title, description string

	// anyOf, oneOf and not keep their branches; rest holds any other
	// keyword as canonical JSON (of normalised subschemas where it has
	// some), compared as a whole.
	anyOf, oneOf []*node
	not          *node
	allOf        []*node // conjuncts that could not be merged exactly
	rest         map[string]string
}

// boundKeywords are the numeric keywords, each with the direction in which
// a larger value accepts fewer payloads.
var boundKeywords = map[string]bool{ // true: a lower bound (larger is tighter)
	"minimum": true, "exclusiveMinimum": true, "minLength": true, "minItems": true, "minProperties": true,
	"maximum": false, "exclusiveMaximum": false, "maxLength": false, "maxItems": false, "maxProperties": false,
}

// annotationKeywords change no payload's validity.
var annotationKeywords = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "$defs": true, "definitions": true,
	"examples": true, "default": true, "deprecated": true, "readOnly": true, "writeOnly": true,
	"title": true, "description": true, "$anchor": true,
}

// normaliser turns raw schema documents into nodes.
type normaliser struct {
	docs  map[string]any // file name → decoded document
	depth int
}

// decode reads JSON keeping numbers exact.
func decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// canonical renders a decoded JSON value with sorted keys and no space.
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

// resolve finds the target of ref as written in file.
func (n *normaliser) resolve(file, ref string) (string, any, error) {
	target, frag, _ := strings.Cut(ref, "#")
	if target == "" {
		target = file
	} else {
		target = path.Clean(path.Join(path.Dir(file), target))
	}
	v, ok := n.docs[target]
	if !ok {
		return "", nil, fmt.Errorf("$ref %q: no schema file %s", ref, target)
	}
	if frag == "" {
		return target, v, nil
	}
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			v, ok = x[tok]
		case []any:
			var i int
			_, err := fmt.Sscanf(tok, "%d", &i)
			ok = err == nil && i >= 0 && i < len(x)
			if ok {
				v = x[i]
			}
		default:
			ok = false
		}
		if !ok {
			return "", nil, fmt.Errorf("$ref %q: nothing at that pointer", ref)
		}
	}
	return target, v, nil
}

// maxDepth bounds $ref chains; the generator refuses recursive schemas, so
// only a broken set reaches it.
const maxDepth = 64

// normalise reads the schema raw, found in file.
func (n *normaliser) normalise(file string, raw any) (*node, error) {
	n.depth++
	defer func() { n.depth-- }()
	if n.depth > maxDepth {
		return nil, fmt.Errorf("%s: schema nested or referenced deeper than %d levels", file, maxDepth)
	}
	switch x := raw.(type) {
	case bool:
		return &node{never: !x}, nil
	case map[string]any:
		return n.object(file, x)
	}
	return nil, fmt.Errorf("%s: a schema must be an object or a boolean", file)
}

func (n *normaliser) object(file string, m map[string]any) (*node, error) {
	out := &node{}
	for _, k := range sortedKeys(m) {
		if err := n.keyword(out, file, k, m[k]); err != nil {
			return nil, err
		}
	}
	// Properties keep the order they are written in, as the Go fields do.
	if props, ok := m["properties"].(map[string]any); ok {
		out.props = orderedNames(props, out.props)
	}
	conjuncts := []any{}
	if ref, ok := m["$ref"].(string); ok {
		target, v, err := n.resolve(file, ref)
		if err != nil {
			return nil, err
		}
		conjuncts = append(conjuncts, refTarget{target, v})
	}
	if all, ok := m["allOf"].([]any); ok {
		for _, c := range all {
			conjuncts = append(conjuncts, refTarget{file, c})
		}
	}
	for _, c := range conjuncts {
		rt := c.(refTarget)
		sub, err := n.normalise(rt.file, rt.v)
		if err != nil {
			return nil, err
		}
		out = merge(sub, out)
	}
	return out, nil
}

type refTarget struct {
	file string
	v    any
}

func (n *normaliser) keyword(out *node, file, k string, v any) error {
	sub := func(v any) (*node, error) { return n.normalise(file, v) }
	subs := func(v any) ([]*node, error) {
		list, _ := v.([]any)
		var nodes []*node
		for _, e := range list {
			s, err := sub(e)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, s)
		}
		return nodes, nil
	}
	var err error
	switch {
	case k == "$ref" || k == "allOf":
		// merged by object
	case k == "title":
		out.title, _ = v.(string)
	case k == "description":
		out.description, _ = v.(string)
	case annotationKeywords[k] || strings.HasPrefix(k, "x-"):
	case k == "type":
		out.types = map[string]bool{}
		switch t := v.(type) {
		case string:
			out.types[t] = true
		case []any:
			for _, e := range t {
				if s, ok := e.(string); ok {
					out.types[s] = true
				}
			}
		}
	case k == "enum":
		list, _ := v.([]any)
		out.enum = []string{}
		for _, e := range list {
			out.enum = appendUnique(out.enum, canonical(e))
		}
	case k == "const":
		out.enum = []string{canonical(v)}
	case k == "properties":
		props, _ := v.(map[string]any)
		out.prop = map[string]*node{}
		for name, raw := range props {
			if out.prop[name], err = sub(raw); err != nil {
				return err
			}
		}
	case k == "required":
		list, _ := v.([]any)
		out.required = map[string]bool{}
		for _, e := range list {
			if s, ok := e.(string); ok {
				out.required[s] = true
			}
		}
	case k == "additionalProperties":
		out.additional, err = sub(v)
	case k == "items":
		out.items, err = sub(v)
	case k == "pattern":
		s, _ := v.(string)
		out.patterns = []string{s}
	case k == "format":
		s, _ := v.(string)
		out.formats = []string{s}
	case k == "uniqueItems":
		out.unique, _ = v.(bool)
	case k == "multipleOf":
		out.setBound(k, v)
	case boundKeywords[k] || k == "maximum" || k == "exclusiveMaximum" || k == "maxLength" || k == "maxItems" || k == "maxProperties":
		out.setBound(k, v)
	case k == "anyOf":
		var branches []*node
		if branches, err = subs(v); err == nil {
			if vals, ok := openEnum(branches); ok {
				out.enum, out.open = vals, true
			} else {
				out.anyOf = branches
			}
		}
	case k == "oneOf":
		out.oneOf, err = subs(v)
	case k == "not":
		out.not, err = sub(v)
	default:
		if out.rest == nil {
			out.rest = map[string]string{}
		}
		out.rest[k] = canonical(v)
	}
	return err
}

func (out *node) setBound(k string, v any) {
	num, ok := v.(json.Number)
	if !ok {
		return
	}
	r, ok := new(big.Rat).SetString(string(num))
	if !ok {
		return
	}
	if out.bounds == nil {
		out.bounds = map[string]*big.Rat{}
	}
	out.bounds[k] = r
}

// openEnum recognises anyOf [{"enum": [...]}, {"type": "string"}], the idiom
// the generator turns into an open enum.
func openEnum(branches []*node) ([]string, bool) {
	if len(branches) != 2 {
		return nil, false
	}
	e, s := branches[0], branches[1]
	if e.enum == nil || !e.onlyEnum() || !s.onlyType("string") {
		return nil, false
	}
	return e.enum, true
}

func (x *node) onlyEnum() bool {
	y := *x
	y.enum, y.title, y.description = nil, "", ""
	return y.key() == (&node{}).key()
}

func (x *node) onlyType(t string) bool {
	y := *x
	y.types, y.title, y.description = nil, "", ""
	return len(x.types) == 1 && x.types[t] && y.key() == (&node{}).key()
}

// merge is the conjunction of a (a $ref target or allOf branch) and b (the
// schema holding it). Keywords only one of them sets are combined; so are
// properties and required, unless additionalProperties makes the merge
// inexact, in which case a stays a separate conjunct. Annotations of b win,
// as the generator takes a property's own description over its type's.
func merge(a, b *node) *node {
	if a.never || b.never {
		return &node{never: true}
	}
	if !mergeable(a, b) {
		out := *b
		out.allOf = append(append([]*node{}, b.allOf...), a)
		return &out
	}
	out := *a
	out.title, out.description = first(b.title, a.title), first(b.description, a.description)
	if b.types != nil {
		if a.types == nil {
			out.types = b.types
		} else {
			out.types = intersectTypes(a.types, b.types)
		}
	}
	if b.enum != nil {
		out.enum, out.open = b.enum, b.open
	}
	if b.prop != nil {
		out.prop = map[string]*node{}
		for k, v := range a.prop {
			out.prop[k] = v
		}
		for k, v := range b.prop {
			if av, ok := a.prop[k]; ok {
				out.prop[k] = merge(av, v)
			} else {
				out.prop[k] = v
			}
		}
		out.props = append([]string{}, a.props...)
		for _, name := range b.props {
			out.props = appendUnique(out.props, name)
		}
	}
	if b.required != nil {
		out.required = map[string]bool{}
		for k := range a.required {
			out.required[k] = true
		}
		for k := range b.required {
			out.required[k] = true
		}
	}
	for _, pick := range []struct {
		dst **node
		src *node
	}{{&out.additional, b.additional}, {&out.items, b.items}, {&out.not, b.not}} {
		if pick.src != nil {
			*pick.dst = pick.src
		}
	}
	if b.patterns != nil {
		out.patterns = b.patterns
	}
	if b.formats != nil {
		out.formats = b.formats
	}
	if b.bounds != nil {
		out.bounds = map[string]*big.Rat{}
		for k, v := range a.bounds {
			out.bounds[k] = v
		}
		for k, v := range b.bounds {
			out.bounds[k] = v
		}
	}
	out.unique = a.unique || b.unique
	if b.anyOf != nil {
		out.anyOf = b.anyOf
	}
	if b.oneOf != nil {
		out.oneOf = b.oneOf
	}
	out.allOf = append(append([]*node{}, a.allOf...), b.allOf...)
	if b.rest != nil {
		out.rest = map[string]string{}
		for k, v := range a.rest {
			out.rest[k] = v
		}
		for k, v := range b.rest {
			out.rest[k] = v
		}
	}
	return &out
}

// mergeable tells whether a and b can be folded into one node exactly: no
// keyword other than properties, required and annotations is set by both,
// and neither restricts additional properties while the other declares
// properties it does not.
func mergeable(a, b *node) bool {
	for _, both := range []bool{
		a.enum != nil && b.enum != nil,
		a.additional != nil && b.additional != nil,
		a.items != nil && b.items != nil,
		a.patterns != nil && b.patterns != nil,
		a.formats != nil && b.formats != nil,
		a.anyOf != nil && b.anyOf != nil,
		a.oneOf != nil && b.oneOf != nil,
		a.not != nil && b.not != nil,
	} {
		if both {
			return false
		}
	}
	for k := range a.bounds {
		if _, ok := b.bounds[k]; ok {
			return false
		}
	}
	for k := range a.rest {
		if _, ok := b.rest[k]; ok {
			return false
		}
	}
	if a.additional != nil && hasPropsBeyond(b, a) || b.additional != nil && hasPropsBeyond(a, b) {
		return false
	}
	return true
}

func hasPropsBeyond(x, y *node) bool {
	for k := range x.prop {
		if _, ok := y.prop[k]; !ok {
			return true
		}
	}
	return false
}

func intersectTypes(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for t := range a {
		if b[t] || t == "integer" && b["number"] {
			out[t] = true
		}
	}
	for t := range b {
		if t == "integer" && a["number"] {
			out[t] = true
		}
	}
	return out
}

// key renders everything that decides validity, canonically: equal keys
// mean equal languages (the converse does not hold).
func (x *node) key() string {
	if x == nil {
		return "-"
	}
	m := map[string]any{}
	if x.never {
		return "false"
	}
	if x.types != nil {
		m["type"] = sortedKeys(x.types)
	}
	if x.enum != nil {
		vals := append([]string{}, x.enum...)
		sort.Strings(vals)
		m["enum"] = vals
		m["open"] = x.open
	}
	if x.prop != nil {
		props := map[string]string{}
		for k, v := range x.prop {
			props[k] = v.key()
		}
		m["properties"] = props
	}
	if x.required != nil {
		m["required"] = sortedKeys(x.required)
	}
	if x.additional != nil {
		m["additionalProperties"] = x.additional.key()
	}
	if x.items != nil {
		m["items"] = x.items.key()
	}
	if x.patterns != nil {
		m["pattern"] = x.patterns
	}
	if x.formats != nil {
		m["format"] = x.formats
	}
	for k, v := range x.bounds {
		m[k] = v.RatString()
	}
	if x.unique {
		m["uniqueItems"] = true
	}
	keys := func(ns []*node) []string {
		out := []string{}
		for _, n := range ns {
			out = append(out, n.key())
		}
		return out
	}
	if x.anyOf != nil {
		m["anyOf"] = keys(x.anyOf)
	}
	if x.oneOf != nil {
		m["oneOf"] = keys(x.oneOf)
	}
	if x.not != nil {
		m["not"] = x.not.key()
	}
	if len(x.allOf) > 0 {
		k := keys(x.allOf)
		sort.Strings(k)
		m["allOf"] = k
	}
	for k, v := range x.rest {
		m["rest:"+k] = v
	}
	return canonical(m)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// orderedNames lists the keys of props in the order they appear in the
// source text; encoding/json loses it, so the caller passes the names a
// prior pass found, and any missing name is appended sorted.
func orderedNames(props map[string]any, known []string) []string {
	out := []string{}
	for _, k := range known {
		if _, ok := props[k]; ok {
			out = appendUnique(out, k)
		}
	}
	for _, k := range sortedKeys(props) {
		out = appendUnique(out, k)
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, e := range list {
		if e == s {
			return list
		}
	}
	return append(list, s)
}

func first(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
