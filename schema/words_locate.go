package schema

// This file finds, for krosgen validate's wording, what a jsonschema/v5
// error points at: the schema that holds the keyword, the keyword's value as
// the schema writes it, and the value in the payload.

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaLoc is the location, relative to the directory, of the schema that
// holds the keyword at an absolute keyword location.
func schemaLoc(absKeyword string) string {
	loc := strings.TrimPrefix(absKeyword, baseURL)
	if i := strings.LastIndexByte(loc, '/'); i >= 0 && strings.Contains(loc, "#") {
		loc = loc[:i]
	}
	if u, err := url.PathUnescape(loc); err == nil {
		loc = u
	}
	return loc
}

// literal is the JSON text of the schema value key (a keyword, or
// "enum/1"), beside the keyword at absKeyword, as the schema writes it:
// Parse's messages quote bounds and constants as written ("3.0").
func (w *worder) literal(absKeyword, key string) string {
	loc := strings.TrimPrefix(absKeyword, baseURL)
	file, frag, _ := strings.Cut(loc, "#")
	tokens := strings.Split(frag, "/")[1:] // frag starts with "/"; "" is a key
	tokens = append(tokens[:len(tokens)-1], strings.Split(key, "/")...)
	for _, f := range w.set.files() {
		if f.Name != file {
			continue
		}
		cur := json.RawMessage(f.Raw)
		for _, tok := range tokens {
			if u, err := url.PathUnescape(tok); err == nil {
				tok = u
			}
			next, ok := member(cur, strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~"))
			if !ok {
				return "?"
			}
			cur = next
		}
		var b bytes.Buffer
		if json.Compact(&b, cur) != nil {
			return string(cur)
		}
		return b.String()
	}
	return "?"
}

// member returns the member named tok of a JSON object, or the element at
// index tok of an array, as written.
func member(doc json.RawMessage, tok string) (json.RawMessage, bool) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	t, err := dec.Token()
	if err != nil {
		return nil, false
	}
	for i := 0; dec.More(); i++ {
		name := strconv.Itoa(i)
		if t == json.Delim('{') {
			k, err := dec.Token()
			if err != nil {
				return nil, false
			}
			name, _ = k.(string)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		if name == tok {
			return v, true
		}
	}
	return nil, false
}

// findSchema finds the compiled schema at loc under s.
func findSchema(s *jsonschema.Schema, loc string, seen map[*jsonschema.Schema]bool) *jsonschema.Schema {
	if s == nil || seen[s] {
		return nil
	}
	seen[s] = true
	if s.Location == loc {
		return s
	}
	var kids []*jsonschema.Schema
	kids = append(kids, s.Ref, s.Not, s.Items2020, s.If, s.Then, s.Else, s.Contains, s.PropertyNames)
	kids = append(append(append(append(kids, s.AllOf...), s.AnyOf...), s.OneOf...), s.PrefixItems...)
	for _, k := range sortedKeys(s.Properties) {
		kids = append(kids, s.Properties[k])
	}
	if a, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		kids = append(kids, a)
	}
	if a, ok := s.Items.(*jsonschema.Schema); ok {
		kids = append(kids, a)
	}
	for _, k := range kids {
		if found := findSchema(k, loc, seen); found != nil {
			return found
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// schemaAt returns the schema object holding the keyword at loc, an absolute
// keyword location ("file:///schema/defs.json#/$defs/seconds/minimum").
func (w *worder) schemaAt(loc string) map[string]any {
	file, frag, _ := strings.Cut(strings.TrimPrefix(loc, baseURL), "#")
	var raw []byte
	for _, f := range w.set.files() {
		if f.Name == file {
			raw = f.Raw
		}
	}
	var doc any
	if raw == nil || json.Unmarshal(raw, &doc) != nil {
		return nil
	}
	tokens := strings.Split(frag, "/")[1:] // frag starts with "/"; "" is a key
	if len(tokens) > 0 {
		tokens = tokens[:len(tokens)-1] // the keyword itself
	}
	for _, tok := range tokens {
		if u, err := url.PathUnescape(tok); err == nil {
			tok = u
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := doc.(type) {
		case map[string]any:
			doc = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			doc = x[i]
		default:
			return nil
		}
	}
	obj, _ := doc.(map[string]any)
	return obj
}

func (s *Set) files() []File {
	out := []File{s.Envelope, s.Defs}
	for _, ev := range s.Events {
		out = append(out, ev.File)
	}
	return out
}

// value resolves a JSON pointer in the payload.
func (w *worder) value(ptr string) (any, bool) {
	v := w.doc
	if ptr == "" {
		return v, true
	}
	for _, tok := range strings.Split(ptr, "/")[1:] {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// restoreEmptyToken puts back the empty property name jsonschema/v5 drops
// from an instance location ("/data/metadata/" comes as "/data/metadata"),
// when the keyword location shows exactly where it went: one property read
// by additionalProperties, and one token fewer than the keywords consumed.
func restoreEmptyToken(ptr, kwLoc string) string {
	kws := strings.Split(kwLoc, "/")[1:]
	consumed, wildcard := 0, -1
	for i := 0; i < len(kws); i++ {
		switch kws[i] {
		case "properties", "prefixItems":
			consumed++
			i++ // the property name or index
		case "additionalProperties":
			if wildcard >= 0 {
				return ptr // more than one: ambiguous
			}
			wildcard = consumed
			consumed++
		case "items", "contains":
			consumed++
		case "patternProperties":
			return ptr
		}
	}
	tokens := strings.Split(ptr, "/")[1:]
	if ptr == "" {
		tokens = nil
	}
	if wildcard < 0 || len(tokens) != consumed-1 || keyword(kwLoc) == "additionalProperties" {
		return ptr
	}
	tokens = append(tokens[:wildcard], append([]string{""}, tokens[wildcard:]...)...)
	return "/" + strings.Join(tokens, "/")
}

func keyword(loc string) string {
	return loc[strings.LastIndexByte(loc, '/')+1:]
}
