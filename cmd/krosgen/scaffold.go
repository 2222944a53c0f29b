package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"

	"strings"

	"github.com/krosgen/krosgen/schema"
)

// This file infers an event schema from one documented example: the part of
// "krosgen new" that decides, with the decisions it made, for a person to
// confirm.

// definition is a $defs entry of defs.json that a value may reuse.
type definition struct {
	name    string
	typ     string // "string", "integer", ...
	pattern *regexp.Regexp
	enum    []string // the listed values of an enum, open or closed
	min     *float64
	max     *float64
}

// loadDefinitions reads the reusable entries of defs.json, in file order.
func loadDefinitions(defs []byte) ([]definition, error) {
	root, err := parseOrdered(defs)
	if err != nil || root.kind != '{' {
		return nil, fmt.Errorf("%s: not a JSON object", schema.DefsFile)
	}
	d := root.get("$defs")
	if d == nil || d.kind != '{' {
		return nil, nil
	}
	var out []definition
	for i, name := range d.keys {
		s := d.vals[i]
		if s.kind != '{' {
			continue
		}
		def := definition{name: name}
		if t := s.get("type"); t != nil && t.kind == 's' {
			def.typ = t.str
		}
		if p := s.get("pattern"); p != nil && p.kind == 's' {
			if re, err := regexp.Compile(p.str); err == nil {
				def.pattern = re
			}
		}
		enum := s.get("enum")
		if any := s.get("anyOf"); any != nil && any.kind == '[' && len(any.vals) == 2 && any.vals[0].kind == '{' {
			enum = any.vals[0].get("enum")
			def.typ = "string"
		}
		if enum != nil && enum.kind == '[' {
			for _, v := range enum.vals {
				if v.kind == 's' {
					def.enum = append(def.enum, v.str)
				}
			}
			if def.typ == "" {
				def.typ = "string"
			}
		}
		for _, b := range []struct {
			key string
			dst **float64
		}{{"minimum", &def.min}, {"maximum", &def.max}} {
			if v := s.get(b.key); v != nil && v.kind == 'n' {
				f, _ := v.num.Float64()
				*b.dst = &f
			}
		}
		out = append(out, def)
	}
	return out, nil
}

// inferrer types the values of an example.
type inferrer struct {
	defs      []definition
	optional  map[string]bool // property names or dotted paths under data
	decisions []string
	used      map[string]bool // -optional names that matched
}

func (in *inferrer) decide(path, format string, args ...any) {
	in.decisions = append(in.decisions, fmt.Sprintf("%-28s %s", path, fmt.Sprintf(format, args...)))
}

var (
	categoryRE   = regexp.MustCompile(`^([a-z]+(_[a-z]+)*|[A-Z]+(_[A-Z]+)*)$`)
	identifierRE = regexp.MustCompile(`^[A-Za-z]+_[A-Za-z0-9_]*[0-9][A-Za-z0-9_]*$`)
)

// value infers the schema of n at path ("data.call_id"), named name.
func (in *inferrer) value(path, name string, n *jsonNode) any {
	switch n.kind {
	case '{':
		return in.object(path, n)
	case '[':
		if len(n.vals) == 0 {
			in.decide(path, "array: empty in the example, so its items accept any value")
			return ordered{{"type", "array"}}
		}
		items := in.value(path+"[]", name, n.vals[0])
		return ordered{{"type", "array"}, {"items", items}}
	case 's':
		return in.str(path, name, n.str)
	case 'n':
		return in.number(path, name, n.num)
	case 'b':
		in.decide(path, "boolean")
		return ordered{{"type", "boolean"}}
	}
	in.decide(path, "null in the example: any value is accepted; give it a type")
	return ordered{}
}

func (in *inferrer) object(path string, n *jsonNode) ordered {
	var required []string
	var props ordered
	for i, k := range n.keys {
		p := k
		if path != "" {
			p = path + "." + k
		}
		props = append(props, kv{k, in.value(p, k, n.vals[i])})
		rel := strings.TrimPrefix(p, "data.")
		if in.optional[k] || in.optional[rel] || in.optional[p] {
			in.used[k], in.used[rel], in.used[p] = true, true, true
			in.decide(p, "optional (-optional)")
			continue
		}
		required = append(required, k)
	}
	out := ordered{{"type", "object"}}
	if len(required) > 0 {
		out = append(out, kv{"required", required})
	}
	return append(out, kv{"properties", props})
}

// ref is a $ref to a definition of defs.json.
func ref(def string) ordered {
	return ordered{{"$ref", "../" + schema.DefsFile + "#/$defs/" + def}}
}

