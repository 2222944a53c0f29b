package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/krosgen/krosgen/gen/krosai"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds krosgen once for the tests that run it as a user does.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "krosgen-cli-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "krosgen")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

type ran struct {
	code           int
	stdout, stderr string
}

func runBinary(t *testing.T, stdin string, args ...string) ran {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return ran{code, out.String(), errb.String()}
}

func TestCLI_Version(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"-version"}, {"--version"}} {
		r := runBinary(t, "", args...)
		// Built from this checkout, krosgen has no module version.
		if r.code != 0 || r.stdout != "krosgen (devel)\n" || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}

func TestCLI_Help(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := runBinary(t, "", args...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		for _, c := range commands {
			if !strings.Contains(r.stdout, "\t"+c.name+" ") || !strings.Contains(r.stdout, c.short) {
				t.Errorf("%v does not document %s:\n%s", args, c.name, r.stdout)
			}
		}
	}
	for _, c := range commands {
		h := runBinary(t, "", c.name, "-h")
		if h.code != 0 || h.stderr != "" || !strings.HasPrefix(h.stdout, "usage: krosgen "+c.name) {
			t.Errorf("%s -h: exit %d, stdout %q, stderr %q", c.name, h.code, h.stdout, h.stderr)
		}
		if help := runBinary(t, "", "help", c.name); help.code != 0 || help.stdout != h.stdout {
			t.Errorf("help %s differs from %s -h:\n%s", c.name, c.name, help.stdout)
		}
	}
}

// TestCLI_UsageErrors: a wrong command line exits 2 and says what was wrong.
func TestCLI_UsageErrors(t *testing.T) {
	cases := []struct {
		args   []string
		reason string
	}{
		{nil, "Usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "a", "b"}, "at most one command"},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},
		{[]string{"generate", "extra-arg"}, `unexpected argument "extra-arg"`},
		{[]string{"generate", "-nope"}, "flag provided but not defined: -nope"},
		{[]string{"generate", "-schema", "testdata/nope", "-out", "x"}, "schema directory " + mustAbs("testdata/nope") + " not found (-schema testdata/nope, resolved from the current directory " + mustAbs(".") + ")"},
		{[]string{"generate", "-schema", "../../schema"}, "-out is required"},
		{[]string{"validate"}, "no payload given"},
		{[]string{"validate", "-schema"}, "flag needs an argument: -schema"},
		{[]string{"send"}, "want one EVENT or FILE"},
		{[]string{"send", "-all", "call.ringing"}, "give no EVENT or FILE"},
		{[]string{"send", "-repeat", "0", "call.ringing"}, "-repeat must be at least 1"},
		{[]string{"send", "-url", "ftp://x", "call.ringing"}, "not an http:// or https:// URL"},
		{[]string{"send", "-url", "http://127.0.0.1:9/", "call.nope"}, `"call.nope" is neither a file nor an event type`},
		{[]string{"sign", "testdata/payloads/completed-ok.json"}, "-secret is required"},
		{[]string{"sign", "-secret", "whsec_AAAA"}, "want one payload file"},
	}
	for _, c := range cases {
		r := runBinary(t, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.reason) || r.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want 2 and %q", c.args, r.code, r.stderr, r.stdout, c.reason)
		}
	}
}

