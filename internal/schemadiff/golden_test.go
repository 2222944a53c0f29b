package schemadiff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/krosgen/krosgen/schema"
)

var update = flag.Bool("update", false, "rewrite the expected output of the golden tests")

// minimalDefs is defs.json where an archive gives none: the envelope needs
// event_id only.
const minimalDefs = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$defs": {
    "event_id": {"description": "An event id.", "type": "string", "pattern": "^evt_[A-Za-z0-9_]+$"}
  }
}
`

// pairCase is one testdata archive: "-- old/FILE --" sections are OLD's
// schema directory, "-- new/FILE --" sections replace or add files for NEW
// (a body of "(deleted)" removes the file), "-- want --" holds the
// expected findings as text. envelope.json defaults to the bundled one and
// defs.json to minimalDefs. A comment line "axes: a,b" selects the axes
// reported (default: forward, backward).
type pairCase struct {
	path     string
	archive  *txtar.Archive
	old, new map[string][]byte
	axes     []Axis
}

func loadPairs(t *testing.T, pattern string) []*pairCase {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no archives match %s (%v)", pattern, err)
	}
	envelope, err := os.ReadFile(filepath.Join("..", "..", "schema", schema.EnvelopeFile))
	if err != nil {
		t.Fatal(err)
	}
	var out []*pairCase
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := &pairCase{path: p, archive: a, old: map[string][]byte{}, axes: []Axis{Forward, Backward}}
		for _, line := range strings.Split(string(a.Comment), "\n") {
			if v, ok := strings.CutPrefix(line, "axes:"); ok {
				c.axes = nil
				for _, s := range strings.Split(v, ",") {
					c.axes = append(c.axes, Axis(strings.TrimSpace(s)))
				}
			}
		}
		for _, f := range a.Files {
			if name, ok := strings.CutPrefix(f.Name, "old/"); ok {
				c.old[name] = f.Data
			}
		}
		for name, def := range map[string][]byte{schema.EnvelopeFile: envelope, schema.DefsFile: []byte(minimalDefs)} {
			if _, ok := c.old[name]; !ok {
				c.old[name] = def
			}
		}
		c.new = map[string][]byte{}
		for k, v := range c.old {
			c.new[k] = v
		}
		for _, f := range a.Files {
			if name, ok := strings.CutPrefix(f.Name, "new/"); ok {
				if string(f.Data) == "(deleted)\n" {
					delete(c.new, name)
				} else {
					c.new[name] = f.Data
				}
			}
		}
		out = append(out, c)
	}
	return out
}

func (c *pairCase) sides(t *testing.T) (*Side, *Side) {
	t.Helper()
	old, err := LoadFiles(c.old, "old", "old")
	if err != nil {
		t.Fatalf("OLD: %v", err)
	}
	nw, err := LoadFiles(c.new, "new", "new")
	if err != nil {
		t.Fatalf("NEW: %v", err)
	}
	return old, nw
}

func (c *pairCase) section(name string) []byte {
	for _, f := range c.archive.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

// golden compares got with the archive's section, or rewrites it.
func (c *pairCase) golden(t *testing.T, section string, got []byte) {
	t.Helper()
	if *update {
		found := false
		for i := range c.archive.Files {
			if c.archive.Files[i].Name == section {
				c.archive.Files[i].Data, found = got, true
			}
		}
		if !found {
			c.archive.Files = append(c.archive.Files, txtar.File{Name: section, Data: got})
		}
		if err := os.WriteFile(c.path, txtar.Format(c.archive), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := c.section(section); !sameFindings(got, want) {
		t.Errorf("%s: %s differs (go test ./internal/schemadiff -update rewrites it)\n--- got\n%s--- want\n%s", c.path, section, got, want)
	}
}

// sameFindings compares rendered reports. Source findings follow the
// generator's API, which grows as it does: for them, each line wanted must
// be there, and new ones may be; every other line must match exactly.
func sameFindings(got, want []byte) bool {
	if bytes.Equal(got, want) {
		return true
	}
	split := func(b []byte) (exact []string, source map[string]bool) {
		source = map[string]bool{}
		for i, line := range strings.Split(string(b), "\n") {
			switch {
			case i == 0: // the counts move with the source findings
			case strings.Contains(line, " source   GO_"):
				source[line] = true
			default:
				exact = append(exact, line)
			}
		}
		return exact, source
	}
	ge, gs := split(got)
	we, ws := split(want)
	if strings.Join(ge, "\n") != strings.Join(we, "\n") {
		return false
	}
	for line := range ws {
		if !gs[line] {
			return false
		}
	}
	return true
}

// checkWitnesses re-validates every witness against both sides: a forward
// witness is valid under NEW and invalid under OLD, a backward one the
// reverse, and every forward or backward finding that is not info or
// undecided has one.
func checkWitnesses(t *testing.T, old, nw *Side, r *Report) {
	t.Helper()
	for _, f := range r.Changes {
		if f.Axis == Source || f.Axis == "" {
			if f.Witness != nil {
				t.Errorf("%s %s: a source finding carries a witness", f.Rule, f.Pointer)
			}
			continue
		}
		if f.Witness == nil {
			if !f.Undecided && f.Severity != Info {
				t.Errorf("%s %s %s: no witness, yet neither undecided nor info", f.Rule, f.Axis, f.Pointer)
			}
			continue
		}
		event, _, _ := strings.Cut(f.Pointer, "#")
		if event == "envelope" || f.Rule == EventAdded || f.Rule == EventRemoved {
			event = ""
		}
		inOld, inNew := old.accepts(event, f.Witness), nw.accepts(event, f.Witness)
		if event != "" { // the webhook schema must agree with the event's
			inOld, inNew = inOld && old.Set.Validate(f.Witness) == nil, inNew && nw.Set.Validate(f.Witness) == nil
		}
		if f.Axis == Forward && !(inNew && !inOld) || f.Axis == Backward && !(inOld && !inNew) {
			t.Errorf("%s %s %s: witness %s: OLD accepts %v, NEW accepts %v", f.Rule, f.Axis, f.Pointer, f.Witness, inOld, inNew)
		}
	}
}

// expectedRule is the rule an archive is named after, "" for a refactor.
func expectedRule(path string) Rule {
	name := strings.TrimSuffix(filepath.Base(path), ".txtar")
	switch name {
	case "defs_renamed", "definition_inlined":
		return ""
	}
	name = strings.TrimSuffix(strings.TrimSuffix(name, "_open"), "_undecided")
	return Rule(strings.ToUpper(name))
}

func TestRules(t *testing.T) {
	seen := map[Rule]bool{}
	cases, ran := loadPairs(t, "testdata/rules/*.txtar"), 0
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			ran++
			old, nw := c.sides(t)
			r, err := Diff(old, nw)
			if err != nil {
				t.Fatal(err)
			}
			checkWitnesses(t, old, nw, r)
			rule := expectedRule(c.path)
			for _, f := range r.Changes {
				seen[f.Rule] = true
				if rule == "" && f.Axis != Source {
					t.Errorf("a pure refactor reports %s %s on %s", f.Rule, f.Pointer, f.Axis)
				}
			}
			if rule != "" && !seen[rule] {
				t.Errorf("no %s finding", rule)
			}
			r.Filter(c.axes)
			var buf bytes.Buffer
			if err := Render(&buf, r, RenderOptions{Format: "text", Old: "old", New: "new"}); err != nil {
				t.Fatal(err)
			}
			c.golden(t, "want", buf.Bytes())
		})
	}
	for _, r := range AllRules {
		if ran == len(cases) && !seen[r] {
			t.Errorf("rule %s has no golden case that reports it", r)
		}
	}
}

// TestFormats renders the same report in every format, against the
// archive's want.FORMAT sections.
func TestFormats(t *testing.T) {
	for _, c := range loadPairs(t, "testdata/formats/*.txtar") {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			old, nw := c.sides(t)
			r, err := Diff(old, nw)
			if err != nil {
				t.Fatal(err)
			}
			r.Filter(c.axes)
			checkWitnesses(t, old, nw, r)
			for _, format := range Formats {
				var buf bytes.Buffer
				if err := Render(&buf, r, RenderOptions{Format: format, Old: "git:origin/main", New: "schema", NewDir: "schema"}); err != nil {
					t.Fatal(err)
				}
				c.golden(t, "want."+format, buf.Bytes())
			}
		})
	}
}
