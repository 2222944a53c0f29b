package randschema

import (
	"errors"
	"math/rand"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/krosgen/krosgen/schema"
)

// Instance draws a payload of event i that the reference validator
// accepts: it draws a value from the schemas, then redraws the parts the
// reference rejects, until it accepts or attempts run out.
func (s *Set) Instance(rng *rand.Rand, loaded *schema.Set, i int) (any, bool) {
	x, _, ok := s.instance(rng, loaded, i)
	return x, ok
}

// instance also returns, for each JSON pointer of the payload, the schema
// node its value was drawn from.
func (s *Set) instance(rng *rand.Rand, loaded *schema.Set, i int) (any, map[string]*Node, bool) {
	ev := s.Events[i]
	var levt *schema.Event
	for _, e := range loaded.Events {
		if e.Type == ev.Type {
			levt = e
		}
	}
	if levt == nil {
		return nil, nil, false
	}
	g := &instGen{rng: rng, paths: map[string]*Node{}, root: s.root(ev)}
	doc := g.value(g.root, "", 3)
	fails := map[string]int{}
	for attempt := 0; attempt < 60; attempt++ {
		err := levt.Validate(Encode(doc))
		if err == nil {
			return doc, g.paths, true
		}
		var ve *schema.ValidationError
		if !errors.As(err, &ve) {
			return nil, nil, false
		}
		redo := map[string]bool{}
		for _, p := range ve.Problems {
			at := g.nearest(p.Pointer)
			for fails[at] >= 3 && at != "" {
				at = g.nearest(parentPointer(at))
			}
			fails[at]++
			redo[at] = true
		}
		var ats []string
		for at := range redo {
			ats = append(ats, at)
		}
		sort.Strings(ats)
		for _, at := range ats {
			n := g.paths[at]
			g.forget(at)
			v := g.value(n, at, 3)
			if at == "" {
				doc = v
			} else {
				doc = setAt(doc, at, v)
			}
		}
	}
	return nil, nil, false
}

// root is the schema of a whole payload of the event: the envelope, with
// event and data as the event file says.
func (s *Set) root(ev *Event) *Node {
	r := *s.Envelope
	r.Properties = nil
	for _, p := range s.Envelope.Properties {
		switch p.Name {
		case "event":
			ec := *p.Schema
			ec.HasConst, ec.Const = true, ev.Type
			p = Prop{"event", &ec}
		case "data":
			p = Prop{"data", ev.Data}
		}
		r.Properties = append(r.Properties, p)
	}
	return &r
}

type instGen struct {
	rng   *rand.Rand
	paths map[string]*Node
	root  *Node
}

// nearest returns the longest drawn pointer that is ptr or a prefix of it.
func (g *instGen) nearest(ptr string) string {
	for {
		if _, ok := g.paths[ptr]; ok || ptr == "" {
			return ptr
		}
		ptr = parentPointer(ptr)
	}
}

func (g *instGen) forget(ptr string) {
	for p := range g.paths {
		if p == ptr || strings.HasPrefix(p, ptr+"/") {
			delete(g.paths, p)
		}
	}
}

