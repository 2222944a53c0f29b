package randschema

import (
	"encoding/json"
	"strconv"
)

// Node is one schema of a drawn set. Each field is one keyword; the zero
// value of a field means the keyword is absent. Render writes the keywords
// in one fixed order.
type Node struct {
	// Bool, when set, makes the node the boolean schema true or false;
	// every other field is then ignored.
	Bool *bool

	// Ref is "$ref" as written; Target is the node it names (not written).
	Ref    string
	Target *Node

	// Types is "type"; TypeArray writes it as an array even when it holds
	// one type.
	Types     []string
	TypeArray bool
	Enum      []any // nil: absent; a non-nil empty slice is "enum": []
	HasConst  bool
	Const     any

	MinLength, MaxLength *int
	Pattern              string
	Format               string

	// Numeric keywords are decimal literals, as written ("0.01", "1e2").
	Minimum, Maximum, ExclusiveMinimum, ExclusiveMaximum, MultipleOf string

	Properties              []Prop
	Required                []string
	Additional              *Node // "additionalProperties"
	MinProperties, MaxProps *int

	Items              *Node
	MinItems, MaxItems *int
	UniqueItems        *bool

	AnyOf, OneOf, AllOf []*Node
	Not                 *Node

	// Defs is "$defs".
	Defs []Prop

	// Annotations are written last, as given: description, title,
	// $comment, deprecated, readOnly, default, examples and the like.
	Annotations []Member
}

// Prop is a named schema: a property or a definition.
type Prop struct {
	Name   string
	Schema *Node
}

func boolNode(b bool) *Node { return &Node{Bool: &b} }

func intp(n int) *int { return &n }

// Prop returns the schema of the property name, or nil.
func (n *Node) Prop(name string) *Node {
	for _, p := range n.Properties {
		if p.Name == name {
			return p.Schema
		}
	}
	return nil
}

// IsRequired reports whether name is in the node's required list.
func (n *Node) IsRequired(name string) bool {
	for _, r := range n.Required {
		if r == name {
			return true
		}
	}
	return false
}

// Render writes the node as a JSON value, in keyword order.
func (n *Node) Render() any {
	if n.Bool != nil {
		return *n.Bool
	}
	o := &Object{}
	add := func(k string, v any) { o.Members = append(o.Members, Member{k, v}) }
	count := func(k string, p *int) {
		if p != nil {
			add(k, json.Number(strconv.Itoa(*p)))
		}
	}
	num := func(k, v string) {
		if v != "" {
			add(k, json.Number(v))
		}
	}
	if n.Ref != "" {
		add("$ref", n.Ref)
	}
	if len(n.Types) == 1 && !n.TypeArray {
		add("type", n.Types[0])
	} else if len(n.Types) > 0 {
		ts := make([]any, len(n.Types))
		for i, t := range n.Types {
			ts[i] = t
		}
		add("type", ts)
	}
	if n.Enum != nil {
		add("enum", append([]any{}, n.Enum...))
	}
	if n.HasConst {
		add("const", n.Const)
	}
	if n.Format != "" {
		add("format", n.Format)
	}
	if n.Pattern != "" {
		add("pattern", n.Pattern)
	}
	count("minLength", n.MinLength)
	count("maxLength", n.MaxLength)
	num("minimum", n.Minimum)
	num("maximum", n.Maximum)
	num("exclusiveMinimum", n.ExclusiveMinimum)
	num("exclusiveMaximum", n.ExclusiveMaximum)
	num("multipleOf", n.MultipleOf)
	if n.Properties != nil {
		props := &Object{}
		for _, p := range n.Properties {
			props.Members = append(props.Members, Member{p.Name, p.Schema.Render()})
		}
		add("properties", props)
	}
	if n.Required != nil {
		rs := make([]any, len(n.Required))
		for i, r := range n.Required {
			rs[i] = r
		}
		add("required", rs)
	}
	if n.Additional != nil {
		add("additionalProperties", n.Additional.Render())
	}
	count("minProperties", n.MinProperties)
	count("maxProperties", n.MaxProps)
	if n.Items != nil {
		add("items", n.Items.Render())
	}
	count("minItems", n.MinItems)
	count("maxItems", n.MaxItems)
	if n.UniqueItems != nil {
		add("uniqueItems", *n.UniqueItems)
	}
	for _, a := range []struct {
		k  string
		ns []*Node
	}{{"anyOf", n.AnyOf}, {"oneOf", n.OneOf}, {"allOf", n.AllOf}} {
		if a.ns == nil {
			continue
		}
		vs := make([]any, len(a.ns))
		for i, s := range a.ns {
			vs[i] = s.Render()
		}
		add(a.k, vs)
	}
	if n.Not != nil {
		add("not", n.Not.Render())
	}
	if n.Defs != nil {
		defs := &Object{}
		for _, d := range n.Defs {
			defs.Members = append(defs.Members, Member{d.Name, d.Schema.Render()})
		}
		add("$defs", defs)
	}
	o.Members = append(o.Members, n.Annotations...)
	return o
}

