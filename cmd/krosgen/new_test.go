package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/schema"
)

// TestNew_RescaffoldsEveryDocumentedEvent removes each documented event from
// a copy of the schemas and scaffolds it again from its example: the new
// schema must generate, accept the example, and reuse the definitions the
// hand-written schema uses for identifiers and phone numbers.
func TestNew_RescaffoldsEveryDocumentedEvent(t *testing.T) {
	for _, ev := range bundled(t).Events {
		t.Run(ev.Type, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "schema")
			copySchemaDir(t, dir)
			file := filepath.Join(dir, "events", ev.Type+".json")
			original, err := os.ReadFile(file)
			require.NoError(t, err)
			require.NoError(t, os.Remove(file))
			example := writeFile(t, t.TempDir(), "example.json", ev.Examples[0])

			code, stdout, stderr := runCLI(t, "", "new", "-schema", dir, "-doc", "Scaffolded.", ev.Type, example)
			require.Equal(t, exitOK, code, stderr)
			assert.Contains(t, stdout, "wrote "+file)
			set, err := schema.Load(os.DirFS(dir), "schema")
			require.NoError(t, err)
			v := set.Check(ev.Examples[0], nil)
			assert.NoError(t, v.Err)
			assert.True(t, v.Known)
			_, err = generator.Generate(generator.Config{Schema: os.DirFS(dir)})
			require.NoError(t, err)

			scaffolded, _ := os.ReadFile(file)
			for _, def := range []string{"call_id", "phone_number", "phone_number_id", "endpoint_id", "port_request_id"} {
				if ref := `"../defs.json#/$defs/` + def + `"`; strings.Contains(string(original), ref) {
					assert.Contains(t, string(scaffolded), ref, "the scaffold does not reuse $defs/%s", def)
				}
			}
		})
	}
}

func TestNew_Refuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schema")
	copySchemaDir(t, dir)
	example := writeFile(t, t.TempDir(), "x.json", []byte(`{"call_id":"call_1"}`))
	before := snapshot(t, dir)
	for _, name := range []string{"Call.Parked", "call", "call..parked", "call.-parked", "call parked", "call.parked."} {
		code, _, stderr := runCLI(t, "", "new", "-schema", dir, name, example)
		assert.Equal(t, exitUsage, code, name)
		assert.Contains(t, stderr, "breaks the naming rules", name)
	}
	code, _, stderr := runCLI(t, "", "new", "-schema", dir, "call.ringing", example)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "event call.ringing already exists")
	code, _, stderr = runCLI(t, "", "new", "-schema", dir, "-optional", "nope", "call.parked", example)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "-optional nope: the example has no such property")
	code, _, stderr = runCLI(t, `{"event":"call.other","id":"evt_1","timestamp":"2025-01-10T12:00:00Z","data":{}}`, "new", "-schema", dir, "call.parked")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, `"event" is "call.other", not "call.parked"`)
	assert.Equal(t, before, snapshot(t, dir), "a refused scaffold wrote something")
}

func TestNew_Decisions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schema")
	copySchemaDir(t, dir)
	payload := `{"event":"call.parked","id":"evt_9","timestamp":"2025-01-10T12:00:00Z","data":{
	  "call_id":"call_1","from_number":"+14155551234","lot":"overflow","at":"2025-01-10T12:00:00Z",
	  "link":"https://example.com/x","cost_cents":5,"note":"Parked by the agent.","ticket":"tk_42"}}`
	code, stdout, stderr := runCLI(t, payload, "new", "-schema", dir, "-optional", "note", "call.parked")
	require.Equal(t, exitOK, code, stderr)
	for _, want := range []string{
		"data.call_id                 $defs/call_id",
		"data.from_number             $defs/phone_number",
		"data.lot                     open enum",
		"data.at                      date-time",
		"data.link                    uri",
		"data.cost_cents              $defs/cents",
		"data.note                    optional (-optional)",
		"data.ticket                  string: \"tk_42\" looks like an identifier",
		"x-order                      19",
	} {
		assert.Contains(t, stdout, want)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "events", "call.parked.json"))
	assert.Contains(t, string(b), `"required": [
        "call_id",
        "from_number",
        "lot",
        "at",
        "link",
        "cost_cents",
        "ticket"
      ]`)
}
