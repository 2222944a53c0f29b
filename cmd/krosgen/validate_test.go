package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krosgen/krosgen/schema"
)

// runCLI runs krosgen in-process and returns its exit status and output.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func bundled(t *testing.T) *schema.Set {
	t.Helper()
	s, err := schema.Default()
	require.NoError(t, err)
	return s
}

func example(t *testing.T, typ string) []byte {
	t.Helper()
	for _, ev := range bundled(t).Events {
		if ev.Type == typ {
			require.NotEmpty(t, ev.Examples)
			return ev.Examples[0]
		}
	}
	t.Fatalf("no event %q", typ)
	return nil
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

// invalidCompleted is call.completed's example without data.call_id.
func invalidCompleted(t *testing.T) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(example(t, "call.completed"), &doc))
	delete(doc["data"].(map[string]any), "call_id")
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return b
}

func TestValidateDocumentedExamples(t *testing.T) {
	dir := t.TempDir()
	var files []string
	var want strings.Builder
	for _, ev := range bundled(t).Events {
		for i, ex := range ev.Examples {
			p := writeFile(t, dir, ev.Type+"."+string(rune('a'+i))+".json", ex)
			files = append(files, p)
			line := p + ": ok (" + ev.Type + ")\n"
			want.WriteString(line)
			t.Run(ev.Type, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, "", "validate", p)
				assert.Equal(t, exitOK, code, stderr)
				assert.Equal(t, line, stdout)
				assert.Empty(t, stderr)
			})
		}
	}
	require.Len(t, files, 18)

	t.Run("all at once", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "", append([]string{"validate"}, files...)...)
		assert.Equal(t, exitOK, code, stderr)
		assert.Equal(t, want.String(), stdout)
	})
}

func TestValidateInvalid(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name    string
		payload []byte
		// stdout after the "FILE: invalid" line
		want string
		// or, when want is "", a prefix of it
		prefix string
	}{
		{"missing property", invalidCompleted(t), "\t/data/call_id: required property is missing\n", ""},
		{"truncated JSON", example(t, "call.ringing")[:40], "", "\tmalformed JSON at byte offset 40: "},
		{"empty file", []byte{}, "", "\tmalformed JSON at byte offset 0: "},
		{"trailing garbage", append(append([]byte{}, example(t, "call.ringing")...), " x"...), "", "\tmalformed JSON at byte offset "},
		{"not an object", []byte(`[1]`), "", "\t(root): "},
		{"object without envelope", []byte(`{}`), "\t/data: required property is missing\n\t/event: required property is missing\n\t/id: required property is missing\n\t/timestamp: required property is missing\n", ""},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, dir, "payload"+string(rune('a'+i))+".json", c.payload)
			code, stdout, stderr := runCLI(t, "", "validate", p)
			assert.Equal(t, exitInvalid, code, stderr)
			assert.Empty(t, stderr)
			head := p + ": invalid\n"
			require.True(t, strings.HasPrefix(stdout, head), "stdout: %q", stdout)
			rest := strings.TrimPrefix(stdout, head)
			if c.want != "" {
				assert.Equal(t, c.want, rest)
			} else {
				assert.True(t, strings.HasPrefix(rest, c.prefix), "got %q, want prefix %q", rest, c.prefix)
				assert.Equal(t, 1, strings.Count(rest, "\n"), "one problem line: %q", rest)
				assert.True(t, strings.HasSuffix(rest, "\n"))
			}
		})
	}
}

func TestValidateUsage(t *testing.T) {
	valid := writeFile(t, t.TempDir(), "ok.json", example(t, "call.ringing"))
	missing := filepath.Join(t.TempDir(), "nope.json")
	cases := []struct {
		name     string
		args     []string
		stderr   string // a substring of stderr
		stdout   string // all of stdout
		wantCode int
	}{
		{"no arguments at all", nil, "Usage:", "", exitUsage},
		{"validate without files", []string{"validate"}, "krosgen validate: no payload given", "", exitUsage},
		{"unknown flag", []string{"validate", "-bogus", valid}, "-bogus", "", exitUsage},
		{"-schema without a value", []string{"validate", "-schema"}, "-schema", "", exitUsage},
		{"unknown command", []string{"check", valid}, `unknown command "check"`, "", exitUsage},
		{"missing file", []string{"validate", missing}, "nope.json", "", exitUsage},
		{"missing file among valid ones", []string{"validate", valid, missing, valid}, "nope.json", valid + ": ok (call.ringing)\n" + valid + ": ok (call.ringing)\n", exitUsage},
		{"-schema nonexistent", []string{"validate", "-schema", filepath.Join(t.TempDir(), "nope"), valid}, "nope", "", exitUsage},
		{"-schema a file", []string{"validate", "-schema", valid, valid}, "ok.json", "", exitUsage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", c.args...)
			assert.Equal(t, c.wantCode, code, "stderr: %s", stderr)
			assert.Contains(t, stderr, c.stderr)
			assert.Equal(t, c.stdout, stdout)
		})
	}
}

