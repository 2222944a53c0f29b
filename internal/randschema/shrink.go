package randschema

import (
	"encoding/json"
	"math/rand"
	"strconv"
)

// Reduction is a set one step simpler than another.
type Reduction struct {
	// Step says what was simplified ("drop event a.b", "clear maxLength at
	// node 7").
	Step string
	Set  *Set
}

// Reductions lists the sets one step simpler than s, bigger steps first:
// an event dropped, a definition dropped, a schema replaced by a string or
// by one of its subschemas, a property dropped, a keyword removed. Each has
// fresh examples; a step after which no valid example can be drawn is left
// out.
func (s *Set) Reductions(seed int64) []Reduction {
	var out []Reduction
	try := func(step string, edit func(c *Set) bool) {
		c := s.Clone()
		if !edit(c) {
			return
		}
		if c.Complete(rand.New(rand.NewSource(seed))) != nil {
			return
		}
		out = append(out, Reduction{step, c})
	}
	for i := range s.Events {
		if len(s.Events) > 1 {
			try("drop event "+s.Events[i].Type, func(c *Set) bool {
				c.Events = append(c.Events[:i:i], c.Events[i+1:]...)
				return true
			})
		}
	}
	for i := range s.Defs {
		try("drop definition "+s.Defs[i].Name, func(c *Set) bool {
			if c.targeted(c.Defs[i].Schema) {
				return false
			}
			c.Defs = append(c.Defs[:i:i], c.Defs[i+1:]...)
			return true
		})
	}
	for e := range s.Events {
		for i := range s.Events[e].Defs {
			try("drop local definition "+s.Events[e].Defs[i].Name, func(c *Set) bool {
				ev := c.Events[e]
				if c.targeted(ev.Defs[i].Schema) {
					return false
				}
				ev.Defs = append(ev.Defs[:i:i], ev.Defs[i+1:]...)
				if len(ev.Defs) == 0 {
					ev.Defs = nil
				}
				return true
			})
		}
		if s.Events[e].Schema != "" {
			try("default $schema", func(c *Set) bool { c.Events[e].Schema = ""; return true })
		}
		if s.Events[e].Order != 0 || s.Events[e].Description != "" {
			try("drop x-order and description", func(c *Set) bool {
				c.Events[e].Order, c.Events[e].Description = 0, ""
				return true
			})
		}
	}
	nodes := s.nodes()
	protected := map[*Node]bool{s.Envelope: true}
	for _, p := range s.Envelope.Properties {
		if isEnvelopeProperty(p.Name) {
			protected[p.Schema] = true
		}
	}
	for k, n := range nodes {
		at := "node " + strconv.Itoa(k)
		edit := func(f func(n *Node) bool) func(c *Set) bool {
			return func(c *Set) bool { return f(c.nodes()[k]) }
		}
		if !protected[n] && !(len(n.Types) == 1 && n.Types[0] == "string" && len(n.Keywords()) == 1) {
			try("string at "+at, edit(func(n *Node) bool {
				*n = Node{Types: []string{"string"}}
				return true
			}))
		}
		for _, ch := range n.Children() {
			if protected[n] {
				break
			}
			child := ch
			try("hoist "+child.Path+" at "+at, edit(func(n *Node) bool {
				for _, c := range n.Children() {
					if c.Path == child.Path {
						*n = *c.Node.clone(map[*Node]*Node{})
						return true
					}
				}
				return false
			}))
		}
		if n.Target != nil {
			try("inline $ref at "+at, edit(func(n *Node) bool {
				t := n.Target.clone(map[*Node]*Node{})
				n.Ref, n.Target = "", nil
				merged := *t
				merged.Annotations = append(merged.Annotations, n.Annotations...)
				*n = merged
				return true
			}))
		}
		for i := range n.Properties {
			name := n.Properties[i].Name
			try("drop property "+strconv.Quote(name)+" at "+at, edit(func(n *Node) bool {
				if k == 0 && i < len(n.Properties) && isEnvelopeProperty(n.Properties[i].Name) {
					return false
				}
				n.Properties = append(n.Properties[:i:i], n.Properties[i+1:]...)
				var req []string
				for _, r := range n.Required {
					if r != name {
						req = append(req, r)
					}
				}
				if n.Required != nil && req == nil {
					req = []string{}
				}
				n.Required = req
				return true
			}))
		}
		for _, kw := range keywordClears {
			if kw.has(n) {
				clear := kw.clear
				try("clear "+kw.name+" at "+at, edit(func(n *Node) bool {
					if k == 0 && kw.name == "required" {
						return false
					}
					clear(n)
					return true
				}))
			}
		}
	}
	return out
}

func isEnvelopeProperty(name string) bool {
	return name == "event" || name == "id" || name == "timestamp" || name == "data"
}

// nodes lists every schema node of the set once, in a fixed order: the
// envelope, the definitions, then each event's data and definitions.
func (s *Set) nodes() []*Node {
	var out []*Node
	seen := map[*Node]bool{}
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
		for _, c := range n.Children() {
			walk(c.Node)
		}
	}
	walk(s.Envelope)
	for _, d := range s.Defs {
		walk(d.Schema)
	}
	for _, ev := range s.Events {
		walk(ev.Data)
		for _, d := range ev.Defs {
			walk(d.Schema)
		}
	}
	return out
}

// targeted reports whether some $ref of the set names n.
func (s *Set) targeted(n *Node) bool {
	for _, m := range s.nodes() {
		if m.Target == n {
			return true
		}
	}
	return false
}

