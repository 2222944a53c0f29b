package generator

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/schema"
)

// ClosedAnnotation marks an enum whose value set is closed on purpose, which
// silences the closed-enum warning: "x-krosgen-closed": true beside "enum".
const ClosedAnnotation = "x-krosgen-closed"

// closedEnumWarnings warns of each closed enum in the data of an event, once
// per schema: Parse rejects a value it does not list, so the day KrosAI adds
// one, every delivery that carries it is answered 400 and retried in vain.
func closedEnumWarnings(pkg *model.Package, set *schema.Set) []string {
	var out []string
	seen := map[*model.Type]bool{}
	users := map[*model.Type][]string{}
	var order []*model.Type
	var walk func(t *model.Type, event string)
	walk = func(t *model.Type, event string) {
		if t.Enum != nil && !t.Enum.Open && len(t.Enum.Values) > 0 {
			if !seen[t] {
				seen[t] = true
				order = append(order, t)
			}
			if u := users[t]; len(u) == 0 || u[len(u)-1] != event {
				users[t] = append(u, event)
			}
		}
		for _, fd := range t.Fields {
			walk(fd.Type, event)
		}
		if t.Elem != nil {
			walk(t.Elem, event)
		}
	}
	for _, ev := range pkg.Events {
		walk(ev.Data, ev.Type)
	}
	for _, t := range order {
		if closedOnPurpose(set, t.Source) {
			continue
		}
		values := make([]string, len(t.Enum.Values))
		for i, v := range t.Enum.Values {
			values[i] = v.Value
		}
		quoted, _ := json.Marshal(values)
		out = append(out, fmt.Sprintf("%s: closed enum (%s) in the data of %s: the day KrosAI adds a value, every delivery carrying it is rejected (400). Accept any string with {\"anyOf\": [{\"enum\": %s}, {\"type\": \"string\"}]}, or add %q: true if the list is complete on purpose",
			t.Source, strings.Join(values, ", "), strings.Join(users[t], ", "), quoted, ClosedAnnotation))
	}
	return out
}

// closedOnPurpose reports whether the schema at src carries the annotation.
func closedOnPurpose(set *schema.Set, src model.Source) bool {
	name := strings.TrimPrefix(src.File, set.Dir+"/")
	var raw []byte
	for _, f := range append([]schema.File{set.Envelope, set.Defs}, eventFiles(set)...) {
		if f.Name == name {
			raw = f.Raw
		}
	}
	var doc any
	if raw == nil || json.Unmarshal(raw, &doc) != nil {
		return false
	}
	for _, tok := range strings.Split(src.Pointer, "/")[1:] {
		obj, ok := doc.(map[string]any)
		if !ok {
			return false
		}
		doc = obj[strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")]
	}
	obj, ok := doc.(map[string]any)
	return ok && obj[ClosedAnnotation] == true
}

func eventFiles(set *schema.Set) []schema.File {
	out := make([]schema.File, len(set.Events))
	for i, ev := range set.Events {
		out[i] = ev.File
	}
	return out
}
