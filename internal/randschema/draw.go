package randschema

import (
	"encoding/json"
	"math/rand"
	"net/url"
	"strconv"
	"strings"
)

// Draw draws a schema set with the given features. Its events have no
// examples yet: Complete adds them, drawn as valid instances.
func Draw(rng *rand.Rand, f Features) *Set {
	s := &Set{Features: f}
	c := &drawer{rng: rng, f: f, set: s, risky: rng.Intn(8) == 0}
	c.file = DefsFile
	for i, n := 0, rng.Intn(5); i < n; i++ {
		name := c.uniqueName(defNameList(f), namesOf(s.Defs))
		if name == "" {
			break
		}
		s.Defs = append(s.Defs, Prop{name, c.node(2)})
	}
	s.Envelope = c.envelope()
	types := map[string]bool{}
	for i, n := 0, 1+rng.Intn(3); i < n; i++ {
		var t string
		for try := 0; try < 20; try++ {
			t = eventWords[rng.Intn(7)] + "." + eventWords[7+rng.Intn(7)]
			if !types[t] {
				break
			}
		}
		if types[t] {
			continue
		}
		types[t] = true
		s.Events = append(s.Events, c.event(t, i))
	}
	return s
}

// drawer holds the state of one draw.
type drawer struct {
	rng  *rand.Rand
	f    Features
	set  *Set
	file string // the file being drawn: refs are written relative to it
	// local holds the current event file's $defs drawn so far.
	local []Prop
	// risky is set for one set in eight: only such a set draws what the
	// generator refuses (unbounded numbers, integers beyond int64, exclusive
	// bounds on numbers, names Go cannot carry, other drafts, envelope
	// keywords Event cannot say, empty enums), so that the refusals are
	// exercised and most sets are still generated and checked.
	risky bool
}

func defNameList(f Features) []string {
	if f.ShadowNames {
		return append(append([]string{}, defNames...), shadowDefNames...)
	}
	return defNames
}

func namesOf(ps []Prop) map[string]bool {
	m := map[string]bool{}
	for _, p := range ps {
		m[p.Name] = true
	}
	return m
}

func (c *drawer) uniqueName(pool []string, taken map[string]bool) string {
	for try := 0; try < 30; try++ {
		n := pool[c.rng.Intn(len(pool))]
		if !taken[n] {
			return n
		}
	}
	return ""
}

func (c *drawer) event(typ string, i int) *Event {
	ev := &Event{Type: typ}
	c.file = EventsDir + "/" + typ + ".json"
	c.local = nil
	if c.rng.Intn(2) == 0 {
		ev.Order = i + 1
	}
	if c.rng.Intn(2) == 0 {
		ev.Description = "Sent when " + strings.ReplaceAll(typ, ".", " is ") + "."
	}
	if c.f.OtherDrafts && c.risky && c.rng.Intn(10) == 0 {
		ev.Schema = []string{draft07, draft2019}[c.rng.Intn(2)]
	}
	for j, n := 0, c.rng.Intn(3); j < n && c.f.Refs; j++ {
		name := c.uniqueName(defNameList(c.f), namesOf(c.local))
		if name == "" {
			break
		}
		c.local = append(c.local, Prop{name, c.node(1)})
	}
	ev.Defs = c.local
	ev.Data = c.object(3, true)
	return ev
}