func TestValidateMissingAndInvalid(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", invalidCompleted(t))
	missing := filepath.Join(dir, "nope.json")
	for _, args := range [][]string{{bad, missing}, {missing, bad}} {
		code, stdout, _ := runCLI(t, "", append([]string{"validate"}, args...)...)
		assert.Equal(t, exitUsage, code, "an I/O error outranks an invalid payload: %v", args)
		assert.Equal(t, bad+": invalid\n\t/data/call_id: required property is missing\n", stdout)
	}
}

func TestValidateStdin(t *testing.T) {
	code, stdout, stderr := runCLI(t, string(example(t, "payment.received")), "validate", "-")
	assert.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "-: ok (payment.received)\n", stdout)

	truncated := `{"event": "payment.received"`
	code, stdout, _ = runCLI(t, truncated, "validate", "-")
	assert.Equal(t, exitInvalid, code)
	assert.True(t, strings.HasPrefix(stdout, fmt.Sprintf("-: invalid\n\tmalformed JSON at byte offset %d: ", len(truncated))), stdout)
}

func TestValidateMixed(t *testing.T) {
	dir := t.TempDir()
	ok1 := writeFile(t, dir, "1.json", example(t, "call.initiated"))
	bad := writeFile(t, dir, "2.json", invalidCompleted(t))
	ok2 := writeFile(t, dir, "3.json", example(t, "balance.low"))
	empty := writeFile(t, dir, "4.json", nil)
	code, stdout, stderr := runCLI(t, "", "validate", ok1, bad, ok2, empty)
	assert.Equal(t, exitInvalid, code, stderr)
	assert.Empty(t, stderr)
	want := ok1 + ": ok (call.initiated)\n" +
		bad + ": invalid\n\t/data/call_id: required property is missing\n" +
		ok2 + ": ok (balance.low)\n" +
		empty + ": invalid\n\tmalformed JSON at byte offset 0: unexpected end of JSON input\n"
	assert.Equal(t, want, stdout)
}

// copySchemaDir copies the bundled schema directory's JSON files to dir.
func copySchemaDir(t *testing.T, dir string) {
	t.Helper()
	err := fs.WalkDir(schema.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".json") {
			return err
		}
		b, err := fs.ReadFile(schema.FS(), name)
		if err != nil {
			return err
		}
		writeFile(t, dir, filepath.FromSlash(name), b)
		return nil
	})
	require.NoError(t, err)
}

const transferredSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "call.transferred",
  "description": "Sent when a call is transferred to another number.",
  "x-order": 19,
  "$ref": "../envelope.json",
  "properties": {
    "event": {"const": "call.transferred"},
    "data": {
      "type": "object",
      "required": ["call_id", "to_number"],
      "properties": {
        "call_id": {"$ref": "../defs.json#/$defs/call_id"},
        "to_number": {"$ref": "../defs.json#/$defs/phone_number"}
      }
    }
  },
  "examples": [
    {
      "event": "call.transferred",
      "id": "evt_006",
      "timestamp": "2025-01-10T12:01:00Z",
      "data": {"call_id": "call_abc123", "to_number": "+14155550000"}
    }
  ]
}
`

func TestValidateSchemaDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schema")
	copySchemaDir(t, dir)
	writeFile(t, dir, filepath.Join("events", "call.transferred.json"), []byte(transferredSchema))

	var doc struct{ Examples []json.RawMessage }
	require.NoError(t, json.Unmarshal([]byte(transferredSchema), &doc))
	require.Len(t, doc.Examples, 1)
	payloads := t.TempDir()
	transferred := writeFile(t, payloads, "transferred.json", doc.Examples[0])

	code, stdout, stderr := runCLI(t, "", "validate", "-schema", dir, transferred)
	assert.Equal(t, exitOK, code, stderr)
	assert.Equal(t, transferred+": ok (call.transferred)\n", stdout)

	// The bundled schemas do not know the event: as Parse does, validate
	// accepts it with a warning, unless -strict.
	code, stdout, stderr = runCLI(t, "", "validate", transferred)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, transferred+": ok (call.transferred, unknown event type)\n", stdout)
	assert.Contains(t, stderr, `warning: `+transferred+`: unknown event type "call.transferred"`)
	code, stdout, _ = runCLI(t, "", "validate", "-strict", transferred)
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, transferred+": invalid\n\t/event: \"call.transferred\" is not a known event type\n", stdout)

	// Run where ./schema is laid out as krosgen expects, validate uses it.
	t.Chdir(filepath.Dir(dir))
	code, stdout, stderr = runCLI(t, "", "validate", "-v", transferred)
	assert.Equal(t, exitOK, code, stderr)
	assert.Equal(t, transferred+": ok (call.transferred)\n", stdout)
	assert.Contains(t, stderr, "validating against "+dir+" (./schema")

	// The new event's schema is asserted, not just its name.
	bad := writeFile(t, payloads, "bad.json", []byte(strings.Replace(string(doc.Examples[0]), "+14155550000", "14155550000", 1)))
	code, stdout, _ = runCLI(t, "", "validate", "-schema", dir, bad)
	assert.Equal(t, exitInvalid, code)
	assert.True(t, strings.HasPrefix(stdout, bad+": invalid\n\t/data/to_number: "), stdout)

	// The documented events still validate against the copy.
	ringing := writeFile(t, payloads, "ringing.json", example(t, "call.ringing"))
	code, stdout, _ = runCLI(t, "", "validate", "-schema", dir, ringing)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, ringing+": ok (call.ringing)\n", stdout)
}

func TestValidateBrokenSchemaDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schema")
	copySchemaDir(t, dir)
	require.NoError(t, os.Remove(filepath.Join(dir, "envelope.json")))
	payload := writeFile(t, t.TempDir(), "ok.json", example(t, "call.ringing"))
	code, stdout, stderr := runCLI(t, "", "validate", "-schema", dir, payload)
	assert.Equal(t, exitInvalid, code, "a broken schema directory exits 1")
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, filepath.ToSlash(filepath.Join(dir, "envelope.json")))
}

// TestBinaryExitStatus builds krosgen and checks that main passes run's
// status to the process.
func TestBinaryExitStatus(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" { // CI always builds it
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "krosgen")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	valid := writeFile(t, dir, "ok.json", example(t, "call.answered"))
	invalid := writeFile(t, dir, "bad.json", invalidCompleted(t))
	cases := []struct {
		name   string
		args   []string
		stdin  string
		want   int
		stdout string
	}{
		{"valid", []string{"validate", valid}, "", exitOK, valid + ": ok (call.answered)\n"},
		{"valid on stdin", []string{"validate", "-"}, string(example(t, "call.answered")), exitOK, "-: ok (call.answered)\n"},
		{"invalid", []string{"validate", invalid}, "", exitInvalid, invalid + ": invalid\n\t/data/call_id: required property is missing\n"},
		{"no files", []string{"validate"}, "", exitUsage, ""},
		{"missing file", []string{"validate", filepath.Join(dir, "nope.json")}, "", exitUsage, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, c.args...)
			cmd.Stdin = strings.NewReader(c.stdin)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, c.want, code, "stderr: %s", stderr.String())
			assert.Equal(t, c.stdout, stdout.String())
		})
	}
}

// TestValidateSchemasThatDoNotGenerate: a keyword the generator refuses
// (propertyNames) still validates, with -v saying why the words are typed.
func TestValidateSchemasThatDoNotGenerate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schema")
	copySchemaDir(t, dir)
	file := filepath.Join(dir, "events", "call.ringing.json")
	var doc map[string]any
	b, _ := os.ReadFile(file)
	require.NoError(t, json.Unmarshal(b, &doc))
	doc["properties"].(map[string]any)["data"].(map[string]any)["propertyNames"] = map[string]any{"maxLength": 7}
	b, _ = json.Marshal(doc)
	require.NoError(t, os.WriteFile(file, b, 0o644))
	payload := writeFile(t, t.TempDir(), "p.json", []byte(`{"event":"call.ringing","id":"evt_1","timestamp":"2025-01-10T12:00:00Z","data":{"call_id":"call_1","much_too_long":1}}`))
	code, stdout, stderr := runCLI(t, "", "validate", "-v", "-schema", dir, payload)
	assert.Equal(t, exitInvalid, code, stderr)
	assert.Contains(t, stdout, payload+": invalid\n\t/data/much_too_long: ")
	assert.Contains(t, stderr, `keyword "propertyNames" is not supported`)
}
