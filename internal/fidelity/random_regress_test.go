package fidelity

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/krosgen/krosgen/schema"
)

// TestRandomRegressions replays the reproducers the random-schema
// differential found and shrank (testdata/random/*.txtar): each archive
// holds a schema directory (schema/...) and payloads (files named
// payload...). The set must generate and compile (or be refused with an
// error naming the file and JSON pointer), and on each payload Parse must
// reach the reference's verdict, pointers and round trip.
//
// An archive whose comment has a line "pending: ..." records a
// disagreement whose fix has not landed yet: it is replayed and its state
// logged, and its line is to be removed when the fix lands, which this
// test then holds.
func TestRandomRegressions(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "random", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no reproducers in testdata/random")
	}
	sort.Strings(names)
	var sets []*randomSet
	pending := map[*randomSet]string{}
	archive := map[*randomSet]string{}
	for i, name := range names {
		rs, note, err := readReproducer(name, i)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sets = append(sets, rs)
		archive[rs] = filepath.Base(name)
		if note != "" {
			pending[rs] = note
		}
	}
	st := newRandomStats()
	st.keepAll = true
	if err := checkBatch(filepath.Join(t.TempDir(), "mod"), "", sets, st); err != nil {
		t.Fatal(err)
	}
	failing := map[*randomSet][]randomFinding{}
	for _, f := range st.all {
		failing[f.rs] = append(failing[f.rs], f)
	}
	for _, rs := range sets {
		fs := failing[rs]
		note, isPending := pending[rs]
		switch {
		case isPending && len(fs) > 0:
			t.Logf("%s: still disagrees (pending: %s): [%s] %s", archive[rs], note, fs[0].class, oneLine(fs[0].detail))
		case isPending:
			t.Logf("%s: now agrees; remove its pending line (%s)", archive[rs], note)
		case len(fs) > 0:
			for _, f := range fs {
				t.Errorf("%s: [%s] %s\n  payload: %s\n  Parse:  %s\n  schema: %s", archive[rs], f.class, oneLine(f.detail), showPayload(f.payload.Data), f.parse, f.ref)
			}
		}
	}
}

// readReproducer reads one archive into a set to check.
func readReproducer(name string, i int) (*randomSet, string, error) {
	raw, err := os.ReadFile(name)
	if err != nil {
		return nil, "", err
	}
	a := txtar.Parse(raw)
	note := ""
	for _, line := range strings.Split(string(a.Comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "pending:"); ok {
			note = strings.TrimSpace(rest)
		}
	}
	m := fstest.MapFS{}
	rs := &randomSet{index: i, pkg: "r" + strconv.Itoa(i)}
	for _, f := range a.Files {
		if rest, ok := strings.CutPrefix(f.Name, "schema/"); ok {
			m[rest] = &fstest.MapFile{Data: f.Data}
		} else if strings.HasPrefix(f.Name, "payload") {
			rs.payloads = append(rs.payloads, Payload{Kind: f.Name, Data: bytes.TrimSuffix(f.Data, []byte("\n"))})
		}
	}
	rs.fsys = m
	if rs.loaded, err = schema.Load(m, "schema"); err != nil {
		return nil, "", err
	}
	for _, ev := range rs.loaded.Events {
		rs.types = append(rs.types, ev.Type)
	}
	rs.generate()
	return rs, note, nil
}
