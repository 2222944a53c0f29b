package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// goJSONSchema is the go-jsonschema release the generator is compared with
// (make bench names it too). It is built once into a temporary directory
// through the module proxy, and krosgen from ../cmd/krosgen, unless
// GO_JSONSCHEMA and KROSGEN name binaries to use instead.
const goJSONSchema = "github.com/atombender/go-jsonschema@v0.24.1"

// schemaSet is one schema directory the generators are run on.
type schemaSet struct {
	name   string // in benchmark names: events=NAME
	events int    // 0: the documented events
	like   string // "": clone every documented event in turn; else this one only
	peers  bool   // also run go-jsonschema
}

// schemaSets are the documented events, and synthetic sets of 200 and 2,000
// made from them: mixed (each documented event in turn) and
// call.completed-sized (clones of the largest event).
var schemaSets = []schemaSet{
	{name: "18", peers: true},
	{name: "200", events: 200, peers: true},
	{name: "2000", events: 2000},
	{name: "200-call.completed", events: 200, like: "call.completed"},
	{name: "2000-call.completed", events: 2000, like: "call.completed"},
}

// BenchmarkGenerate measures generating the package, as a whole process
// (start, load, model, emit, write), by krosgen generate (tool=krosgen) and,
// on the smaller sets, by go-jsonschema on the same files (tool=go-jsonschema).
// go-jsonschema is given the same schemas in a form it reads (see writeFlat).
// Besides ns/op (wall time), each run reports cpu-ns/op: the user and system
// time of the process, which other work on the machine inflates less.
func BenchmarkGenerate(b *testing.B) {
	bins := tools(b)
	root := b.TempDir()
	for _, set := range schemaSets {
		dir := filepath.Join(root, "schema-"+set.name)
		if err := writeSchemaSet(dir, set); err != nil {
			b.Fatal(err)
		}
		flat := dir + "-flat"
		events, err := writeFlat(dir, flat)
		if err != nil {
			b.Fatal(err)
		}
		cmds := []struct {
			tool string
			args func(out string) []string
		}{
			{"krosgen", func(out string) []string {
				return []string{bins.krosgen, "generate", "-schema", dir, "-out", filepath.Join(out, "krosai")}
			}},
		}
		if set.peers {
			cmds = append(cmds, struct {
				tool string
				args func(out string) []string
			}{"go-jsonschema", func(out string) []string {
				args := []string{bins.goJSONSchema, "-p", "krosai", "-o", filepath.Join(out, "krosai.go"),
					filepath.Join(flat, "defs.json"), filepath.Join(flat, "envelope.json")}
				return append(args, events...)
			}})
		}
		for _, c := range cmds {
			// A first run writes webhook.json into the schema directory
			// and warms the file cache, so that every timed run does the same.
			if out, err := exec.Command(c.args(b.TempDir())[0], c.args(b.TempDir())[1:]...).CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", c.tool, err, out)
			}
			b.Run("events="+set.name+"/tool="+c.tool, func(b *testing.B) {
				var cpu time.Duration
				defer func() { b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op") }()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					out, err := os.MkdirTemp(root, "out-")
					if err != nil {
						b.Fatal(err)
					}
					args := c.args(out)
					cmd := exec.Command(args[0], args[1:]...)
					b.StartTimer()
					msg, err := cmd.CombinedOutput()
					b.StopTimer()
					if err != nil {
						b.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, msg)
					}
					cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
					if err := os.RemoveAll(out); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
			})
		}
	}
}

// binaries are the generators' executables.
type binaries struct {
	krosgen, goJSONSchema string
}

var (
	toolsOnce sync.Once
	toolsDir  string
	toolsBins binaries
	toolsErr  error
)

