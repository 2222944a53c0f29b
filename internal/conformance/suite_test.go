package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// suiteDir holds the subset of the JSON-Schema-Test-Suite this test runs.
const suiteDir = "testdata/JSON-Schema-Test-Suite/tests/draft2020-12"

// suiteFiles lists the files run, by path under suiteDir without ".json", in
// the order of the report. The keyword of a file is its base name, or
// "format <name>" for optional/format/<name>.
var suiteFiles = []string{
	"type", "required", "properties", "additionalProperties", "enum", "const",
	"pattern", "minLength", "maxLength", "minimum", "maximum",
	"exclusiveMinimum", "exclusiveMaximum", "multipleOf",
	"items", "minItems", "maxItems", "uniqueItems",
	"ref", "defs", "allOf", "anyOf", "oneOf", "not",
	"minProperties", "maxProperties", "boolean_schema",
	"optional/format/date-time", "optional/format/uri", "optional/format/email",
}

func keywordOf(file string) string {
	if name, ok := strings.CutPrefix(file, "optional/format/"); ok {
		return "format " + name
	}
	return file
}

// suiteGroup is one element of a suite file, as written.
type suiteGroup struct {
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Tests       []suiteTest     `json:"tests"`
}

type suiteTest struct {
	Description string          `json:"description"`
	Data        json.RawMessage `json:"data"`
	Valid       bool            `json:"valid"`
}

// group is one suite group as this test runs it.
type group struct {
	N       int    // the group's number: its event type is "t.g<N>"
	Keyword string // "type", "format date-time"
	File    string // the suite file, such as "type.json"
	Index   int    // position in the file
	suiteGroup

	Event     string // "t.g<N>"
	EventFile string // "events/t.g<N>.json"
	Schema    []byte // the event schema wrapping the group's schema
	Placement placement

	// Refusal is the error text when the generator refused the group, alone
	// or beside the other groups.
	Refusal string
	// Broken says why code was generated for the group but could not be run
	// (it does not compile, or Generate panicked); that is a failure.
	Broken string
}

func (g *group) name() string {
	return fmt.Sprintf("%s (%s#%d %q)", g.Event, g.File, g.Index, g.Description)
}

// placementNote says, for a group with $defs or an $id, how it was wrapped.
func (g *group) placementNote() string {
	if g.Placement == hoisted && !hasRootDefs(g.Schema) {
		return ""
	}
	return " [" + g.Placement.String() + "]"
}

// loadGroups reads every suite file and numbers its groups from 1.
func loadGroups() ([]*group, error) {
	var out []*group
	for _, f := range suiteFiles {
		name := f + ".json"
		raw, err := os.ReadFile(filepath.Join(suiteDir, filepath.FromSlash(name)))
		if err != nil {
			return nil, err
		}
		var gs []suiteGroup
		if err := json.Unmarshal(raw, &gs); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		for i, sg := range gs {
			g := &group{N: len(out) + 1, Keyword: keywordOf(f), File: name, Index: i, suiteGroup: sg}
			g.Event = fmt.Sprintf("t.g%d", g.N)
			g.EventFile = path.Join("events", g.Event+".json")
			if g.Schema, g.Placement, err = wrap(g, hoisted); err != nil {
				return nil, fmt.Errorf("%s#%d: %v", name, i, err)
			}
			out = append(out, g)
		}
	}
	return out, nil
}

// valuePointer is where a group's schema sits in its event schema.
const valuePointer = "/properties/data/properties/value"

// Where a group's $defs go in its event schema.
type placement int

const (
	// hoisted: to the event schema's own $defs, each renamed "g<N>_<key>".
	hoisted placement = iota
	// inPlace: left in the value's schema, each renamed "g<N>_<key>"; the
	// fallback when the generator refuses $defs at the root of an event.
	inPlace
	// verbatim: a group whose schema has an "$id" is its own resource, and
	// its refs resolve inside it, so it is wrapped as written.
	verbatim
)

func (p placement) String() string {
	return [...]string{"hoisted $defs", "$defs in place", "verbatim ($id)"}[p]
}