var keywordClears = []struct {
	name  string
	has   func(*Node) bool
	clear func(*Node)
}{
	{"annotations", func(n *Node) bool { return len(n.Annotations) > 0 }, func(n *Node) { n.Annotations = nil }},
	{"anyOf", func(n *Node) bool { return n.AnyOf != nil }, func(n *Node) { n.AnyOf = nil }},
	{"oneOf", func(n *Node) bool { return n.OneOf != nil }, func(n *Node) { n.OneOf = nil }},
	{"allOf", func(n *Node) bool { return n.AllOf != nil }, func(n *Node) { n.AllOf = nil }},
	{"not", func(n *Node) bool { return n.Not != nil }, func(n *Node) { n.Not = nil }},
	{"$ref", func(n *Node) bool { return n.Ref != "" }, func(n *Node) { n.Ref, n.Target = "", nil }},
	{"$defs", func(n *Node) bool { return n.Defs != nil }, func(n *Node) { n.Defs = nil }},
	{"additionalProperties", func(n *Node) bool { return n.Additional != nil }, func(n *Node) { n.Additional = nil }},
	{"items", func(n *Node) bool { return n.Items != nil }, func(n *Node) { n.Items = nil }},
	{"properties", func(n *Node) bool { return n.Properties != nil && len(n.Properties) == 0 }, func(n *Node) { n.Properties = nil }},
	{"required", func(n *Node) bool { return n.Required != nil }, func(n *Node) { n.Required = nil }},
	{"enum", func(n *Node) bool { return n.Enum != nil }, func(n *Node) { n.Enum = nil }},
	{"const", func(n *Node) bool { return n.HasConst }, func(n *Node) { n.HasConst, n.Const = false, nil }},
	{"type", func(n *Node) bool { return len(n.Types) > 0 }, func(n *Node) { n.Types, n.TypeArray = nil, false }},
	{"type-array", func(n *Node) bool { return len(n.Types) > 1 }, func(n *Node) { n.Types = n.Types[:1]; n.TypeArray = false }},
	{"null-type", func(n *Node) bool { return len(n.Types) > 1 && indexOf(n.Types, "null") >= 0 }, func(n *Node) {
		var ts []string
		for _, t := range n.Types {
			if t != "null" {
				ts = append(ts, t)
			}
		}
		n.Types = ts
	}},
	{"pattern", func(n *Node) bool { return n.Pattern != "" }, func(n *Node) { n.Pattern = "" }},
	{"format", func(n *Node) bool { return n.Format != "" }, func(n *Node) { n.Format = "" }},
	{"minLength", func(n *Node) bool { return n.MinLength != nil }, func(n *Node) { n.MinLength = nil }},
	{"maxLength", func(n *Node) bool { return n.MaxLength != nil }, func(n *Node) { n.MaxLength = nil }},
	{"minimum", func(n *Node) bool { return n.Minimum != "" }, func(n *Node) { n.Minimum = "" }},
	{"maximum", func(n *Node) bool { return n.Maximum != "" }, func(n *Node) { n.Maximum = "" }},
	{"exclusiveMinimum", func(n *Node) bool { return n.ExclusiveMinimum != "" }, func(n *Node) { n.ExclusiveMinimum = "" }},
	{"exclusiveMaximum", func(n *Node) bool { return n.ExclusiveMaximum != "" }, func(n *Node) { n.ExclusiveMaximum = "" }},
	{"multipleOf", func(n *Node) bool { return n.MultipleOf != "" }, func(n *Node) { n.MultipleOf = "" }},
	{"minProperties", func(n *Node) bool { return n.MinProperties != nil }, func(n *Node) { n.MinProperties = nil }},
	{"maxProperties", func(n *Node) bool { return n.MaxProps != nil }, func(n *Node) { n.MaxProps = nil }},
	{"minItems", func(n *Node) bool { return n.MinItems != nil }, func(n *Node) { n.MinItems = nil }},
	{"maxItems", func(n *Node) bool { return n.MaxItems != nil }, func(n *Node) { n.MaxItems = nil }},
	{"uniqueItems", func(n *Node) bool { return n.UniqueItems != nil }, func(n *Node) { n.UniqueItems = nil }},
}

// SimplerValues lists values one step simpler than v, biggest steps
// first: a member or element removed, a value replaced by null, a simpler
// scalar or an empty container.
func SimplerValues(v any) []any {
	var out []any
	var walk func(ptr string, x any)
	var ptrs []string
	walk = func(ptr string, x any) {
		ptrs = append(ptrs, ptr)
		switch y := x.(type) {
		case *Object:
			for _, m := range y.Members {
				walk(ptr+"/"+escapeToken(m.Key), m.Value)
			}
		case []any:
			for i, e := range y {
				walk(ptr+"/"+strconv.Itoa(i), e)
			}
		}
	}
	walk("", v)
	for _, p := range ptrs[1:] {
		c := Clone(v)
		parent := getAt(c, parentPointer(p))
		key := p[len(parentPointer(p))+1:]
		switch x := parent.(type) {
		case *Object:
			deleteAt(c, p)
		case []any:
			i, _ := strconv.Atoi(key)
			setAt(c, parentPointer(p), append(x[:i:i], x[i+1:]...))
		}
		out = append(out, c)
	}
	for _, p := range ptrs[1:] {
		cur := getAt(v, p)
		for _, simple := range []any{nil, "", json.Number("0"), false, []any{}, &Object{}} {
			if Equal(cur, simple) || jsonType(cur) != jsonType(simple) && simple != nil {
				continue
			}
			out = append(out, setAt(Clone(v), p, simple))
		}
		if s, ok := cur.(string); ok && len([]rune(s)) > 1 {
			rs := []rune(s)
			out = append(out, setAt(Clone(v), p, string(rs[:len(rs)/2])), setAt(Clone(v), p, string(rs[1:])))
		}
	}
	return out
}
