package schemadiff

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/internal/fidelity"
	"github.com/krosgen/krosgen/internal/randschema"
	"github.com/krosgen/krosgen/schema"
)

// differentialPairs is how many OLD/NEW pairs TestDifferential draws:
// KROSGEN_DIFF_PAIRS overrides it (make diff-differential runs 1,000).
func differentialPairs() int {
	if n, err := strconv.Atoi(os.Getenv("KROSGEN_DIFF_PAIRS")); err == nil && n > 0 {
		return n
	}
	if testing.Short() {
		return 5
	}
	return 12
}

// parseCheck is one payload whose verdict under each side's generated Parse
// is known in advance: a witness, or a sampled payload the sides disagree on.
type parseCheck struct {
	Old, New string // package names
	Payload  json.RawMessage
	WantOld  bool `json:"want_old"`
	WantNew  bool `json:"want_new"`
	What     string
}

// TestDifferential draws random edits (one to three each) of schema sets,
// half of them subsets of three bundled events (edited by this package's
// mutator), half sets drawn by randschema (edited by randschema.Mutate), and
// diffs each edited set against its original. It holds the
// diff to two things:
//
//   - every forward or backward witness is accepted by one side's generated
//     Parse and rejected by the other's (all pairs' packages are compiled
//     into one test binary);
//   - whenever a sampled payload (fidelity's mutation corpus of both sides'
//     examples, and for drawn sets randschema's payloads of both sides) is
//     valid under one side and invalid under the other, the report has a
//     finding on that axis.
func TestDifferential(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the differential test compiles generated packages: go not found")
	}
	n := differentialPairs()
	seed := time.Now().UnixNano()
	if s, err := strconv.ParseInt(os.Getenv("KROSGEN_DIFF_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("%d pairs, seed %d (KROSGEN_DIFF_SEED=%d reproduces)", n, seed, seed)
	rng := rand.New(rand.NewSource(seed))

	bundled, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	var subsets []*diffBase
	for i, files := range eventSubsets(bundled, 3) {
		subsets = append(subsets, newBase(t, mod, fmt.Sprintf("o%d", i), files, nil))
	}
	var random *diffBase
	randomUses := 0

	var checks []parseCheck
	stats := map[string]int{}
	rules := map[Rule]int{}
	var failures []string
	phase := map[string]time.Duration{}
	defer func() { t.Logf("time: %v", phase) }()
	for pair := 0; pair < n; {
		// Even pairs edit a subset of the bundled schemas, odd ones a set
		// drawn by randschema (each drawn set serves three pairs).
		var base *diffBase
		if pair%2 == 0 {
			base = subsets[(pair/2)%len(subsets)]
		} else {
			if random == nil || randomUses == 3 {
				random, randomUses = drawBase(t, rng, mod, fmt.Sprintf("r%04d", pair)), 0
			}
			randomUses++
			base = random
		}
		old := base.side
		var edits []string
		var files map[string][]byte
		var newPayloads []json.RawMessage
		if base.set != nil { // a drawn set: randschema's own edits, with fresh examples
			mutated, done := randschema.Mutate(base.set, rng)
			if mutated != nil {
				edits, files = done, mutated.Files()
				newPayloads = drawnPayloads(rng, mutated)
			}
		} else {
			m := &mutator{rng: rng, docs: map[string]any{}}
			for name, b := range base.files {
				m.docs[name], _ = decode(b)
			}
			for want, tries := 1+rng.Intn(3), 0; len(edits) < want && tries < 200; tries++ {
				name, ok := m.mutate()
				if ok {
					edits = append(edits, name)
				}
			}
			files = encodeDocs(m.docs)
		}
		if len(edits) == 0 {
			stats["sets no edit applies to"]++
			if pair%2 == 1 {
				randomUses = 3
			}
			continue
		}
		nw, err := LoadFiles(files, "schema", "new")
		if err != nil {
			stats["edits refused by the loader"]++
			continue
		}
		pkg := fmt.Sprintf("p%04d", pair)
		t0 := time.Now()
		err = writePackage(t, mod, pkg, files)
		phase["generate"] += time.Since(t0)
		if err != nil {
			stats["edits refused by the generator"]++
			continue
		}
		if pair%2 == 0 {
			stats["pairs from the bundled schemas"]++
		} else {
			stats["pairs from randschema sets"]++
		}
		pair++
		label := fmt.Sprintf("pair %s (%s)", pkg, strings.Join(edits, "; "))
		t0 = time.Now()
		r, err := Diff(old, nw, Forward, Backward)
		phase["diff"] += time.Since(t0)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		onAxis := map[Axis]bool{}
		for _, f := range r.Changes {
			rules[f.Rule]++
			onAxis[f.Axis] = true
			if f.Undecided {
				stats["undecided findings"]++
			}
			if f.Witness == nil || f.Rule == EventAdded || f.Rule == EventRemoved {
				continue
			}
			stats["witnesses"]++
			checks = append(checks, parseCheck{Old: base.pkg, New: pkg, Payload: f.Witness,
				WantOld: f.Axis == Backward, WantNew: f.Axis == Forward, What: label + ": " + string(f.Rule) + " " + f.Pointer})
		}
		if len(r.Changes) > 0 {
			stats["pairs with findings"]++
		}
		// Sampled payloads: where the languages differ, an axis must speak.
		t0 = time.Now()
		samples := append(append(samplePayloads(t, rng, old, nw, 1200), base.payloads...), newPayloads...)
		differ := map[Axis]int{}
		for _, p := range samples {
			inOld, inNew := verdicts(p, old, nw)
			stats["sampled payloads"]++
			if inOld == inNew {
				continue
			}
			axis := Forward
			if inOld {
				axis = Backward
			}
			differ[axis]++
			stats["sampled payloads the sides disagree on"]++
			if !onAxis[axis] {
				failures = append(failures, fmt.Sprintf("%s: the sides disagree on %s (OLD accepts %v, NEW accepts %v), yet nothing is reported on %s", label, p, inOld, inNew, axis))
			}
			if differ[axis] <= 3 && knownEverywhere(p, old, nw) {
				checks = append(checks, parseCheck{Old: base.pkg, New: pkg, Payload: p, WantOld: inOld, WantNew: inNew, What: label + ": sampled payload"})
			}
		}
		phase["sample"] += time.Since(t0)
		for _, a := range []Axis{Forward, Backward} {
			if differ[a] > 0 {
				stats["pairs whose languages differ on a sample, "+string(a)]++
			}
		}
	}
	for _, f := range failures[:min(len(failures), 20)] {
		t.Error(f)
	}
	if len(failures) > 20 {
		t.Errorf("... and %d more", len(failures)-20)
	}
	start := time.Now()
	runParseChecks(t, mod, checks)
	t.Logf("compiled and ran %d generated packages' Parse on %d payloads in %v", packages(mod), len(checks), time.Since(start).Round(time.Second))
	for _, k := range sortedKeys(stats) {
		t.Logf("%-50s %d", k, stats[k])
	}
	var rs []string
	for r, c := range rules {
		rs = append(rs, fmt.Sprintf("%s %d", r, c))
	}
	sort.Strings(rs)
	t.Logf("findings by rule: %s", strings.Join(rs, ", "))
}

// diffBase is an OLD side of the differential: its files, loaded, the
// name of its generated package and, for a drawn set, payloads randschema
// derived from its schemas.
type diffBase struct {
	set      *randschema.Set // nil for a subset of the bundled schemas
	files    map[string][]byte
	side     *Side
	pkg      string
	payloads []json.RawMessage
}

func newBase(t *testing.T, mod, pkg string, files map[string][]byte, payloads []json.RawMessage) *diffBase {
	t.Helper()
	side, err := LoadFiles(files, "schema", "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := writePackage(t, mod, pkg, files); err != nil {
		t.Fatal(err)
	}
	return &diffBase{files: files, side: side, pkg: pkg, payloads: payloads}
}

// randomFeatures are randschema's features the generator is exact on, as
// internal/fidelity's random differential draws them.
func randomFeatures() randschema.Features { return randschema.Exact() }

// drawBase draws a schema set with randschema until one generates.
func drawBase(t *testing.T, rng *rand.Rand, mod, pkg string) *diffBase {
	t.Helper()
	for try := 0; try < 20; try++ {
		set, err := randschema.New(rng, randomFeatures())
		if err != nil {
			continue
		}
		files := set.Files()
		if _, err := LoadFiles(files, "schema", "old"); err != nil {
			continue
		}
		if _, err := generator.Generate(generator.Config{Schema: set.FS(), SchemaDir: "schema", Package: pkg}); err != nil {
			continue
		}
		b := newBase(t, mod, pkg, files, drawnPayloads(rng, set))
		b.set = set
		return b
	}
	t.Fatal("randschema drew no set the generator accepts in 20 tries")
	return nil
}

// drawnPayloads derives payloads from a drawn set's schemas.
func drawnPayloads(rng *rand.Rand, set *randschema.Set) []json.RawMessage {
	ps, err := set.Payloads(rng, 300)
	if err != nil {
		return nil
	}
	var out []json.RawMessage
	for _, p := range ps {
		if json.Valid(p.Data) {
			out = append(out, p.Data)
		}
	}
	return out
}

func packages(mod string) int {
	entries, _ := os.ReadDir(mod)
	n := 0
	for _, e := range entries {
		if e.IsDir() {
			n++
		}
	}
	return n
}

// eventSubsets splits the bundled events into sets of size events, each
// with the envelope and the definitions.
func eventSubsets(set *schema.Set, size int) []map[string][]byte {
	var out []map[string][]byte
	for i := 0; i < len(set.Events); i += size {
		files := map[string][]byte{set.Envelope.Name: set.Envelope.Raw, set.Defs.Name: set.Defs.Raw}
		for _, ev := range set.Events[i:min(i+size, len(set.Events))] {
			files[ev.Name] = ev.Raw
		}
		out = append(out, files)
	}
	return out
}

// writePackage generates the package of a schema set into mod/name,
// leaving out its tests.
func writePackage(t *testing.T, mod, name string, files map[string][]byte) error {
	side, err := LoadFiles(files, "schema", name)
	if err != nil {
		return err
	}
	out, err := generator.Generate(generator.Config{Schema: side.FS(), SchemaDir: "schema", Package: name})
	if err != nil {
		return err
	}
	// A name can be written twice (a drawn set no edit applies to is drawn
	// again under the same name): files of the first must not stay behind.
	dir := filepath.Join(mod, name)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for fn, b := range out.Files {
		if strings.HasSuffix(fn, ".go") && !strings.HasSuffix(fn, "_test.go") {
			if err := os.WriteFile(filepath.Join(dir, fn), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return nil
}

// samplePayloads draws up to max payloads of fidelity's corpus, derived
// from both sides' examples.
func samplePayloads(t *testing.T, rng *rand.Rand, old, nw *Side, max int) []json.RawMessage {
	t.Helper()
	var examples []fidelity.Example
	seen := map[string]bool{}
	types := map[string]bool{}
	for _, s := range []*Side{old, nw} {
		for _, ev := range s.Set.Events {
			types[ev.Type] = true
			for _, ex := range ev.Examples {
				if !seen[string(ex)] {
					seen[string(ex)] = true
					examples = append(examples, fidelity.Example{Type: ev.Type, Raw: ex})
				}
			}
		}
	}
	corpus, err := fidelity.Corpus(examples, sortedKeys(types))
	if err != nil {
		t.Fatal(err)
	}
	var out []json.RawMessage
	for _, i := range rng.Perm(len(corpus)) {
		if len(out) == max {
			break
		}
		if json.Valid(corpus[i].Data) {
			out = append(out, corpus[i].Data)
		}
	}
	return out
}

// verdicts judges a payload on both sides: with the event's own schema when
// both know its type (the same verdict as the webhook schema's, faster), with
// the webhook schema otherwise.
func verdicts(p []byte, old, nw *Side) (inOld, inNew bool) {
	if knownEverywhere(p, old, nw) {
		var env struct {
			Event string `json:"event"`
		}
		json.Unmarshal(p, &env)
		return old.accepts(env.Event, p), nw.accepts(env.Event, p)
	}
	return old.Set.Validate(p) == nil, nw.Set.Validate(p) == nil
}

// knownEverywhere tells whether a payload names an event type both sides
// know: generated Parse takes any other as UnknownEvent, by design.
func knownEverywhere(p []byte, sides ...*Side) bool {
	var env struct {
		Event string `json:"event"`
	}
	if json.Unmarshal(p, &env) != nil {
		return false
	}
	for _, s := range sides {
		if _, ok := s.byType[env.Event]; !ok {
			return false
		}
	}
	return true
}

// runParseChecks compiles every generated package into one test binary
// and checks each payload's verdict under both sides' Parse.
func runParseChecks(t *testing.T, mod string, checks []parseCheck) {
	t.Helper()
	manifest, _ := json.Marshal(checks)
	if err := os.WriteFile(filepath.Join(mod, "manifest.json"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(mod)
	var imports, table strings.Builder
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		fmt.Fprintf(&imports, "\t%q\n", "difftest/"+e.Name())
		fmt.Fprintf(&table, "\t%q: func(b []byte) error { _, err := %s.Parse(b); return err },\n", e.Name(), e.Name())
	}
	src := `package difftest

import (
	"encoding/json"
	"os"
	"testing"

` + imports.String() + `)

var parsers = map[string]func([]byte) error{
` + table.String() + `}

type check struct {
	Old, New string
	Payload  json.RawMessage
	WantOld  bool ` + "`json:\"want_old\"`" + `
	WantNew  bool ` + "`json:\"want_new\"`" + `
	What     string
}

func TestParse(t *testing.T) {
	b, err := os.ReadFile("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var checks []check
	if err := json.Unmarshal(b, &checks); err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		gotOld, gotNew := parsers[c.Old](c.Payload) == nil, parsers[c.New](c.Payload) == nil
		if gotOld != c.WantOld || gotNew != c.WantNew {
			t.Errorf("%s: Parse of OLD accepts %v (want %v), of NEW %v (want %v): %s", c.What, gotOld, c.WantOld, gotNew, c.WantNew, c.Payload)
		}
	}
	t.Logf("%d payloads checked", len(checks))
}
`
	if err := os.WriteFile(filepath.Join(mod, "parse_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module difftest\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "-v", "-run", "TestParse", ".")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("generated Parse disagrees with the diff's verdicts (or did not build): %v\n%s", err, tail(string(out), 60))
		return
	}
	t.Log(strings.TrimSpace(lastLine(string(out), "payloads checked")))
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

func lastLine(s, containing string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, containing) {
			return l
		}
	}
	return ""
}
