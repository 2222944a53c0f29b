package generator

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// synthetic makes a schema directory of n events by cloning the documented
// ones under new event types, so the generator's growth can be measured
// without committing thousands of files.
func synthetic(tb testing.TB, n int) fs.FS {
	tb.Helper()
	base := os.DirFS("../schema")
	out := fstest.MapFS{}
	for _, name := range []string{"envelope.json", "defs.json"} {
		b, err := fs.ReadFile(base, name)
		if err != nil {
			tb.Fatal(err)
		}
		out[name] = &fstest.MapFile{Data: b}
	}
	events, err := fs.Glob(base, "events/*.json")
	if err != nil || len(events) == 0 {
		tb.Fatalf("no events: %v", err)
	}
	for i := 0; i < n; i++ {
		b, err := fs.ReadFile(base, events[i%len(events)])
		if err != nil {
			tb.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			tb.Fatal(err)
		}
		orig := doc["title"].(string)
		typ := fmt.Sprintf("synth%04d.%s", i, strings.ReplaceAll(orig, ".", "_"))
		doc["title"] = typ
		doc["x-order"] = i + 1
		doc["properties"].(map[string]any)["event"].(map[string]any)["const"] = typ
		for _, x := range doc["examples"].([]any) {
			x.(map[string]any)["event"] = typ
		}
		nb, _ := json.Marshal(doc)
		out["events/"+typ+".json"] = &fstest.MapFile{Data: nb}
	}
	return out
}

// BenchmarkGenerate measures generating the documented events and synthetic
// sets of 200 and 2,000, in process, from schema directory to formatted files.
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{0, 200, 2000} {
		name := fmt.Sprintf("events=%d", n)
		fsys := os.DirFS("../schema")
		if n == 0 {
			name = "events=18(documented)"
		} else {
			fsys = synthetic(b, n)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Generate(Config{Schema: fsys, SchemaDir: "schema"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
