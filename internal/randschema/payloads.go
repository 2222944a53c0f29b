package randschema

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Payload is one payload derived from a set.
type Payload struct {
	// Event is the event type of the instance the payload derives from.
	Event string
	// Kind names how it was derived: "valid", "edge:minimum",
	// "remove", "extra-member" and so on.
	Kind string
	// At is the JSON pointer of the changed value; "" for valid payloads.
	At string
	// Data is the payload.
	Data []byte
}

// Payloads derives up to n payloads from the set: valid instances of every
// event, then values at and across every bound the schemas state, put in
// place of one value of a valid instance at a time (wrong types, enum and
// const near misses, lengths, pattern near misses, formats, numeric bounds
// and steps, item and property counts, removed and added members). Which
// payloads are valid is for the reference validator to say.
func (s *Set) Payloads(rng *rand.Rand, n int) ([]Payload, error) {
	loaded, err := s.Load()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []Payload
	add := func(p Payload) {
		if len(out) < n && !seen[string(p.Data)] {
			seen[string(p.Data)] = true
			out = append(out, p)
		}
	}
	type base struct {
		ev    string
		doc   any
		paths map[string]*Node
	}
	var bases []base
	for i, ev := range s.Events {
		for _, x := range ev.Examples {
			add(Payload{Event: ev.Type, Kind: "example", Data: Encode(x)})
		}
		for k := 0; k < 2; k++ {
			doc, paths, ok := s.instance(rng, loaded, i)
			if !ok {
				continue
			}
			add(Payload{Event: ev.Type, Kind: "valid", Data: Encode(doc)})
			bases = append(bases, base{ev.Type, doc, paths})
		}
	}
	type edge struct {
		b    int
		at   string
		kind string
		v    any
		del  bool
	}
	var edges []edge
	for bi, b := range bases {
		g := &instGen{rng: rng, paths: map[string]*Node{}}
		var ptrs []string
		for p := range b.paths {
			ptrs = append(ptrs, p)
		}
		sort.Strings(ptrs)
		for _, p := range ptrs {
			if !present(b.doc, p) {
				continue // dropped by a later draw
			}
			cur := getAt(b.doc, p)
			for _, e := range g.edges(b.paths[p], cur) {
				edges = append(edges, edge{b: bi, at: p, kind: e.kind, v: e.v})
			}
			if p != "" && p != "/event" {
				edges = append(edges, edge{b: bi, at: p, kind: "remove", del: true})
			}
		}
	}
	rng.Shuffle(len(edges), func(i, j int) { edges[i], edges[j] = edges[j], edges[i] })
	for _, e := range edges {
		if len(out) >= n {
			break
		}
		doc := Clone(bases[e.b].doc)
		if e.del {
			deleteAt(doc, e.at)
		} else {
			doc = setAt(doc, e.at, e.v)
		}
		add(Payload{Event: bases[e.b].ev, Kind: e.kind, At: e.at, Data: Encode(doc)})
	}
	return out, nil
}

// present reports whether the pointer names a value of doc.
func present(doc any, ptr string) bool {
	if ptr == "" {
		return true
	}
	key := ptr[strings.LastIndexByte(ptr, '/')+1:]
	key = strings.ReplaceAll(strings.ReplaceAll(key, "~1", "/"), "~0", "~")
	switch x := getAt(doc, parentPointer(ptr)).(type) {
	case *Object:
		_, ok := x.Get(key)
		return ok
	case []any:
		i, err := strconv.Atoi(key)
		return err == nil && i >= 0 && i < len(x)
	}
	return false
}

type edgeValue struct {
	kind string
	v    any
}

// applying lists the nodes whose keywords apply at a value of n: n, its
// $ref targets and its applicators' branches.
func applying(n *Node) []*Node {
	var out []*Node
	seen := map[*Node]bool{}
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n == nil || seen[n] || depth > 8 {
			return
		}
		seen[n] = true
		out = append(out, n)
		walk(n.Target, depth+1)
		for _, b := range append(append(append([]*Node{}, n.AllOf...), n.AnyOf...), n.OneOf...) {
			walk(b, depth+1)
		}
		walk(n.Not, depth+1)
	}
	walk(n, 0)
	return out
}

