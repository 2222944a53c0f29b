package schema

import (
	"encoding/json"
	"path"
)

// WebhookDocument renders webhook.json: a schema for any KrosAI webhook.
// Every payload must satisfy the envelope and name a known event; the event's
// own schema is then selected by its "event" const (if/then rather than oneOf,
// so that a failure is reported against the one event it names).
//
// The document is derived from Events, so adding an event file is all it
// takes; krosgen generate keeps the committed webhook.json equal to it.
func (s *Set) WebhookDocument() []byte {
	types := make([]string, len(s.Events))
	branches := make([]any, len(s.Events))
	for i, ev := range s.Events {
		types[i] = ev.Type
		branches[i] = ordered{
			{"if", ordered{
				{"properties", ordered{{"event", ordered{{"const", ev.Type}}}}},
				{"required", []string{"event"}},
			}},
			{"then", ordered{{"$ref", ev.Name}}},
		}
	}
	doc := ordered{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"title", "KrosAI webhook"},
		{"description", "Any KrosAI webhook event: the envelope, an event type from the list, and the schema of that event. An event type not listed is invalid. Derived from " + path.Join(EventsDir, "*.json") + " by krosgen generate; do not edit."},
		{"$ref", EnvelopeFile},
		{"properties", ordered{{"event", ordered{{"enum", types}}}}},
		{"allOf", branches},
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // unreachable: the document holds strings and slices only
	}
	return append(out, '\n')
}

// ordered is a JSON object that keeps its keys in order.
type ordered []struct {
	k string
	v any
}

func (o ordered) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, kv := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(kv.k)
		v, err := json.Marshal(kv.v)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}