// wrap makes the event schema of a group: data is an object with one required
// property, "value", whose schema is the group's. With hoisted, the group's
// top-level $defs move to the event schema's $defs, each renamed
// "g<N>_<key>"; with inPlace they stay but are renamed the same way. The
// $refs that point into them follow, and other same-document pointers ("#",
// "#/properties/...") are re-rooted at the value. A schema with an "$id" (at
// the top, or a subschema's) is a resource of its own whose refs resolve
// inside it: it is left as written. Anything else ($anchor, remote refs) is
// left as written too, for the generator to handle or refuse.
func wrap(g *group, mode placement) (_ []byte, used placement, _ error) {
	schema, err := decode(g.suiteGroup.Schema)
	if err != nil {
		return nil, mode, err
	}
	obj, isObj := schema.(map[string]any)
	if _, ok := obj["$id"]; ok {
		mode = verbatim
	}
	renames := map[string]string{}
	moved := map[string]any{}
	defsBase := "#/$defs/"
	if mode == inPlace {
		defsBase = "#" + valuePointer + "/$defs/"
	}
	if defs, ok := obj["$defs"].(map[string]any); ok && isObj && mode != verbatim {
		taken := map[string]bool{}
		for _, key := range sortedKeys(defs) {
			name := fmt.Sprintf("g%d_%s", g.N, snake(key))
			for i := 2; taken[name]; i++ {
				name = fmt.Sprintf("g%d_%s_%d", g.N, snake(key), i)
			}
			taken[name] = true
			renames[key] = name
		}
		for key, def := range defs {
			moved[renames[key]] = def
		}
		if mode == hoisted {
			delete(obj, "$defs")
		} else {
			obj["$defs"] = moved
		}
	}
	if mode != verbatim {
		fix := func(ref string) string { return rewriteRef(ref, renames, defsBase) }
		schema = walkRefs(schema, fix)
		if mode == hoisted {
			for k, def := range moved {
				moved[k] = walkRefs(def, fix)
			}
		}
	}
	doc := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"title":       g.Event,
		"description": fmt.Sprintf("JSON-Schema-Test-Suite draft2020-12 %s, group %d.", g.File, g.Index),
		"$ref":        "../envelope.json",
		"properties": map[string]any{
			"event": map[string]any{"const": g.Event},
			"data": map[string]any{
				"type":       "object",
				"required":   []any{"value"},
				"properties": map[string]any{"value": schema},
			},
		},
	}
	if mode == hoisted && len(moved) > 0 {
		doc["$defs"] = moved
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, mode, err
	}
	return buf.Bytes(), mode, nil
}

// hasRootDefs reports whether wrapping with hoisted gave the event schema a
// $defs of its own.
func hasRootDefs(raw []byte) bool {
	var doc map[string]json.RawMessage
	_ = json.Unmarshal(raw, &doc)
	_, ok := doc["$defs"]
	return ok
}

// decode reads JSON keeping numbers as written.
func decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// snake turns a $defs key into a name of letters, digits and underscores.
func snake(key string) string {
	s := strings.Trim(nonWord.ReplaceAllString(key, "_"), "_")
	if s == "" {
		return "def"
	}
	return s
}

// Keywords whose value is a schema, an object of schemas or an array of
// schemas: the places a $ref keyword can be. enum, const, examples and
// default hold instances, so a "$ref" inside them is data.
var (
	schemaKeywords = map[string]bool{
		"additionalProperties": true, "items": true, "not": true, "contains": true,
		"if": true, "then": true, "else": true, "propertyNames": true,
		"unevaluatedItems": true, "unevaluatedProperties": true, "contentSchema": true,
	}
	schemaMapKeywords = map[string]bool{
		"properties": true, "patternProperties": true, "$defs": true,
		"definitions": true, "dependentSchemas": true,
	}
	schemaArrayKeywords = map[string]bool{
		"allOf": true, "anyOf": true, "oneOf": true, "prefixItems": true,
	}
)

// walkRefs rewrites, with fix, every $ref of a schema and its subschemas.
func walkRefs(schema any, fix func(string) string) any {
	obj, ok := schema.(map[string]any)
	if !ok {
		return schema
	}
	if _, ok := obj["$id"]; ok {
		return schema // a resource of its own: its refs resolve inside it
	}
	for k, v := range obj {
		switch {
		case k == "$ref":
			if s, ok := v.(string); ok {
				obj[k] = fix(s)
			}
		case schemaKeywords[k]:
			obj[k] = walkRefs(v, fix)
		case schemaMapKeywords[k]:
			if m, ok := v.(map[string]any); ok {
				for name, sub := range m {
					m[name] = walkRefs(sub, fix)
				}
			}
		case schemaArrayKeywords[k]:
			if a, ok := v.([]any); ok {
				for i, sub := range a {
					a[i] = walkRefs(sub, fix)
				}
			}
		}
	}
	return obj
}

// rewriteRef moves a same-document $ref of a group's schema to where the
// group's schema and $defs now are in the event schema: the renamed $defs
// under defsBase ("#/$defs/" when hoisted).
func rewriteRef(ref string, renames map[string]string, defsBase string) string {
	if ref == "#" {
		return "#" + valuePointer
	}
	frag, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return ref // remote, relative to $id, or an $anchor
	}
	tokens := strings.Split(frag, "/")
	if len(tokens) >= 2 && unescapeToken(tokens[0]) == "$defs" {
		if name, ok := renames[unescapeToken(tokens[1])]; ok {
			return defsBase + strings.Join(append([]string{name}, tokens[2:]...), "/")
		}
		return ref // not a hoisted definition: left for the generator
	}
	return "#" + valuePointer + "/" + frag
}

// unescapeToken reads one token of a JSON pointer written in a URI fragment.
func unescapeToken(tok string) string {
	if s, err := url.PathUnescape(tok); err == nil {
		tok = s
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
