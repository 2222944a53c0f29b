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

// helpersTest uses the generated test helpers downstream: a signed request
// built from a documented example, through the generated handler.
const helpersTest = `package krosai_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"example.com/downstream/krosai"
)

func TestSignedExampleIsHandled(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	v, err := krosai.NewStandardVerifier([]string{secret})
	if err != nil {
		t.Fatal(err)
	}
	h := krosai.NewHandler(krosai.WithVerifier(v.Verify))
	ev, err := krosai.ExampleEvent(krosai.EventCallTransferred)
	if err != nil {
		t.Fatal(err)
	}
	ev.Data = krosai.NewCallTransferred()
	req, err := krosai.NewSignedRequest("/webhooks", secret, ev)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}
`

// readmeSection returns the fenced code blocks of README.md's "Use in your
// repo" section, in order.
func readmeSection(t *testing.T, repo string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n## Use in your repo\n")
	if !ok {
		t.Fatal(`README.md has no "## Use in your repo" section`)
	}
	if i := strings.Index(sec, "\n## "); i >= 0 {
		sec = sec[:i]
	}
	var blocks []string
	for {
		_, rest, ok := strings.Cut(sec, "```")
		if !ok {
			return blocks
		}
		_, rest, _ = strings.Cut(rest, "\n") // the info string
		body, after, ok := strings.Cut(rest, "```")
		if !ok {
			t.Fatal("README: an unclosed code block")
		}
		var lines []string
		for _, l := range strings.Split(body, "\n") {
			lines = append(lines, strings.TrimPrefix(l, "   ")) // list indentation
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
		sec = after
	}
}

// block returns the one README block that contains every marker.
func block(t *testing.T, blocks []string, markers ...string) string {
	t.Helper()
	var found []string
	for _, b := range blocks {
		all := true
		for _, m := range markers {
			all = all && strings.Contains(b, m)
		}
		if all {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("README's downstream section has %d blocks with %q, want 1", len(found), markers)
	}
	return found[0]
}

// TestDownstreamModule follows README's "Use in your repo" section as
// written, in a throwaway module outside the repository that uses this
// checkout through the local-checkout commands README gives: go get -tool,
// copying the JSON files, the go:generate line, go generate, go vet and
// go test. It then adds an event KrosAI has not documented, as README's
// "When KrosAI adds an event" says, and tests its type and the generated
// test helpers downstream.
func TestDownstreamModule(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" { // CI always runs it
		t.Skip("builds a module from scratch")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeSection(t, repo)
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
	// The module cache holds krosgen's requirements (this test runs inside
	// their module) and no proxy knows this checkout: resolve offline, with
	// the sums this module already verified.
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off", "KROSGEN="+repo)
	shell := func(script string) string {
		t.Helper()
		cmd := exec.Command("sh", "-e", "-x", "-c", script)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", script, err, out)
		}
		return string(out)
	}
	shell("go mod init example.com/downstream")
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write("go.sum", string(sum))
	// The local checkout: ../krosgen in README is this repository here.
	local := block(t, blocks, "go mod edit", "go get -tool")
	shell(strings.ReplaceAll(local, "=../krosgen", "="+repo))
	block(t, blocks, "go get -tool github.com/krosgen/krosgen/cmd/krosgen\n") // step 1, run above at the local version
	shell(block(t, blocks, "cp ", "schema/events"))
	line := ""
	for _, l := range strings.Split(block(t, blocks, "//go:generate"), "\n") {
		if strings.HasPrefix(l, "//go:generate ") {
			line = l
		}
	}
	write("krosai/generate.go", "package krosai\n\n"+line+"\n")
	steps := block(t, blocks, "go generate ./...", "go vet ./...", "go test ./...")
	shell(steps)
	for _, f := range []string{"krosai/events.go", "krosai/fixtures.go", "krosai/EVENTS.md", "schema/webhook.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("go generate did not write %s", f)
		}
	}
	if out, err := os.ReadFile(filepath.Join(dir, "go.mod")); err != nil || !strings.Contains(string(out), "tool github.com/krosgen/krosgen/cmd/krosgen") {
		t.Fatalf("go.mod declares no krosgen tool:\n%s", out)
	}
	// go tool builds krosgen from the replaced directory: no module version.
	if b, _ := os.ReadFile(filepath.Join(dir, "krosai", "events.go")); !strings.HasPrefix(string(b), "// Code generated by krosgen (devel). DO NOT EDIT.\n") {
		t.Errorf("krosai/events.go starts %q", strings.SplitN(string(b), "\n", 2)[0])
	}
	if out := shell("go tool krosgen version"); !strings.HasSuffix(out, "krosgen (devel)\n") {
		t.Errorf("go tool krosgen version: %q", out)
	}
	// No Go file of krosgen's schema package came along.
	if gos, _ := filepath.Glob(filepath.Join(dir, "schema", "*.go")); len(gos) > 0 {
		t.Fatalf("Go files copied into schema/: %v", gos)
	}

	write("schema/events/call.transferred.json", transferred)
	// -check sees the new event and says how to update, as run here.
	check := exec.Command("go", "tool", "krosgen", "generate", "-schema", "schema", "-out", "krosai", "-check")
	check.Dir, check.Env = dir, env
	var stdout, stderr strings.Builder
	check.Stdout, check.Stderr = &stdout, &stderr
	if err := check.Run(); err == nil || !strings.Contains(stderr.String(), "\tgo tool krosgen generate -schema schema -out krosai\n") || !strings.Contains(stdout.String(), "+++ b/krosai/events.go") {
		t.Fatalf("-check after adding an event: %v\nstdout:\n%.2000s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	write("krosai/transferred_test.go", downstreamTest)
	write("krosai/helpers_test.go", helpersTest)
	shell(steps)
	shell("go test -count=1 -run 'TestExamples|TestFixtures|TestTransferredIsTyped|TestSignedExampleIsHandled' -v ./krosai | grep -c '^--- PASS' | grep -qx 4")
	shell("go tool krosgen generate -schema schema -out krosai -check")

	// krosgen new on an example as KrosAI's documentation shows one, then
	// generate, then the generated fixture tests of the new event.
	write("parked.json", parkedExample)
	out := shell("go tool krosgen new -out krosai -optional note -doc 'Sent when a call is parked.' call.parked parked.json")
	for _, want := range []string{"wrote schema/events/call.parked.json", "$defs/call_id", "$defs/phone_number", "open enum", "krosai/events.go"} {
		if !strings.Contains(out, want) {
			t.Errorf("krosgen new did not say %q:\n%s", want, out)
		}
	}
	write("krosai/parked_test.go", parkedTest)
	shell("go generate ./...")
	shell("go vet ./...")
	shell("go test -count=1 -run 'TestExamples|TestFixtures|TestParkedBuilder' -v ./krosai | grep -E '^(--- PASS: TestParkedBuilder|    --- PASS: TestExamples/call.parked)' | wc -l | grep -qx 2")
	shell("go tool krosgen generate -schema schema -out krosai -check")
}

// parkedExample is an event as KrosAI's documentation shows one.
const parkedExample = `{
  "event": "call.parked",
  "id": "evt_070",
  "timestamp": "2025-01-10T12:02:00Z",
  "data": {
    "call_id": "call_abc123",
    "from_number": "+14155551234",
    "lot": "overflow",
    "parked_at": "2025-01-10T12:02:00Z",
    "note": "Waiting for an agent."
  }
}
`

// parkedTest uses the scaffolded event's generated builder.
const parkedTest = `package krosai_test

import (
	"testing"

	"example.com/downstream/krosai"
)

func TestParkedBuilder(t *testing.T) {
	p := krosai.NewCallParked()
	if p.CallID != "call_abc123" || p.Lot != "overflow" || p.Note == nil {
		t.Fatalf("got %#v", p)
	}
	p.Lot = "a lot KrosAI added later"
	ev, err := krosai.ExampleEvent(krosai.EventCallParked)
	if err != nil {
		t.Fatal(err)
	}
	ev.Data = p
	if err := ev.Validate(); err != nil {
		t.Fatalf("an open enum rejects a new value: %v", err)
	}
}
`
