// Package e2e holds the end-to-end test of krosgen as a downstream repository
// uses it: go get -tool, a go:generate line, a schema directory of its own.
package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// transferred is an event KrosAI has not documented (yet): the downstream
// repository adds its schema, with an example, and nothing else.
const transferred = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "call.transferred",
  "description": "Sent when a call is transferred to another number.",
  "$ref": "../envelope.json",
  "properties": {
    "event": {"const": "call.transferred"},
    "data": {
      "description": "The call that was transferred.",
      "type": "object",
      "required": ["call_id", "to_number"],
      "properties": {
        "call_id": {"$ref": "../defs.json#/$defs/call_id", "description": "The call."},
        "to_number": {"$ref": "../defs.json#/$defs/phone_number", "description": "Where the call went."},
        "reason": {"description": "Why the call was transferred.", "type": "string"}
      }
    }
  },
  "examples": [
    {"event": "call.transferred", "id": "evt_060", "timestamp": "2025-01-10T12:01:00Z",
     "data": {"call_id": "call_abc123", "to_number": "+14155550000", "reason": "escalation"}}
  ]
}
`

// downstreamTest uses the new event's generated type directly.
const downstreamTest = `package krosai_test

import (
	"testing"

	"example.com/downstream/krosai"
)

func TestTransferredIsTyped(t *testing.T) {
	ev, err := krosai.Parse([]byte(` + "`" + `{"event":"call.transferred","id":"evt_1","timestamp":"2025-01-10T12:01:00Z","data":{"call_id":"call_1","to_number":"+14155550000"}}` + "`" + `))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := ev.Data.(*krosai.CallTransferred)
	if !ok || d.CallID != "call_1" || d.ToNumber != "+14155550000" || d.Reason != nil {
		t.Fatalf("got %#v", ev.Data)
	}
	if _, err := krosai.Parse([]byte(` + "`" + `{"event":"call.transferred","id":"evt_1","timestamp":"2025-01-10T12:01:00Z","data":{"call_id":"call_1","to_number":"555"}}` + "`" + `)); err == nil {
		t.Fatal("a bad phone number parsed")
	}
}
`

// TestDownstreamModule builds a throwaway module outside the repository that
// depends on this checkout through a replace directive, adds an undocumented
// event's schema, runs go generate, then go build and go test there.
func TestDownstreamModule(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"envelope.json", "defs.json"} {
		b, err := os.ReadFile(filepath.Join(repo, "schema", name))
		if err != nil {
			t.Fatal(err)
		}
		write(filepath.Join("schema", name), string(b))
	}
	events, _ := filepath.Glob(filepath.Join(repo, "schema", "events", "*.json"))
	for _, ev := range events {
		b, _ := os.ReadFile(ev)
		write(filepath.Join("schema", "events", filepath.Base(ev)), string(b))
	}
	write("schema/events/call.transferred.json", transferred)
	// What "go get -tool github.com/krosgen/krosgen/cmd/krosgen" writes, with a
	// replace directive to this checkout in place of a published version.
	write("go.mod", "module example.com/downstream\n\ngo 1.24\n\ntool github.com/krosgen/krosgen/cmd/krosgen\n\nrequire github.com/krosgen/krosgen v0.0.0\n\nreplace github.com/krosgen/krosgen => "+repo+"\n")
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write("go.sum", string(sum))
	write("krosai/generate.go", "package krosai\n\n//go:generate go tool krosgen generate -schema ../schema -out .\n")
	write("krosai/transferred_test.go", downstreamTest)

	goCmd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod "+os.Getenv("GOFLAGS"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	goCmd("mod", "tidy")
	goCmd("generate", "./...")
	for _, f := range []string{"krosai/events.go", "krosai/EVENTS.md", "schema/webhook.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("go generate did not write %s", f)
		}
	}
	goCmd("build", "./...")
	out := goCmd("test", "-count=1", "./...")
	t.Logf("downstream go test:\n%s", out)
	goCmd("run", "github.com/krosgen/krosgen/cmd/krosgen", "generate", "-schema", "schema", "-out", "krosai", "-check")
}