func (in *inferrer) str(path, name, s string) any {
	var matches []definition
	for _, d := range in.defs {
		if d.typ == "string" && d.pattern != nil && d.pattern.MatchString(s) {
			matches = append(matches, d)
		}
	}
	if len(matches) > 0 {
		best := matches[0]
		for _, d := range matches {
			if d.name == name || strings.HasSuffix(name, "_"+d.name) || strings.HasSuffix(d.name, name) {
				best = d
				break
			}
		}
		note := ""
		if len(matches) > 1 {
			var others []string
			for _, d := range matches {
				if d.name != best.name {
					others = append(others, d.name)
				}
			}
			note = " (also matches " + strings.Join(others, ", ") + ")"
		}
		in.decide(path, "$defs/%s: %q matches its pattern %s%s", best.name, s, best.pattern, note)
		return ref(best.name)
	}
	for _, d := range in.defs {
		for _, v := range d.enum {
			if v == s && (d.name == name || strings.HasSuffix(name, d.name) || strings.HasSuffix(d.name, name)) {
				in.decide(path, "$defs/%s: %q is one of its values", d.name, s)
				return ref(d.name)
			}
		}
	}
	switch {
	case schema.Formats["date-time"](s):
		in.decide(path, "date-time: %q is an RFC 3339 date-time", s)
		return ordered{{"type", "string"}, {"format", "date-time"}}
	case strings.Contains(s, "://") && schema.Formats["uri"](s):
		in.decide(path, "uri: %q is an absolute URI", s)
		return ordered{{"type", "string"}, {"format", "uri"}}
	case categoryRE.MatchString(s) && len(s) <= 40:
		in.decide(path, "open enum: %q looks like one value of a set KrosAI may extend; any string is accepted", s)
		return ordered{{"anyOf", []any{ordered{{"enum", []string{s}}}, ordered{{"type", "string"}}}}}
	case identifierRE.MatchString(s):
		in.decide(path, "string: %q looks like an identifier no $defs pattern matches; consider adding one to %s", s, schema.DefsFile)
	default:
		in.decide(path, "string")
	}
	return ordered{{"type", "string"}}
}

func (in *inferrer) number(path, name string, num json.Number) any {
	f, _ := num.Float64()
	integer := !strings.ContainsAny(string(num), ".eE")
	for _, d := range in.defs {
		if (d.typ != "integer" || !integer) && d.typ != "number" {
			continue
		}
		if d.name != name && !strings.HasSuffix(name, "_"+d.name) {
			continue
		}
		if (d.min != nil && f < *d.min) || (d.max != nil && f > *d.max) {
			continue
		}
		in.decide(path, "$defs/%s: the property is named after it and %s is in its range", d.name, num)
		return ref(d.name)
	}
	// krosgen refuses unbounded numbers (Go's int64 and float64 cannot hold
	// every value they allow): bound them, for the author to narrow.
	if integer {
		lo := int64(0)
		if f < 0 {
			lo = -(1<<53 - 1)
		}
		in.decide(path, "integer from %d to 2^53-1 (the integers every JSON reader holds exactly); narrow the bounds if you know them", lo)
		return ordered{{"type", "integer"}, {"minimum", lo}, {"maximum", int64(1<<53 - 1)}}
	}
	in.decide(path, "number, bounded by float64's range; narrow the bounds if you know them")
	return ordered{{"type", "number"}, {"minimum", json.Number("-1.7976931348623157e308")}, {"maximum", json.Number("1.7976931348623157e308")}}
}

// scaffold builds the event schema of typ from example, a whole payload or
// only its data. order is the event's x-order.
func scaffold(typ, doc string, order int, example []byte, defs []definition, optional []string) ([]byte, []string, error) {
	root, err := parseOrdered(example)
	if err != nil {
		return nil, nil, fmt.Errorf("the example is not JSON: %v", err)
	}
	if root.kind != '{' {
		return nil, nil, fmt.Errorf("the example is not a JSON object")
	}
	in := &inferrer{defs: defs, optional: map[string]bool{}, used: map[string]bool{}}
	for _, o := range optional {
		in.optional[o] = true
	}
	payload := example
	data := root.get("data")
	if data == nil || root.get("event") == nil {
		// Only the data: wrap it in an envelope for the example.
		data = root
		env := ordered{{"event", typ}, {"id", "evt_001"}, {"timestamp", "2025-01-10T12:00:00Z"}, {"data", json.RawMessage(example)}}
		payload, _ = json.Marshal(env)
		in.decide("(example)", "only the data was given; the envelope's id and timestamp are made up")
	} else if ev := root.get("event"); ev.kind != 's' || ev.str != typ {
		return nil, nil, fmt.Errorf(`the example's "event" is %s, not %q`, jsonValueText(ev), typ)
	}
	if data.kind != '{' {
		return nil, nil, fmt.Errorf(`the example's "data" is not an object`)
	}
	dataSchema := in.object("data", data)
	for _, o := range optional {
		if !in.used[o] {
			return nil, nil, fmt.Errorf("-optional %s: the example has no such property", o)
		}
	}
	if doc == "" {
		doc = "Sent when " + typ + " happens. (Describe the event: this text becomes its Go doc comment.)"
		in.decide("description", "none given (-doc): a placeholder to replace")
	}
	dataSchema = append(ordered{{"description", "The data of " + typ + "."}}, dataSchema...)
	var compact bytes.Buffer
	if err := json.Compact(&compact, payload); err != nil {
		return nil, nil, err
	}
	s := ordered{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"title", typ},
		{"description", doc},
		{"x-order", order},
		{"$ref", "../" + schema.EnvelopeFile},
		{"properties", ordered{
			{"event", ordered{{"description", fmt.Sprintf("Always %q.", typ)}, {"const", typ}}},
			{"data", dataSchema},
		}},
		{"examples", []json.RawMessage{compact.Bytes()}},
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	in.decide("x-order", "%d: after the last documented event", order)
	return append(out, '\n'), in.decisions, nil
}

func jsonValueText(n *jsonNode) string {
	switch n.kind {
	case 's':
		b, _ := json.Marshal(n.str)
		return string(b)
	case 'n':
		return string(n.num)
	}
	return "not a string"
}