// tools builds krosgen and go-jsonschema once per process.
func tools(tb testing.TB) binaries {
	toolsOnce.Do(func() {
		toolsDir, toolsErr = os.MkdirTemp("", "krosgen-bench-tools-")
		if toolsErr != nil {
			return
		}
		if toolsBins.krosgen = os.Getenv("KROSGEN"); toolsBins.krosgen == "" {
			toolsBins.krosgen = filepath.Join(toolsDir, "krosgen")
			if toolsErr = gocmd(toolsDir, "build", "-o", toolsBins.krosgen, "./cmd/krosgen"); toolsErr != nil {
				return
			}
		}
		if p := os.Getenv("GO_JSONSCHEMA"); p != "" {
			toolsBins.goJSONSchema = p
			return
		}
		toolsBins.goJSONSchema = filepath.Join(toolsDir, "go-jsonschema")
		toolsErr = gocmd(toolsDir, "install", goJSONSchema)
	})
	if toolsErr != nil {
		tb.Fatal(toolsErr)
	}
	return toolsBins
}

// gocmd runs the go command in the main module, with GOBIN set to bin.
func gocmd(bin string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOBIN="+bin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// writeSchemaSet writes a schema directory: the documented one, or n events
// cloned from the documented ones under new event types.
func writeSchemaSet(dir string, set schemaSet) error {
	base := filepath.Join("..", "schema")
	if err := os.MkdirAll(filepath.Join(dir, "events"), 0o755); err != nil {
		return err
	}
	for _, name := range []string{"envelope.json", "defs.json"} {
		if err := copyFile(filepath.Join(base, name), filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	events, err := filepath.Glob(filepath.Join(base, "events", "*.json"))
	if err != nil || len(events) == 0 {
		return fmt.Errorf("no documented events: %v", err)
	}
	if set.events == 0 {
		for _, ev := range events {
			if err := copyFile(ev, filepath.Join(dir, "events", filepath.Base(ev))); err != nil {
				return err
			}
		}
		return nil
	}
	if set.like != "" {
		events = []string{filepath.Join(base, "events", set.like+".json")}
	}
	for i := 0; i < set.events; i++ {
		b, err := os.ReadFile(events[i%len(events)])
		if err != nil {
			return err
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			return err
		}
		typ := fmt.Sprintf("synth%04d.%s", i, strings.ReplaceAll(doc["title"].(string), ".", "_"))
		doc["title"] = typ
		doc["x-order"] = i + 1
		doc["properties"].(map[string]any)["event"].(map[string]any)["const"] = typ
		for _, x := range doc["examples"].([]any) {
			x.(map[string]any)["event"] = typ
		}
		out, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "events", typ+".json"), out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// writeFlat writes the schema directory dir in the form go-jsonschema reads,
// into flat, and returns the event files: every file in one directory (it
// resolves a $ref inside a referenced file against the referring file's
// directory), and each event's root "$ref" moved into "allOf" with
// "type": "object" (with a $ref beside "properties" at the root it generates
// no struct for the event). Both forms accept the same payloads.
func writeFlat(dir, flat string) ([]string, error) {
	if err := os.MkdirAll(flat, 0o755); err != nil {
		return nil, err
	}
	for _, name := range []string{"envelope.json", "defs.json"} {
		if err := copyFile(filepath.Join(dir, name), filepath.Join(flat, name)); err != nil {
			return nil, err
		}
	}
	events, err := filepath.Glob(filepath.Join(dir, "events", "*.json"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, ev := range events {
		b, err := os.ReadFile(ev)
		if err != nil {
			return nil, err
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(strings.ReplaceAll(string(b), `"../`, `"`)), &doc); err != nil {
			return nil, err
		}
		if ref, ok := doc["$ref"]; ok {
			delete(doc, "$ref")
			doc["allOf"] = []any{map[string]any{"$ref": ref}}
			doc["type"] = "object"
		}
		nb, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return nil, err
		}
		name := filepath.Join(flat, filepath.Base(ev))
		if err := os.WriteFile(name, nb, 0o644); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, nil
}