// Children lists the node's subschemas with the keyword path leading to
// each ("properties/x", "items", "anyOf/1"), in keyword order.
func (n *Node) Children() []Child {
	if n == nil || n.Bool != nil {
		return nil
	}
	var out []Child
	for _, p := range n.Properties {
		out = append(out, Child{"properties/" + escapeToken(p.Name), p.Schema})
	}
	if n.Additional != nil {
		out = append(out, Child{"additionalProperties", n.Additional})
	}
	if n.Items != nil {
		out = append(out, Child{"items", n.Items})
	}
	for _, a := range []struct {
		k  string
		ns []*Node
	}{{"anyOf", n.AnyOf}, {"oneOf", n.OneOf}, {"allOf", n.AllOf}} {
		for i, s := range a.ns {
			out = append(out, Child{a.k + "/" + strconv.Itoa(i), s})
		}
	}
	if n.Not != nil {
		out = append(out, Child{"not", n.Not})
	}
	for _, d := range n.Defs {
		out = append(out, Child{"$defs/" + escapeToken(d.Name), d.Schema})
	}
	return out
}

// Child is a subschema and the keyword path to it.
type Child struct {
	Path string
	Node *Node
}

// Keywords lists the keywords the node itself writes, annotations included.
func (n *Node) Keywords() []string {
	o, ok := n.Render().(*Object)
	if !ok {
		if *n.Bool {
			return []string{"true"}
		}
		return []string{"false"}
	}
	ks := make([]string, len(o.Members))
	for i, m := range o.Members {
		ks[i] = m.Key
	}
	return ks
}

// clone copies the node deeply. Ref targets are remapped through seen, so a
// cloned set refers to its own definitions.
func (n *Node) clone(seen map[*Node]*Node) *Node {
	if n == nil {
		return nil
	}
	if c, ok := seen[n]; ok {
		return c
	}
	c := &Node{}
	seen[n] = c
	*c = *n
	if n.Bool != nil {
		b := *n.Bool
		c.Bool = &b
	}
	c.Target = n.Target.clone(seen)
	c.Types = append([]string(nil), n.Types...)
	if n.Enum != nil {
		c.Enum = make([]any, len(n.Enum))
		for i, e := range n.Enum {
			c.Enum[i] = Clone(e)
		}
	}
	c.Const = Clone(n.Const)
	for _, p := range []**int{&c.MinLength, &c.MaxLength, &c.MinProperties, &c.MaxProps, &c.MinItems, &c.MaxItems} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	if n.UniqueItems != nil {
		u := *n.UniqueItems
		c.UniqueItems = &u
	}
	c.Properties = cloneProps(n.Properties, seen)
	c.Defs = cloneProps(n.Defs, seen)
	if n.Required != nil {
		c.Required = append([]string{}, n.Required...)
	}
	c.Additional = n.Additional.clone(seen)
	c.Items = n.Items.clone(seen)
	c.AnyOf = cloneNodes(n.AnyOf, seen)
	c.OneOf = cloneNodes(n.OneOf, seen)
	c.AllOf = cloneNodes(n.AllOf, seen)
	c.Not = n.Not.clone(seen)
	if n.Annotations != nil {
		c.Annotations = make([]Member, len(n.Annotations))
		for i, m := range n.Annotations {
			c.Annotations[i] = Member{m.Key, Clone(m.Value)}
		}
	}
	return c
}

func cloneProps(ps []Prop, seen map[*Node]*Node) []Prop {
	if ps == nil {
		return nil
	}
	out := make([]Prop, len(ps))
	for i, p := range ps {
		out[i] = Prop{p.Name, p.Schema.clone(seen)}
	}
	return out
}

func cloneNodes(ns []*Node, seen map[*Node]*Node) []*Node {
	if ns == nil {
		return nil
	}
	out := make([]*Node, len(ns))
	for i, s := range ns {
		out[i] = s.clone(seen)
	}
	return out
}

// escapeToken escapes one JSON pointer token (RFC 6901).
func escapeToken(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '~':
			out = append(out, '~', '0')
		case '/':
			out = append(out, '~', '1')
		default:
			out = append(out, s[i])
		}
	}
	return string(out)
}
