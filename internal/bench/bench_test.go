package bench

import (
	"encoding/json"
	"reflect"
	"testing"

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
		b.Run(x.event+"/encoding-json", func(b *testing.B) {
			b.SetBytes(int64(len(x.payload)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var ev struct {
					Event     krosai.EventType `json:"event"`
					ID        string           `json:"id"`
					Timestamp string           `json:"timestamp"`
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