// TestCLI_ValidateJSON compares validate -json over testdata/payloads (a
// directory, read recursively) with its golden output, and each problem
// with what the generated Parse reports.
func TestCLI_ValidateJSON(t *testing.T) {
	r := runBinary(t, "", "validate", "-json", "testdata/payloads")
	if r.code != exitInvalid {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	golden := filepath.Join("testdata", "validate-json.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if r.stdout != string(want) {
		t.Errorf("validate -json differs from %s (go test -update rewrites it):\n%s", golden, r.stdout)
	}
	bad, _ := os.ReadFile("testdata/payloads/completed-bad.json")
	_, perr := krosai.Parse(bad)
	var ve *krosai.ValidationError
	if !errors.As(perr, &ve) {
		t.Fatalf("Parse: %v", perr)
	}
	for _, p := range ve.Problems {
		if !strings.Contains(r.stdout, jsonString(p.Pointer)) || !strings.Contains(r.stdout, jsonString(p.Message)) {
			t.Errorf("Parse reports %s, validate -json does not", p)
		}
	}
}

func jsonString(s string) string {
	var b bytes.Buffer
	enc := newJSONEncoder(&b)
	enc.Encode(s)
	return strings.TrimSpace(b.String())
}

// TestCLI_ValidateStableOrder validates the same payload 50 times: one
// output, problems sorted by pointer.
func TestCLI_ValidateStableOrder(t *testing.T) {
	outputs := map[string]int{}
	for range 50 {
		r := runBinary(t, "", "validate", "testdata/payloads/completed-bad.json")
		outputs[r.stdout]++
	}
	if len(outputs) != 1 {
		t.Fatalf("%d different outputs over 50 runs", len(outputs))
	}
	for out := range outputs {
		if strings.Count(out, "\n\t") < 10 {
			t.Errorf("expected at least 10 problems:\n%s", out)
		}
	}
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return abs
}

// TestCLI_ValidateSameFileManyTimes names one file 50 times in one run:
// 50 identical reports.
func TestCLI_ValidateSameFileManyTimes(t *testing.T) {
	args := []string{"validate"}
	for range 50 {
		args = append(args, "testdata/payloads/completed-bad.json")
	}
	r := runBinary(t, "", args...)
	blocks := strings.SplitAfter(r.stdout, "testdata/payloads/completed-bad.json: invalid\n")
	reports := map[string]int{}
	for _, b := range strings.Split(r.stdout, "testdata/payloads/completed-bad.json: ")[1:] {
		reports[b]++
	}
	if r.code != exitInvalid || len(blocks) != 51 || len(reports) != 1 {
		t.Fatalf("exit %d, %d reports, %d distinct", r.code, len(blocks)-1, len(reports))
	}
}

// TestCLI_ValidateInputs: a directory recursively, NDJSON from a file and
// from standard input, and the unknown-event rule with and without -strict.
func TestCLI_ValidateInputs(t *testing.T) {
	r := runBinary(t, "", "validate", "testdata/payloads/more")
	if r.code != 0 || r.stdout != "testdata/payloads/more/unknown.json: ok (call.teleported, unknown event type)\n" ||
		!strings.Contains(r.stderr, `warning: testdata/payloads/more/unknown.json: unknown event type "call.teleported"`) {
		t.Errorf("unknown event: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runBinary(t, "", "validate", "-strict", "testdata/payloads/more/unknown.json")
	if r.code != exitInvalid || !strings.Contains(r.stdout, `/event: "call.teleported" is not a known event type`) {
		t.Errorf("-strict: exit %d\n%s", r.code, r.stdout)
	}
	stream, _ := os.ReadFile("testdata/payloads/more/stream.ndjson")
	wantLines := []string{":1: ok (call.ringing)", ":3: invalid", "\t/data/call_id: required property is missing", ":4: invalid", "\tmalformed JSON at byte offset 2: "}
	for name, args := range map[string][]string{
		"testdata/payloads/more/stream.ndjson": {"validate", "-ndjson", "testdata/payloads/more/stream.ndjson"},
		"-":                                    {"validate", "-ndjson"},
	} {
		r := runBinary(t, string(stream), args...)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != exitInvalid || len(lines) != len(wantLines) {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stdout)
		}
		for i, w := range wantLines {
			if !strings.HasPrefix(w, "\t") {
				w = name + w
			}
			if !strings.HasPrefix(lines[i], w) {
				t.Errorf("%v line %d: %q, want %q", args, i+1, lines[i], w)
			}
		}
	}
}