func parentPointer(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

// merged folds a node's $ref target and allOf branches, and one anyOf and
// oneOf branch, into one node to draw from; what it gets wrong the
// reference's verdict redraws.
func (g *instGen) merged(n *Node) *Node {
	m := &Node{}
	var fold func(n *Node, depth int)
	fold = func(n *Node, depth int) {
		if n == nil || depth > 8 {
			return
		}
		if n.Bool != nil {
			if !*n.Bool {
				m.Bool = n.Bool
			}
			return
		}
		overlay(m, n)
		fold(n.Target, depth+1)
		for _, a := range n.AllOf {
			fold(a, depth+1)
		}
		if len(n.AnyOf) > 0 {
			fold(n.AnyOf[g.rng.Intn(len(n.AnyOf))], depth+1)
		}
		if len(n.OneOf) > 0 {
			fold(n.OneOf[g.rng.Intn(len(n.OneOf))], depth+1)
		}
	}
	fold(n, 0)
	return m
}

// overlay copies into m the keywords of n that m does not have.
func overlay(m, n *Node) {
	if len(n.Types) > 0 {
		if len(m.Types) == 0 {
			m.Types = n.Types
		} else {
			var both []string
			for _, t := range m.Types {
				for _, u := range n.Types {
					if t == u || t == "number" && u == "integer" || t == "integer" && u == "number" {
						if t == "number" {
							t = u
						}
						both = append(both, t)
					}
				}
			}
			if len(both) > 0 {
				m.Types = both
			}
		}
	}
	if m.Enum == nil {
		m.Enum = n.Enum
	}
	if !m.HasConst && n.HasConst {
		m.HasConst, m.Const = true, n.Const
	}
	for _, p := range []struct{ dst, src **int }{{&m.MinLength, &n.MinLength}, {&m.MaxLength, &n.MaxLength}, {&m.MinProperties, &n.MinProperties}, {&m.MaxProps, &n.MaxProps}, {&m.MinItems, &n.MinItems}, {&m.MaxItems, &n.MaxItems}} {
		if *p.dst == nil {
			*p.dst = *p.src
		}
	}
	for _, p := range []struct{ dst, src *string }{{&m.Pattern, &n.Pattern}, {&m.Format, &n.Format}, {&m.Minimum, &n.Minimum}, {&m.Maximum, &n.Maximum}, {&m.ExclusiveMinimum, &n.ExclusiveMinimum}, {&m.ExclusiveMaximum, &n.ExclusiveMaximum}, {&m.MultipleOf, &n.MultipleOf}} {
		if *p.dst == "" {
			*p.dst = *p.src
		}
	}
	if m.Properties == nil {
		m.Properties = n.Properties
	} else {
		for _, p := range n.Properties {
			if m.Prop(p.Name) == nil {
				m.Properties = append(append([]Prop{}, m.Properties...), p)
			}
		}
	}
	for _, r := range n.Required {
		if !m.IsRequired(r) {
			m.Required = append(append([]string{}, m.Required...), r)
		}
	}
	if m.Additional == nil {
		m.Additional = n.Additional
	}
	if m.Items == nil {
		m.Items = n.Items
	}
	if m.UniqueItems == nil {
		m.UniqueItems = n.UniqueItems
	}
}

// value draws a value for node n at pointer ptr.
func (g *instGen) value(n *Node, ptr string, depth int) any {
	g.paths[ptr] = n
	rng := g.rng
	m := g.merged(n)
	if m.Bool != nil {
		return "unsatisfiable"
	}
	if m.HasConst {
		return Clone(m.Const)
	}
	if len(m.Enum) > 0 {
		return Clone(m.Enum[rng.Intn(len(m.Enum))])
	}
	types := m.Types
	if len(types) == 0 {
		types = impliedTypes(m)
	}
	t := types[rng.Intn(len(types))]
	if t == "null" && len(types) > 1 && rng.Intn(3) > 0 {
		t = types[(indexOf(types, "null")+1)%len(types)]
	}
	switch t {
	case "null":
		return nil
	case "boolean":
		return rng.Intn(2) == 0
	case "integer":
		return sampleNumber(&drawer{rng: rng}, m, true)
	case "number":
		return sampleNumber(&drawer{rng: rng}, m, false)
	case "string":
		return g.str(m)
	case "array":
		return g.array(m, ptr, depth)
	case "object":
		return g.object(m, ptr, depth)
	}
	return nil
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

func impliedTypes(m *Node) []string {
	switch {
	case m.Properties != nil || m.Required != nil || m.Additional != nil || m.MinProperties != nil || m.MaxProps != nil:
		return []string{"object"}
	case m.Items != nil || m.MinItems != nil || m.MaxItems != nil || m.UniqueItems != nil:
		return []string{"array"}
	case m.Pattern != "" || m.Format != "" || m.MinLength != nil || m.MaxLength != nil:
		return []string{"string"}
	case m.Minimum != "" || m.Maximum != "" || m.ExclusiveMinimum != "" || m.ExclusiveMaximum != "" || m.MultipleOf != "":
		return []string{"integer"}
	}
	return []string{"string", "integer", "boolean", "null", "object", "array"}
}

func (g *instGen) str(m *Node) string {
	rng := g.rng
	lo, hi := 0, 8
	if m.MinLength != nil {
		lo = *m.MinLength
		hi = lo + 6
	}
	if m.MaxLength != nil {
		hi = *m.MaxLength
	}
	fits := func(s string) bool {
		n := utf8.RuneCountInString(s)
		return n >= lo && n <= hi
	}
	if m.Format != "" {
		vs := formats[m.Format].valid
		for _, i := range rng.Perm(len(vs)) {
			if fits(vs[i]) {
				return vs[i]
			}
		}
		return vs[0]
	}
	if m.Pattern != "" {
		if ps := newPatternSampler(m.Pattern); ps != nil {
			for try := 0; try < 10; try++ {
				if s, ok := ps.sample(rng); ok && fits(s) {
					return s
				}
			}
		}
	}
	if rng.Intn(3) == 0 {
		w := stringWords[rng.Intn(len(stringWords))]
		if fits(w) {
			return w
		}
	}
	if hi < lo {
		hi = lo
	}
	return randomTextLen(rng, lo+rng.Intn(hi-lo+1))
}

func randomTextLen(rng *rand.Rand, n int) string {
	rs := []rune(textAlphabet)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(rs[rng.Intn(len(rs))])
	}
	return b.String()
}

func (g *instGen) array(m *Node, ptr string, depth int) any {
	rng := g.rng
	lo, hi := 0, 3
	if m.MinItems != nil {
		lo = *m.MinItems
		hi = lo + 2
	}
	if m.MaxItems != nil && *m.MaxItems < hi {
		hi = *m.MaxItems
	}
	if hi < lo {
		hi = lo
	}
	k := lo + rng.Intn(hi-lo+1)
	if depth <= 0 {
		k = lo
	}
	out := []any{}
	items := m.Items
	if items == nil {
		items = &Node{}
	}
	for i := 0; i < k; i++ {
		var v any
		for try := 0; try < 8; try++ {
			v = g.value(items, ptr+"/"+strconv.Itoa(i), depth-1)
			if m.UniqueItems == nil || !*m.UniqueItems || !containsValue(out, v) {
				break
			}
		}
		out = append(out, v)
	}
	return out
}

func containsValue(vs []any, v any) bool {
	for _, w := range vs {
		if Equal(v, w) {
			return true
		}
	}
	return false
}

func (g *instGen) object(m *Node, ptr string, depth int) any {
	rng := g.rng
	o := &Object{}
	for _, p := range m.Properties {
		if p.Schema.Bool != nil && !*p.Schema.Bool {
			continue
		}
		if m.IsRequired(p.Name) || (depth > 0 && rng.Intn(5) < 3) {
			o.Members = append(o.Members, Member{p.Name, g.value(p.Schema, ptr+"/"+escapeToken(p.Name), depth-1)})
		}
	}
	for _, r := range m.Required {
		if _, ok := o.Get(r); !ok && m.Prop(r) == nil {
			o.Members = append(o.Members, Member{r, g.value(orAny(m.Additional), ptr+"/"+escapeToken(r), depth-1)})
		}
	}
	closed := m.Additional != nil && m.Additional.Bool != nil && !*m.Additional.Bool
	extras := 0
	if !closed && m.Additional != nil && depth > 0 {
		extras = rng.Intn(3)
	} else if !closed && depth > 0 && rng.Intn(6) == 0 {
		extras = 1
	}
	want := 0
	if m.MinProperties != nil {
		want = *m.MinProperties
	}
	for i := 0; (i < extras || len(o.Members) < want) && i < 12; i++ {
		added := false
		for _, p := range m.Properties {
			if _, ok := o.Get(p.Name); !ok && len(o.Members) < want && !(p.Schema.Bool != nil && !*p.Schema.Bool) {
				o.Members = append(o.Members, Member{p.Name, g.value(p.Schema, ptr+"/"+escapeToken(p.Name), depth-1)})
				added = true
				break
			}
		}
		if added || closed {
			continue
		}
		key := extraKeys[rng.Intn(len(extraKeys))]
		if _, ok := o.Get(key); ok || m.Prop(key) != nil {
			continue
		}
		o.Members = append(o.Members, Member{key, g.value(orAny(m.Additional), ptr+"/"+escapeToken(key), depth-1)})
	}
	if m.MaxProps != nil {
		for i := len(o.Members) - 1; i >= 0 && len(o.Members) > *m.MaxProps; i-- {
			if !m.IsRequired(o.Members[i].Key) {
				g.forget(ptr + "/" + escapeToken(o.Members[i].Key))
				o.Members = append(o.Members[:i], o.Members[i+1:]...)
			}
		}
	}
	return o
}

// extraKeys name members no schema declares.
var extraKeys = []string{"extra", "x_new", "Extra Key", "a/b", "~tilde", "", "é", "k1", "k2", "k3"}

func orAny(n *Node) *Node {
	if n == nil || (n.Bool != nil && *n.Bool) {
		return &Node{}
	}
	return n
}

// setAt replaces the value at a JSON pointer, returning the new root.
func setAt(root any, ptr string, v any) any {
	if ptr == "" {
		return v
	}
	tokens := strings.Split(ptr[1:], "/")
	cur := root
	for i, t := range tokens {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		last := i == len(tokens)-1
		switch x := cur.(type) {
		case *Object:
			if last {
				x.Set(t, v)
				return root
			}
			next, ok := x.Get(t)
			if !ok {
				return root
			}
			cur = next
		case []any:
			k, err := strconv.Atoi(t)
			if err != nil || k < 0 || k >= len(x) {
				return root
			}
			if last {
				x[k] = v
				return root
			}
			cur = x[k]
		default:
			return root
		}
	}
	return root
}

// deleteAt removes the member at a JSON pointer, if it names one.
func deleteAt(root any, ptr string) {
	parent, key := parentPointer(ptr), ptr[strings.LastIndexByte(ptr, '/')+1:]
	key = strings.ReplaceAll(strings.ReplaceAll(key, "~1", "/"), "~0", "~")
	if o, ok := getAt(root, parent).(*Object); ok {
		o.Delete(key)
	}
}

// getAt returns the value at a JSON pointer, or nil.
func getAt(root any, ptr string) any {
	if ptr == "" {
		return root
	}
	cur := root
	for _, t := range strings.Split(ptr[1:], "/") {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		switch x := cur.(type) {
		case *Object:
			next, ok := x.Get(t)
			if !ok {
				return nil
			}
			cur = next
		case []any:
			k, err := strconv.Atoi(t)
			if err != nil || k < 0 || k >= len(x) {
				return nil
			}
			cur = x[k]
		default:
			return nil
		}
	}
	return cur
}

// patternKind names how the generator is expected to check a pattern:
// "loop" for an anchored run of ASCII classes and literals with
// quantifiers, "loop-overlapping" when two of its classes share a
// character, "regexp" otherwise.
func patternKind(p string) string {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) < 3 || re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return "regexp"
	}
	var sets [][]rune
	for _, s := range re.Sub[1 : len(re.Sub)-1] {
		switch s.Op {
		case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
			if s.Flags&syntax.NonGreedy != 0 {
				return "regexp"
			}
			s = s.Sub[0]
		}
		switch s.Op {
		case syntax.OpLiteral:
			if s.Flags&syntax.FoldCase != 0 {
				return "regexp"
			}
			for _, r := range s.Rune {
				sets = append(sets, []rune{r, r})
			}
		case syntax.OpCharClass:
			sets = append(sets, s.Rune)
		default:
			return "regexp"
		}
	}
	for i := range sets {
		for j := i + 1; j < len(sets); j++ {
			if rangesOverlap(sets[i], sets[j]) {
				return "loop-overlapping"
			}
		}
	}
	return "loop"
}

func rangesOverlap(a, b []rune) bool {
	for i := 0; i+1 < len(a); i += 2 {
		for j := 0; j+1 < len(b); j += 2 {
			if a[i] <= b[j+1] && b[j] <= a[i+1] {
				return true
			}
		}
	}
	return false
}