// envelope draws envelope.json: the four properties every event has, and
// with EnvelopeKeywords, constraints beyond their types.
func (c *drawer) envelope() *Node {
	rng := c.rng
	c.file = EnvelopeFile
	env := &Node{Types: []string{"object"}, Required: []string{"event", "id", "timestamp", "data"}}
	event := &Node{Types: []string{"string"}}
	var id *Node
	switch rng.Intn(5) {
	case 0:
		id = &Node{Types: []string{"string"}}
	case 1:
		id = &Node{Types: []string{"string"}, Pattern: "^evt_[A-Za-z0-9_]+$"}
	case 2:
		id = &Node{Types: []string{"string"}, MinLength: intp(1), MaxLength: intp(64)}
	case 3:
		id = &Node{Types: []string{"string"}, Format: "uuid"}
	default:
		def := &Node{Types: []string{"string"}, Pattern: "^evt_[A-Za-z0-9_]+$"}
		name := c.uniqueName([]string{"event_id", "delivery_id", "evt"}, namesOf(c.set.Defs))
		if name == "" {
			id = def
			break
		}
		c.set.Defs = append(c.set.Defs, Prop{name, def})
		id = &Node{Ref: DefsFile + "#/$defs/" + name, Target: def}
	}
	timestamp := &Node{Types: []string{"string"}, Format: "date-time"}
	data := &Node{Types: []string{"object"}}
	for _, n := range []*Node{event, id, timestamp, data} {
		if rng.Intn(2) == 0 {
			n.Annotations = append(n.Annotations, Member{"description", "One of the envelope's properties."})
		}
	}
	env.Properties = []Prop{{"event", event}, {"id", id}, {"timestamp", timestamp}, {"data", data}}
	if rng.Intn(3) == 0 {
		perm := rng.Perm(4)
		props := make([]Prop, 4)
		for i, j := range perm {
			props[i] = env.Properties[j]
		}
		env.Properties = props
	}
	if !c.f.EnvelopeKeywords || rng.Intn(2) == 0 {
		return env
	}
	for k := 0; k < 1+rng.Intn(2); k++ {
		kind := rng.Intn(9)
		if refused := kind == 1 || kind == 2 || kind == 6 || kind == 7; refused && !c.risky {
			continue
		}
		switch kind {
		case 0:
			env.Additional = boolNode(false)
		case 1:
			env.MaxProps = intp(4 + rng.Intn(2))
		case 2:
			env.MinProperties = intp(4 + rng.Intn(2))
		case 3:
			env.Not = &Node{Required: []string{"legacy"}}
		case 4:
			extra := c.scalar(0)
			env.Properties = append(env.Properties, Prop{"attempt", extra})
			if rng.Intn(2) == 0 {
				env.Required = append(env.Required, "attempt")
			}
		case 5:
			event.MaxLength = intp(8 + rng.Intn(20))
		case 6:
			timestamp.Pattern = []string{"Z$", "^2025-", `\.[0-9]+`}[rng.Intn(3)]
		case 7:
			data.MinProperties = intp(1 + rng.Intn(2))
		case 8:
			event.Pattern = "^[a-z_]+\\.[a-z_]+$"
		}
	}
	return env
}

// node draws any schema; depth bounds its nesting.
func (c *drawer) node(depth int) *Node {
	type choice struct {
		w    int
		draw func() *Node
	}
	f := c.f
	choices := []choice{
		{25, func() *Node { return c.str() }},
		{12, func() *Node { return c.integer() }},
		{5, func() *Node { return &Node{Types: []string{"boolean"}} }},
		{6, func() *Node { return c.closedEnum() }},
		{5, func() *Node { return c.openEnum() }},
		{5, func() *Node { return c.nullable(depth) }},
		{1, func() *Node { return &Node{} }},
	}
	if f.Numbers {
		choices = append(choices, choice{8, func() *Node { return c.number() }})
	}
	if depth > 0 {
		choices = append(choices,
			choice{8, func() *Node { return c.object(depth-1, false) }},
			choice{8, func() *Node { return c.array(depth - 1) }})
		if f.Maps {
			choices = append(choices, choice{5, func() *Node { return c.mapOf(depth - 1) }})
		}
	}
	if f.Refs && len(c.refable()) > 0 {
		choices = append(choices, choice{10, func() *Node { return c.ref() }})
	}
	if f.ValueKeywords {
		choices = append(choices,
			choice{3, func() *Node { return c.union() }},
			choice{3, func() *Node { return c.constAny() }},
			choice{3, func() *Node { return c.enumAny() }},
			choice{2, func() *Node { return c.untyped() }})
	}
	if f.Compositions {
		choices = append(choices, choice{6, func() *Node { return c.composition(depth) }})
	}
	if f.BooleanSchemas {
		choices = append(choices, choice{1, func() *Node { return boolNode(true) }})
	}
	total := 0
	for _, ch := range choices {
		total += ch.w
	}
	k := c.rng.Intn(total)
	var n *Node
	for _, ch := range choices {
		if k < ch.w {
			n = ch.draw()
			break
		}
		k -= ch.w
	}
	c.annotate(n)
	return n
}

