package randschema

import (
	"math/big"
	"math/rand"
	"strconv"
)

// Mutate returns a copy of s with one to three random edits of the kinds a
// schema author makes when an event changes, with fresh examples, and the
// names of the edits. Edits: a property added or removed, made required
// or optional, made nullable or not; an enum value added or removed, an
// open enum closed or a closed one opened; a type widened or narrowed; a
// bound, length, item count or multipleOf tightened or loosened; a pattern
// or format changed; additionalProperties closed or opened; an event added
// or removed; a description changed; and refactors that change no payload's
// validity: a definition renamed, or a $ref inlined. It returns nil when no
// edit applied or no valid example could be drawn after the edits.
func Mutate(s *Set, rng *rand.Rand) (*Set, []string) {
	c := s.Clone()
	d := &drawer{rng: rng, f: s.Features, set: c}
	var done []string
	for want, tries := 1+rng.Intn(3), 0; len(done) < want && tries < 100; tries++ {
		if name, ok := d.mutate(); ok {
			done = append(done, name)
		}
	}
	if len(done) == 0 || c.Complete(rng) != nil {
		return nil, nil
	}
	return c, done
}

func (c *drawer) mutate() (string, bool) {
	s := c.set
	rng := c.rng
	switch rng.Intn(24) {
	case 0:
		if len(s.Events) < 5 {
			t := eventWords[rng.Intn(7)] + "." + eventWords[7+rng.Intn(7)]
			if !hasEvent(s, t) {
				c.local = nil
				s.Events = append(s.Events, c.event(t, len(s.Events)))
				return "add event " + t, true
			}
		}
		return "", false
	case 1:
		if len(s.Events) > 1 {
			i := rng.Intn(len(s.Events))
			t := s.Events[i].Type
			s.Events = append(s.Events[:i:i], s.Events[i+1:]...)
			return "remove event " + t, true
		}
		return "", false
	case 2:
		if len(s.Defs) > 0 {
			i := rng.Intn(len(s.Defs))
			name := c.uniqueName(defNameList(c.f), namesOf(s.Defs))
			if name == "" {
				return "", false
			}
			old := s.Defs[i].Name
			s.Defs[i].Name = name
			for _, n := range s.nodes() {
				if n.Target == s.Defs[i].Schema {
					n.Ref = refPrefix(n.Ref) + refToken(name)
				}
			}
			return "rename definition " + old + " to " + name, true
		}
		return "", false
	}
	ev := s.Events[rng.Intn(len(s.Events))]
	c.file = ev.File()
	c.local = ev.Defs
	var nodes []*Node
	var walk func(n *Node)
	seen := map[*Node]bool{}
	walk = func(n *Node) {
		if n == nil || seen[n] || n.Bool != nil {
			return
		}
		seen[n] = true
		nodes = append(nodes, n)
		for _, ch := range n.Children() {
			walk(ch.Node)
		}
	}
	walk(ev.Data)
	n := nodes[rng.Intn(len(nodes))]
	objects := func() []*Node {
		var out []*Node
		for _, m := range nodes {
			if m.Properties != nil {
				out = append(out, m)
			}
		}
		return out
	}
	objs := objects()
	if len(objs) == 0 {
		return "", false
	}
	switch rng.Intn(16) {
	case 0:
		o := objs[rng.Intn(len(objs))]
		taken := map[string]bool{}
		for _, p := range o.Properties {
			taken[p.Name] = true
		}
		name := c.propName(taken)
		o.Properties = append(o.Properties, Prop{name, c.node(1)})
		if rng.Intn(2) == 0 {
			o.Required = append(o.Required, name)
			return "add required property " + name, true
		}
		return "add property " + name, true
	case 1:
		o := objs[rng.Intn(len(objs))]
		if len(o.Properties) < 2 {
			return "", false
		}
		i := rng.Intn(len(o.Properties))
		name := o.Properties[i].Name
		o.Properties = append(o.Properties[:i:i], o.Properties[i+1:]...)
		o.Required = without(o.Required, name)
		return "remove property " + name, true
	case 2:
		o := objs[rng.Intn(len(objs))]
		if len(o.Properties) == 0 {
			return "", false
		}
		name := o.Properties[rng.Intn(len(o.Properties))].Name
		if o.IsRequired(name) {
			o.Required = without(o.Required, name)
			return "make " + name + " optional", true
		}
		o.Required = append(o.Required, name)
		return "make " + name + " required", true
	case 3:
		if len(n.Types) == 1 && n.Types[0] != "null" {
			n.Types, n.TypeArray = append(n.Types, "null"), true
			return "make nullable", true
		}
		if i := indexOf(n.Types, "null"); i >= 0 && len(n.Types) > 1 {
			n.Types = append(n.Types[:i:i], n.Types[i+1:]...)
			return "make not nullable", true
		}
	case 4:
		if n.Enum != nil {
			n.Enum = append(n.Enum, "added_"+strconv.Itoa(rng.Intn(100)))
			return "add enum value", true
		}
		if len(n.AnyOf) == 2 && n.AnyOf[0].Enum != nil {
			n.AnyOf[0].Enum = append(n.AnyOf[0].Enum, "added_"+strconv.Itoa(rng.Intn(100)))
			return "add open enum value", true
		}
	case 5:
		if len(n.Enum) > 1 {
			n.Enum = n.Enum[:len(n.Enum)-1]
			return "remove enum value", true
		}
	case 6:
		if len(n.AnyOf) == 2 && n.AnyOf[0].Enum != nil && len(n.Types) == 0 {
			n.Enum, n.AnyOf = n.AnyOf[0].Enum, nil
			return "close enum", true
		}
		if n.Enum != nil && n.AnyOf == nil && len(n.Types) <= 1 {
			n.AnyOf = []*Node{{Enum: n.Enum}, {Types: []string{"string"}}}
			n.Enum, n.Types = nil, nil
			return "open enum", true
		}
	case 7:
		if len(n.Types) == 1 && n.Types[0] == "integer" && c.f.Numbers {
			n.Types = []string{"number"}
			return "widen integer to number", true
		}
		if len(n.Types) == 1 && n.Types[0] == "number" {
			n.Types = []string{"integer"}
			return "narrow number to integer", true
		}
	case 8:
		if n.Maximum != "" {
			n.Maximum = string(number(new(big.Rat).Sub(lit(n.Maximum), big.NewRat(1, 1))))
			return "tighten maximum", true
		}
		if n.Minimum != "" {
			n.Minimum = string(number(new(big.Rat).Sub(lit(n.Minimum), big.NewRat(1, 1))))
			return "loosen minimum", true
		}
	case 9:
		if n.MaxLength != nil {
			*n.MaxLength += 1 - 2*rng.Intn(2)
			if *n.MaxLength < 0 {
				*n.MaxLength = 0
			}
			return "change maxLength", true
		}
		if len(n.Types) == 1 && n.Types[0] == "string" {
			n.MaxLength = intp(3 + rng.Intn(10))
			return "add maxLength", true
		}
	case 10:
		if n.MinItems != nil || n.MaxItems != nil {
			n.MinItems, n.MaxItems = nil, nil
			return "drop item counts", true
		}
		if n.Items != nil {
			n.MaxItems = intp(1 + rng.Intn(3))
			return "add maxItems", true
		}
	case 11:
		if n.Pattern != "" {
			n.Pattern = drawPattern(rng, c.f.OverlappingPatterns)
			return "change pattern", true
		}
		if n.Format != "" && c.f.Formats {
			n.Format = formatNames[rng.Intn(len(formatNames))]
			return "change format", true
		}
	case 12:
		if n.Properties != nil {
			if n.Additional != nil && n.Additional.Bool != nil && !*n.Additional.Bool {
				n.Additional = nil
				return "open additionalProperties", true
			}
			if n.Additional == nil {
				n.Additional = boolNode(false)
				return "close additionalProperties", true
			}
		}
	case 13:
		if n.MultipleOf != "" {
			n.MultipleOf = ""
			return "drop multipleOf", true
		}
	case 14:
		if n.Target != nil {
			t := n.Target.clone(map[*Node]*Node{})
			ann := n.Annotations
			*n = *t
			n.Annotations = append(n.Annotations, ann...)
			return "inline $ref", true
		}
	case 15:
		n.Annotations = append(n.Annotations, Member{"description", "Changed: " + strconv.Itoa(rng.Intn(1000))})
		return "change description", true
	}
	return "", false
}

func hasEvent(s *Set, t string) bool {
	for _, ev := range s.Events {
		if ev.Type == t {
			return true
		}
	}
	return false
}

func without(xs []string, x string) []string {
	var out []string
	for _, y := range xs {
		if y != x {
			out = append(out, y)
		}
	}
	if xs != nil && out == nil {
		out = []string{}
	}
	return out
}

// refPrefix is a $ref without its last token.
func refPrefix(ref string) string {
	for i := len(ref) - 1; i >= 0; i-- {
		if ref[i] == '/' {
			return ref[:i+1]
		}
	}
	return ref
}
