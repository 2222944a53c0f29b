// Package bench compares krosai.Parse with encoding/json (no validation)
// and with the reference validator, jsonschema/v5, on every documented
// example. Run it with make bench, which prints the ratios.
package bench

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/schema"
)

// example is one documented payload and the Go type of its data.
type example struct {
	event   string
	payload []byte
	data    reflect.Type
}

func examples(b *testing.B) []example {
	set, err := schema.Default()
	if err != nil {
		b.Fatal(err)
	}
	var out []example
	for _, ev := range set.Events {
		for _, x := range ev.Examples {
			parsed, err := krosai.Parse(x)
			if err != nil {
				b.Fatalf("%s: %v", ev.Type, err)
			}
			out = append(out, example{ev.Type, x, reflect.TypeOf(parsed.Data).Elem()})
		}
	}
	return out
}

// oneProblem breaks one field of a payload, the usual way a payload is
// invalid: the id loses its "evt_" prefix.
func oneProblem(b *testing.B, payload []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(payload, &doc); err != nil {
		b.Fatal(err)
	}
	doc["id"] = "ev_" + doc["id"].(string)
	out, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// invalid breaks the envelope and every field of the data, so that Parse
// has as many problems to report as it can find.
func invalid(b *testing.B, payload []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(payload, &doc); err != nil {
		b.Fatal(err)
	}
	doc["id"] = "bad id"
	doc["timestamp"] = "2025-13-45T99:00:00Z"
	data := doc["data"].(map[string]any)
	for k, v := range data {
		switch v.(type) {
		case string:
			data[k] = 17
		case float64:
			data[k] = -1.5
		default:
			data[k] = "x"
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func BenchmarkDecode(b *testing.B) {
	for _, x := range examples(b) {
		b.Run(x.event+"/Parse", func(b *testing.B) {
			b.SetBytes(int64(len(x.payload)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := krosai.Parse(x.payload); err != nil {
					b.Fatal(err)
				}
			}
		})
		one := oneProblem(b, x.payload)
		b.Run(x.event+"/Parse-invalid", func(b *testing.B) {
			_, err := krosai.Parse(one)
			var ve *krosai.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 {
				b.Fatalf("want the one problem reported, got %v", err)
			}
			b.SetBytes(int64(len(one)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := krosai.Parse(one); err == nil {
					b.Fatal("an invalid payload parsed")
				}
			}
		})
		bad := invalid(b, x.payload)
		b.Run(x.event+"/Parse-invalid-all", func(b *testing.B) {
			_, err := krosai.Parse(bad)
			var ve *krosai.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) < 2 {
				b.Fatalf("want every problem reported, got %v", err)
			}
			b.SetBytes(int64(len(bad)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := krosai.Parse(bad); err == nil {
					b.Fatal("an invalid payload parsed")
				}
			}
		})
		b.Run(x.event+"/encoding-json", func(b *testing.B) {
			b.SetBytes(int64(len(x.payload)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var ev struct {
					Event     krosai.EventType `json:"event"`
					ID        string           `json:"id"`
					Timestamp time.Time        `json:"timestamp"`
					Data      any              `json:"data"`
				}
				ev.Data = reflect.New(x.data).Interface()
				if err := json.Unmarshal(x.payload, &ev); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(x.event+"/jsonschema", func(b *testing.B) {
			b.SetBytes(int64(len(x.payload)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := schema.Validate(x.payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