// scalar draws a string, integer, number or boolean schema.
func (c *drawer) scalar(depth int) *Node {
	switch c.rng.Intn(4) {
	case 0:
		return c.integer()
	case 1:
		if c.f.Numbers {
			return c.number()
		}
		return &Node{Types: []string{"boolean"}}
	case 2:
		return &Node{Types: []string{"boolean"}}
	}
	return c.str()
}

func (c *drawer) annotate(n *Node) {
	if n.Bool != nil {
		return
	}
	rng := c.rng
	if rng.Intn(4) == 0 {
		n.Annotations = append(n.Annotations, Member{"description", []string{"A value.", "What it \"is\", with `code` and a | pipe.", "Multi-line\ndescription."}[rng.Intn(3)]})
	}
	if !c.f.Annotations || rng.Intn(3) > 0 {
		return
	}
	switch rng.Intn(7) {
	case 0:
		n.Annotations = append(n.Annotations, Member{"title", "A title"})
	case 1:
		n.Annotations = append(n.Annotations, Member{"$comment", "a comment"})
	case 2:
		n.Annotations = append(n.Annotations, Member{"deprecated", true})
	case 3:
		n.Annotations = append(n.Annotations, Member{"readOnly", true})
	case 4:
		n.Annotations = append(n.Annotations, Member{"writeOnly", false})
	case 5:
		n.Annotations = append(n.Annotations, Member{"default", c.anyValue(1)})
	case 6:
		n.Annotations = append(n.Annotations, Member{"examples", []any{c.anyValue(1)}})
	}
}

func (c *drawer) str() *Node {
	rng := c.rng
	n := &Node{Types: []string{"string"}}
	switch k := rng.Intn(10); {
	case k < 3:
		n.Pattern = drawPattern(rng, c.f.OverlappingPatterns)
	case k < 5 && c.f.Formats:
		n.Format = formatNames[rng.Intn(len(formatNames))]
	}
	if rng.Intn(3) == 0 && n.Format == "" {
		lo := rng.Intn(4)
		if rng.Intn(2) == 0 {
			n.MinLength = intp(lo)
		}
		if rng.Intn(2) == 0 {
			n.MaxLength = intp(lo + rng.Intn(6))
		}
	}
	return n
}

func (c *drawer) integer() *Node {
	n := &Node{Types: []string{"integer"}}
	drawNumeric(c, n, true)
	return n
}

func (c *drawer) number() *Node {
	n := &Node{Types: []string{"number"}}
	drawNumeric(c, n, false)
	return n
}