// edges lists values at and across the bounds of the keywords that apply
// at a value drawn from n; cur is the value drawn.
func (g *instGen) edges(n *Node, cur any) []edgeValue {
	var out []edgeValue
	add := func(kind string, v any) { out = append(out, edgeValue{kind, v}) }
	add("null", nil)
	for _, k := range applying(n) {
		if k.Bool != nil {
			continue
		}
		if len(k.Types) > 0 {
			for _, v := range []any{"x", json.Number("7"), json.Number("1.5"), json.Number("2.0"), true, []any{}, &Object{}} {
				if indexOf(k.Types, jsonType(v)) < 0 {
					add("type:"+jsonType(v), v)
				}
			}
		}
		vals := k.Enum
		if k.HasConst {
			vals = append([]any{k.Const}, vals...)
		}
		for _, v := range vals {
			add("enum", Clone(v))
			for _, m := range valueNearMisses(v) {
				add("enum:near-miss", m)
			}
		}
		if k.MinLength != nil || k.MaxLength != nil {
			base, _ := cur.(string)
			for _, l := range []*int{k.MinLength, k.MaxLength} {
				if l == nil {
					continue
				}
				for _, d := range []int{-1, 0, 1} {
					if *l+d >= 0 {
						add("length", resize(base, *l+d, "a"))
						add("length:non-bmp", resize(base, *l+d, "📞"))
						add("length:combining", resize(base, *l+d, "e\u0301"))
					}
				}
			}
		}
		if k.Pattern != "" {
			base, _ := cur.(string)
			if ps := newPatternSampler(k.Pattern); ps != nil {
				if s, ok := ps.sample(g.rng); ok {
					add("pattern:match", s)
					base = s
				}
			}
			for _, m := range nearMisses(base, g.rng) {
				add("pattern:near-miss", m)
			}
		}
		if k.Format != "" {
			f := formats[k.Format]
			for _, v := range f.valid {
				add("format:valid", v)
			}
			for _, v := range f.invalid {
				add("format:invalid", v)
			}
		}
		integer := indexOf(k.Types, "integer") >= 0
		if k.Minimum != "" || k.Maximum != "" || k.ExclusiveMinimum != "" || k.ExclusiveMaximum != "" || k.MultipleOf != "" || integer || indexOf(k.Types, "number") >= 0 {
			for _, v := range numericEdges(k, integer) {
				add("number", v)
			}
			if x, ok := cur.(json.Number); ok {
				add("number:exponent-form", json.Number(exponentForm(x)))
				if !strings.ContainsAny(string(x), ".eE") {
					add("number:point-zero", json.Number(string(x)+".0"))
				}
			}
		}
		if arr, ok := cur.([]any); ok {
			for _, l := range []*int{k.MinItems, k.MaxItems} {
				if l == nil {
					continue
				}
				for _, d := range []int{-1, 0, 1} {
					if *l+d >= 0 {
						add("items:count", g.resizeArray(arr, *l+d, k.Items))
					}
				}
			}
			if len(arr) > 0 {
				dup := append(Clone(arr).([]any), Clone(arr[0]))
				add("items:duplicate", dup)
				if x, ok := arr[0].(json.Number); ok {
					add("items:equal-number", append(Clone(arr).([]any), json.Number(exponentForm(x))))
				}
			}
		}
		if obj, ok := cur.(*Object); ok {
			extra := Clone(obj).(*Object)
			extra.Members = append(extra.Members, Member{"unknown_member", json.Number("1")})
			add("extra-member", extra)
			awkward := Clone(obj).(*Object)
			awkward.Members = append(awkward.Members, Member{awkwardKeys[g.rng.Intn(len(awkwardKeys))], "x"})
			add("extra-member:awkward", awkward)
			if len(obj.Members) > 0 {
				dup := Clone(obj).(*Object)
				dup.Members = append(dup.Members, Member{obj.Members[0].Key, Clone(obj.Members[0].Value)})
				add("duplicate-key", dup)
				empty := &Object{}
				add("empty-object", empty)
			}
			for _, p := range k.Properties {
				if _, present := obj.Get(p.Name); !present {
					with := Clone(obj).(*Object)
					with.Members = append(with.Members, Member{p.Name, g.value(p.Schema, "", 1)})
					add("add-optional", with)
				}
			}
		}
	}
	return out
}

var awkwardKeys = []string{"", "a b", "a/b", "~0", `quo"te`, "é", "%20", "\u2028", "k,omitempty"}

// resize makes a string of exactly n runes from s, padding with pad.
func resize(s string, n int, pad string) string {
	rs := []rune(s)
	if len(rs) >= n {
		return string(rs[:n])
	}
	var b strings.Builder
	b.WriteString(s)
	for utf8.RuneCountInString(b.String()) < n {
		b.WriteString(pad)
	}
	return string([]rune(b.String())[:n])
}

func (g *instGen) resizeArray(arr []any, n int, items *Node) []any {
	out := Clone(arr).([]any)
	if len(out) > n {
		return out[:n]
	}
	for len(out) < n {
		if len(arr) > 0 && g.rng.Intn(2) == 0 {
			out = append(out, Clone(arr[g.rng.Intn(len(arr))]))
		} else {
			out = append(out, g.value(orAny(items), "", 1))
		}
	}
	return out
}

// valueNearMisses derives values close to v: another type holding the
// same text, another number, a case change, an element more or less.
func valueNearMisses(v any) []any {
	switch x := v.(type) {
	case string:
		return []any{strings.ToUpper(x), x + " ", x + "\u0000", json.Number("1")}
	case json.Number:
		return []any{string(x), json.Number(exponentForm(x)), json.Number(string(x) + "1"), json.Number("-" + strings.TrimPrefix(string(x), "-"))}
	case bool:
		return []any{!x, fmt.Sprint(x)}
	case nil:
		return []any{"null", false, json.Number("0")}
	case []any:
		out := []any{append(Clone(x).([]any), nil)}
		if len(x) > 0 {
			out = append(out, Clone(x[:len(x)-1]).([]any))
		}
		return out
	case *Object:
		rev := Clone(x).(*Object)
		for i, j := 0, len(rev.Members)-1; i < j; i, j = i+1, j-1 {
			rev.Members[i], rev.Members[j] = rev.Members[j], rev.Members[i]
		}
		more := Clone(x).(*Object)
		more.Members = append(more.Members, Member{"more", true})
		return []any{rev, more}
	}
	return nil
}
