package schemadiff

import (
	"encoding/json"
	"sort"
)

// deleteValue, as a candidate, removes the property instead of setting it.
type deleteValue struct{}

// maxTries bounds the payloads validated per change and side.
const maxTries = 400

// witnesses searches payloads that tell the two sides apart at the change's
// place: fw is accepted by NEW and rejected by OLD, bw the reverse. Either
// is nil when none was found.
func (d *differ) witnesses(ch *change) (fw, bw []byte) {
	bases := d.bases(ch.event)
	cands := append([]any{deleteValue{}}, candidates(ch)...)
	tries := 0
	for _, v := range cands {
		for _, base := range bases {
			if fw != nil && bw != nil || tries >= maxTries {
				return fw, bw
			}
			payload, ok := place(base.value, base.root, ch.target(), v)
			if !ok {
				continue
			}
			tries++
			inOld, inNew := d.old.accepts(ch.event, payload), d.new.accepts(ch.event, payload)
			switch {
			case inNew && !inOld && fw == nil:
				fw = payload
			case inOld && !inNew && bw == nil:
				bw = payload
			}
		}
	}
	return fw, bw
}

// base is an example payload to mutate, and the schema of the side it
// comes from.
type base struct {
	value any
	root  *node
}

// bases returns the examples of an event on both sides, NEW's first, each
// with the schema of either side to build what it lacks on the way to a
// change.
func (d *differ) bases(event string) []base {
	var out []base
	seen := map[string]bool{}
	for _, s := range []*Side{d.new, d.old} {
		for _, ex := range s.examples(event) {
			if k := canonical(ex); !seen[k] {
				seen[k] = true
				for _, root := range []*Side{d.new, d.old} {
					if n := root.events[event]; n != nil {
						out = append(out, base{ex, n})
					}
				}
			}
		}
	}
	if len(out) == 0 { // an event without examples: build one
		for _, s := range []*Side{d.new, d.old} {
			if n := s.events[event]; n != nil {
				out = append(out, base{sample(n, 0), n})
			}
		}
	}
	return out
}

// place copies payload and puts v at the pointer at (or removes the
// property there, for deleteValue). A missing or ill-typed container on the
// way is replaced by a sample of its schema in root. It returns the JSON
// text, or false when the pointer cannot be laid.
func place(payload any, root *node, at []tok, v any) ([]byte, bool) {
	doc := deepCopy(payload)
	if len(at) == 0 {
		if _, del := v.(deleteValue); del {
			return nil, false
		}
		b, err := json.Marshal(v)
		return b, err == nil
	}
	var set func(cur any, n *node, i int) (any, bool)
	set = func(cur any, n *node, i int) (any, bool) {
		t := at[i]
		last := i == len(at)-1
		child := childNode(n, t)
		switch t.kind {
		case 'p', 'v':
			obj, ok := cur.(map[string]any)
			if !ok {
				if obj, ok = sample(n, 0).(map[string]any); !ok {
					obj = map[string]any{}
				}
			}
			name := t.name
			if t.kind == 'v' {
				name = extraKey(obj, n)
			}
			if last {
				if _, del := v.(deleteValue); del {
					if t.kind != 'p' {
						return nil, false
					}
					delete(obj, name)
				} else {
					obj[name] = v
				}
				return obj, true
			}
			sub, ok := set(obj[name], child, i+1)
			if !ok {
				return nil, false
			}
			obj[name] = sub
			return obj, true
		case 'i':
			arr, ok := cur.([]any)
			if !ok || len(arr) == 0 {
				arr = []any{sample(child, 0)}
			}
			if last {
				if _, del := v.(deleteValue); del {
					return nil, false
				}
				arr[0] = v
				return arr, true
			}
			sub, ok := set(arr[0], child, i+1)
			if !ok {
				return nil, false
			}
			arr[0] = sub
			return arr, true
		}
		return nil, false
	}
	out, ok := set(doc, root, 0)
	if !ok {
		return nil, false
	}
	b, err := json.Marshal(out)
	return b, err == nil
}

// childNode is the schema one step below n.
func childNode(n *node, t tok) *node {
	if n == nil {
		return nil
	}
	switch t.kind {
	case 'p':
		if c, ok := n.prop[t.name]; ok {
			return c
		}
		return n.additional
	case 'v':
		return n.additional
	case 'i':
		return n.items
	}
	return nil
}

// extraKey names a member that no declared property matches: an existing
// one when the object has such (a map's key), a new one otherwise.
func extraKey(obj map[string]any, n *node) string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if n == nil {
			break
		}
		if _, declared := n.prop[k]; !declared {
			return k
		}
	}
	return "x_krosgen"
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
