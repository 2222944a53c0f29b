package generator

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
)

// ClosedAnnotation marks an enum whose value set is closed on purpose, which
// silences the closed-enum warning: "x-krosgen-closed": true beside "enum".
const ClosedAnnotation = "x-krosgen-closed"

// closedEnumWarnings warns of each closed enum in the data of an event, once
// per schema: Parse rejects a value it does not list, so the day KrosAI adds
// one, every delivery that carries it is answered 400 and retried in vain.
func closedEnumWarnings(pkg *model.Package) []string {
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
		if t.Enum.ClosedOnPurpose {
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