func (c *drawer) words(k int) []any {
	seen := map[string]bool{}
	var out []any
	for len(out) < k {
		w := stringWords[c.rng.Intn(len(stringWords))]
		if c.rng.Intn(3) > 0 {
			w = plainNames[c.rng.Intn(len(plainNames))]
		}
		if seen[w] {
			if len(seen) > 40 {
				break
			}
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func (c *drawer) closedEnum() *Node {
	n := &Node{Enum: c.words(1 + c.rng.Intn(4))}
	if c.rng.Intn(2) == 0 {
		n.Types = []string{"string"}
	}
	return n
}

func (c *drawer) openEnum() *Node {
	return &Node{AnyOf: []*Node{{Enum: c.words(1 + c.rng.Intn(4))}, {Types: []string{"string"}}}}
}

func (c *drawer) nullable(depth int) *Node {
	var n *Node
	switch k := c.rng.Intn(6); {
	case k == 0 && depth > 0:
		n = c.object(depth-1, false)
	case k == 1 && depth > 0:
		n = c.array(depth - 1)
	case k == 2 && c.f.NullableEnums:
		n = c.closedEnum()
		n.Types = []string{"string"}
		if c.rng.Intn(2) == 0 {
			n.Enum = append(n.Enum, nil)
		}
	default:
		n = c.scalar(depth)
	}
	if c.rng.Intn(2) == 0 {
		n.Types = append(n.Types, "null")
	} else {
		n.Types = append([]string{"null"}, n.Types...)
	}
	n.TypeArray = true
	return n
}

func (c *drawer) object(depth int, data bool) *Node {
	rng := c.rng
	n := &Node{Types: []string{"object"}, Properties: []Prop{}}
	k := 1 + rng.Intn(5)
	if !data && c.f.EmptyObjects && rng.Intn(10) == 0 {
		k = 0
	}
	taken := map[string]bool{}
	for i := 0; i < k; i++ {
		name := c.propName(taken)
		taken[name] = true
		var s *Node
		if c.f.BooleanSchemas && rng.Intn(30) == 0 {
			s = boolNode(rng.Intn(2) == 0)
		} else {
			s = c.node(depth)
		}
		n.Properties = append(n.Properties, Prop{name, s})
		if !c.f.OptionalMinCounts && hasMinCount(s) {
			n.Required = append(n.Required, name)
		} else if rng.Intn(2) == 0 && !(s.Bool != nil && !*s.Bool) {
			n.Required = append(n.Required, name)
		}
	}
	if n.Required == nil && rng.Intn(10) == 0 {
		n.Required = []string{}
	}
	if c.f.ObjectKeywords {
		// A property count on the data makes it an untyped value, which the
		// generator refuses: counts are drawn on nested objects.
		switch rng.Intn(12) {
		case 0, 1:
			n.Additional = boolNode(false)
		case 2:
			n.Additional = boolNode(true)
		case 3:
			if c.f.Maps && !data {
				n.Additional = c.scalar(0)
			}
		case 4:
			if c.f.PropertyCounts && !data {
				n.MinProperties = intp(rng.Intn(3))
			}
		case 5:
			if c.f.PropertyCounts && !data {
				n.MaxProps = intp(len(n.Required) + rng.Intn(3))
			}
		}
	}
	return n
}

// propName draws a property name not in taken.
func (c *drawer) propName(taken map[string]bool) string {
	for {
		var pool []string
		switch k := c.rng.Intn(40); {
		case k == 0 && c.risky:
			pool = oddNames
		case k <= 4 && c.f.ShadowNames:
			pool = shadowNames
		case k == 5 && c.f.AwkwardNames && c.risky:
			pool = awkwardNames
		default:
			pool = plainNames
		}
		name := pool[c.rng.Intn(len(pool))]
		if !taken[name] {
			return name
		}
	}
}

func (c *drawer) mapOf(depth int) *Node {
	n := &Node{Types: []string{"object"}, Additional: c.node(depth)}
	if c.f.ObjectKeywords && c.rng.Intn(3) == 0 {
		n.MinProperties = intp(c.rng.Intn(2))
		if c.rng.Intn(2) == 0 {
			n.MaxProps = intp(*n.MinProperties + c.rng.Intn(3))
		}
	}
	return n
}

func (c *drawer) array(depth int) *Node {
	rng := c.rng
	n := &Node{Types: []string{"array"}}
	if rng.Intn(15) > 0 {
		n.Items = c.node(depth)
	}
	if c.f.ArrayKeywords {
		if rng.Intn(3) == 0 {
			n.MinItems = intp(rng.Intn(3))
		}
		if rng.Intn(3) == 0 {
			lo := 0
			if n.MinItems != nil {
				lo = *n.MinItems
			}
			n.MaxItems = intp(lo + rng.Intn(4))
		}
		if rng.Intn(5) == 0 {
			u := rng.Intn(4) > 0
			n.UniqueItems = &u
		}
	}
	return n
}

// refable lists the definitions a $ref drawn now may name, with the
// reference as written from the current file.
func (c *drawer) refable() []refChoice {
	var out []refChoice
	switch {
	case c.file == DefsFile:
		for _, d := range c.set.Defs {
			out = append(out, refChoice{"#/$defs/" + refToken(d.Name), d.Schema})
		}
	case strings.HasPrefix(c.file, EventsDir+"/"):
		for _, d := range c.set.Defs {
			out = append(out, refChoice{"../" + DefsFile + "#/$defs/" + refToken(d.Name), d.Schema})
		}
		for _, d := range c.local {
			out = append(out, refChoice{"#/$defs/" + refToken(d.Name), d.Schema})
		}
	}
	return out
}

type refChoice struct {
	ref    string
	target *Node
}

// refToken writes a definition name as a URI fragment token.
func refToken(name string) string {
	return (&url.URL{Fragment: escapeToken(name)}).EscapedFragment()
}

func (c *drawer) ref() *Node {
	rs := c.refable()
	r := rs[c.rng.Intn(len(rs))]
	return &Node{Ref: r.ref, Target: r.target}
}

var allTypes = []string{"string", "integer", "number", "boolean", "object", "array", "null"}

func (c *drawer) union() *Node {
	perm := c.rng.Perm(len(allTypes))
	n := &Node{}
	for _, i := range perm[:2+c.rng.Intn(2)] {
		t := allTypes[i]
		if t == "number" && !c.f.Numbers {
			continue
		}
		n.Types = append(n.Types, t)
		switch {
		case t == "string" && c.rng.Intn(2) == 0:
			n.MaxLength = intp(1 + c.rng.Intn(5))
		case t == "integer" && (c.rng.Intn(2) == 0 || !c.f.WideIntegers):
			n.Minimum = "0"
			if !c.f.WideIntegers {
				n.Maximum = maxSafe
			}
		case t == "array" && c.rng.Intn(2) == 0:
			n.MaxItems = intp(2)
		}
	}
	n.TypeArray = true
	return n
}

// anyValue draws a JSON value of any type.
func (c *drawer) anyValue(depth int) any {
	rng := c.rng
	switch k := rng.Intn(9); {
	case k == 0:
		return nil
	case k == 1:
		return rng.Intn(2) == 0
	case k == 2:
		return json.Number(strconv.Itoa(rng.Intn(20) - 5))
	case k == 3:
		return json.Number([]string{"1.5", "1.0", "0.1", "-2.25", "1e2", "0"}[rng.Intn(6)])
	case k == 4 && depth > 0:
		var a []any
		for i := 0; i < rng.Intn(3); i++ {
			a = append(a, c.anyValue(depth-1))
		}
		if a == nil {
			a = []any{}
		}
		return a
	case k == 5 && depth > 0:
		o := &Object{}
		for i := 0; i < rng.Intn(3); i++ {
			o.Set(plainNames[rng.Intn(len(plainNames))], c.anyValue(depth-1))
		}
		return o
	}
	return stringWords[rng.Intn(len(stringWords))]
}

func (c *drawer) constAny() *Node {
	v := c.anyValue(2)
	n := &Node{HasConst: true, Const: v}
	if c.rng.Intn(2) == 0 {
		n.Types = []string{jsonType(v)}
	}
	return n
}

func (c *drawer) enumAny() *Node {
	var vs []any
	for i := 0; i < 1+c.rng.Intn(4); i++ {
		v := c.anyValue(1)
		dup := false
		for _, w := range vs {
			dup = dup || Equal(v, w)
		}
		if !dup {
			vs = append(vs, v)
		}
	}
	if c.f.EmptyEnums && c.risky && c.rng.Intn(10) == 0 {
		vs = []any{}
	}
	return &Node{Enum: vs}
}

// jsonType names the JSON type of a value ("integer" for whole numbers).
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if r, ok := rat(x); ok && r.IsInt() {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

func (c *drawer) untyped() *Node {
	switch c.rng.Intn(6) {
	case 0:
		if !c.f.Numbers {
			return &Node{}
		}
		return &Node{Minimum: "3"}
	case 1:
		return &Node{MaxLength: intp(3)}
	case 2:
		return &Node{Required: []string{"a"}}
	case 3:
		return &Node{MinItems: intp(1)}
	case 4:
		return &Node{Pattern: "^a"}
	}
	if !c.f.Numbers {
		return &Node{MinProperties: intp(1)}
	}
	return &Node{MultipleOf: "2"}
}

func (c *drawer) composition(depth int) *Node {
	rng := c.rng
	switch rng.Intn(7) {
	case 0:
		return &Node{OneOf: []*Node{c.scalar(0), c.scalar(0)}}
	case 1:
		return &Node{AnyOf: []*Node{c.node(max(depth-1, 0)), c.scalar(0)}}
	case 2: // one schema's keywords split over allOf branches
		base := c.scalar(0)
		return splitAllOf(base, rng)
	case 3:
		return &Node{Types: []string{"string"}, Not: &Node{Enum: c.words(1 + rng.Intn(2))}}
	case 4:
		return &Node{Not: &Node{Types: []string{"null"}}}
	case 5:
		return &Node{Types: []string{"integer"}, Minimum: "0", Maximum: "100", Not: &Node{MultipleOf: "3"}}
	}
	if rs := c.refable(); len(rs) > 0 {
		r := rs[rng.Intn(len(rs))]
		n := &Node{Ref: r.ref, Target: r.target}
		switch rng.Intn(3) {
		case 0:
			n.MinLength = intp(1)
		case 1:
			n.Types = []string{"string", "integer", "object"}
			n.TypeArray = true
		case 2:
			n.Not = &Node{HasConst: true, Const: ""}
		}
		return n
	}
	return &Node{AllOf: []*Node{c.scalar(0)}}
}

// splitAllOf spreads a schema's keywords over two allOf branches.
func splitAllOf(base *Node, rng *rand.Rand) *Node {
	a := &Node{Types: base.Types}
	b := &Node{}
	move := func(to *Node, set func(*Node)) { set(to) }
	pick := func() *Node {
		if rng.Intn(2) == 0 {
			return a
		}
		return b
	}
	move(pick(), func(n *Node) { n.Minimum, n.ExclusiveMinimum = base.Minimum, base.ExclusiveMinimum })
	move(pick(), func(n *Node) { n.Maximum, n.ExclusiveMaximum = base.Maximum, base.ExclusiveMaximum })
	move(pick(), func(n *Node) { n.MultipleOf = base.MultipleOf })
	move(pick(), func(n *Node) { n.Pattern, n.Format = base.Pattern, base.Format })
	move(pick(), func(n *Node) { n.MinLength, n.MaxLength = base.MinLength, base.MaxLength })
	if rng.Intn(2) == 0 {
		return &Node{AllOf: []*Node{a, b}}
	}
	a.AllOf = []*Node{b}
	return a
}

// hasMinCount reports whether n, or what its $ref names, asks for at least
// one item or property.
func hasMinCount(n *Node) bool {
	for depth := 0; n != nil && depth < 10; depth++ {
		if n.MinItems != nil && *n.MinItems > 0 || n.MinProperties != nil && *n.MinProperties > 0 {
			return true
		}
		n = n.Target
	}
	return false
}
