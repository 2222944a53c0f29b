package fidelity

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/internal/randschema"
	"github.com/krosgen/krosgen/schema"
)

// The random-schema differential: schema sets drawn by package randschema,
// each generated into a package of its own, built in batches, and the
// generated Parse compared with the reference validator on payloads derived
// from each set. Environment:
//
//	KROSGEN_RANDOM_SETS      number of sets (default 48, the mode make test runs; 12 with -short)
//	KROSGEN_RANDOM_SEED      first seed (default 1)
//	KROSGEN_RANDOM_PAYLOADS  payloads drawn per set from its schemas (default 40),
//	                         plus KROSGEN_RANDOM_CORPUS mutations of its examples (default 20)
//	KROSGEN_RANDOM_BATCH     sets built into one module (default 48)
//	KROSGEN_RANDOM_FEATURES  "exact" (default: exactFeatures), "all", or a
//	                         comma-separated list of switches to flip from
//	                         exact, such as "EnvelopeKeywords,ShadowNames"
//	KROSGEN_RANDOM_OUT       a directory to write one reproducer per
//	                         disagreement class into (txtar)
//	KROSGEN_RANDOM_SHRINK    "1": shrink each class's first reproducer
//	KROSGEN_RANDOM_MINUTES   a time budget: no batch starts after it (default none)
//	KROSGEN_RANDOM_ONLY      set numbers to check, such as "3,17" (of the first KROSGEN_RANDOM_SETS)

// exactFeatures are the features the generator is exact on today
// (randschema.Exact): the short mode draws only these, so that it passes
// while fixes are pending.
func exactFeatures() randschema.Features { return randschema.Exact() }

type randomConfig struct {
	sets, payloads, corpus, batch int
	seed                          int64
	features                      randschema.Features
	out                           string
	shrink                        bool
	only                          map[int]bool  // when set, the sets to check
	budget                        time.Duration // when set, no batch starts after it
}

func envInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		tb.Fatalf("%s=%q: want a non-negative integer", name, v)
	}
	return n
}

func loadRandomConfig(tb testing.TB) randomConfig {
	defaultSets := 48
	if testing.Short() {
		defaultSets = 12
	}
	c := randomConfig{
		sets:     envInt(tb, "KROSGEN_RANDOM_SETS", defaultSets),
		seed:     int64(envInt(tb, "KROSGEN_RANDOM_SEED", 1)),
		payloads: envInt(tb, "KROSGEN_RANDOM_PAYLOADS", 40),
		corpus:   envInt(tb, "KROSGEN_RANDOM_CORPUS", 20),
		batch:    envInt(tb, "KROSGEN_RANDOM_BATCH", 48),
		out:      os.Getenv("KROSGEN_RANDOM_OUT"),
		shrink:   os.Getenv("KROSGEN_RANDOM_SHRINK") == "1",
	}
	if c.batch == 0 {
		c.batch = 48
	}
	c.budget = time.Duration(envInt(tb, "KROSGEN_RANDOM_MINUTES", 0)) * time.Minute
	if v := os.Getenv("KROSGEN_RANDOM_ONLY"); v != "" {
		c.only = map[int]bool{}
		for _, s := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				tb.Fatalf("KROSGEN_RANDOM_ONLY=%q: want set numbers separated by commas", v)
			}
			c.only[n] = true
		}
	}
	f, err := parseFeatures(os.Getenv("KROSGEN_RANDOM_FEATURES"))
	if err != nil {
		tb.Fatal(err)
	}
	c.features = f
	return c
}

// parseFeatures reads KROSGEN_RANDOM_FEATURES.
func parseFeatures(spec string) (randschema.Features, error) {
	switch spec {
	case "", "exact":
		return exactFeatures(), nil
	case "all":
		return randschema.All(), nil
	}
	f := exactFeatures()
	for _, name := range strings.Split(spec, ",") {
		if err := f.Flip(strings.TrimSpace(name)); err != nil {
			return f, err
		}
	}
	return f, nil
}

// randomSet is one drawn set and what became of it.
type randomSet struct {
	index    int
	seed     int64
	set      *randschema.Set // nil for a set read from a reproducer
	fsys     fs.FS           // the schema directory
	types    []string        // its event types
	loaded   *schema.Set
	pkg      string
	files    map[string][]byte // generated; nil when refused
	genErr   string
	payloads []Payload
}

// drawRandomSet draws set number i and its payloads, and generates it.
func drawRandomSet(cfg randomConfig, i int) (*randomSet, error) {
	seed := cfg.seed*1_000_003 + int64(i)
	rng := rand.New(rand.NewSource(seed))
	s, err := randschema.New(rng, cfg.features)
	if err != nil {
		return nil, fmt.Errorf("set %d (seed %d): %v", i, seed, err)
	}
	rs := &randomSet{index: i, seed: seed, set: s, pkg: "s" + strconv.Itoa(i)}
	if err := rs.prepare(rng, cfg.payloads, cfg.corpus); err != nil {
		return nil, fmt.Errorf("set %d (seed %d): %v", i, seed, err)
	}
	return rs, nil
}

// prepare loads the set, derives its payloads and generates its package.
func (rs *randomSet) prepare(rng *rand.Rand, nPayloads, nCorpus int) error {
	var err error
	rs.fsys, rs.types = rs.set.FS(), rs.set.Types()
	if rs.loaded, err = rs.set.Load(); err != nil {
		return err
	}
	ps, err := rs.set.Payloads(rng, nPayloads)
	if err != nil {
		return err
	}
	for _, p := range ps {
		rs.payloads = append(rs.payloads, Payload{Event: p.Event, Kind: p.Kind, At: p.At, Data: p.Data})
	}
	if nCorpus > 0 {
		var examples []Example
		for _, ev := range rs.loaded.Events {
			for _, x := range ev.Examples {
				examples = append(examples, Example{Type: ev.Type, Raw: x})
			}
		}
		corpus, err := Corpus(examples, rs.types)
		if err != nil {
			return err
		}
		for _, k := range rng.Perm(len(corpus)) {
			if nCorpus == 0 {
				break
			}
			if len(corpus[k].Data) > 4096 {
				continue // the long strings and deep nesting: costly, and the bundled differential has them
			}
			rs.payloads = append(rs.payloads, corpus[k])
			nCorpus--
		}
	}
	rs.generate()
	return nil
}

// generate runs the generator on the set, recovering a panic.
func (rs *randomSet) generate() {
	defer func() {
		if r := recover(); r != nil {
			rs.files = nil
			rs.genErr = fmt.Sprintf("PANIC %v\n%s", r, debug.Stack())
		}
	}()
	out, err := generator.Generate(generator.Config{Schema: rs.fsys, SchemaDir: "schema", Package: rs.pkg})
	if err != nil {
		rs.genErr = err.Error()
		return
	}
	rs.files = out.Files
}

// clearRefusal is the form of an error that names the file and JSON pointer.
var clearRefusal = regexp.MustCompile(`^schema/(?:envelope\.json|defs\.json|events/[^:#]+\.json)(?:#(?:/[^:]*)?)?: `)

// refusalClass names the class of a refusal: the message without the
// location, values and names.
func refusalClass(msg string) string {
	loc := clearRefusal.FindString(msg)
	rest := strings.TrimPrefix(msg, loc)
	rest, _, _ = strings.Cut(rest, "\n")
	return slug(generalizeMessage(rest))
}

// randomStats accumulates the figures of a run.
type randomStats struct {
	sets, generated, payloads, accepted, rejected, malformed, unknown, roundTrips int
	keywords                                                                      map[string]int
	refusals, unclear, compileFailures                                            map[string]int
	// refusalExamples holds the first message of each refusal class.
	refusalExamples map[string]string
	// findings holds the first few findings of each class; counts counts them all.
	findings map[string][]randomFinding
	counts   map[string]int
	// all holds every finding, when keepAll is set (for the shrinker).
	keepAll bool
	all     []randomFinding
	// buildTime is the time spent in go build.
	buildTime time.Duration
}

// randomFinding is one disagreement, with what reproduces it.
type randomFinding struct {
	class, detail string
	rs            *randomSet
	payload       Payload
	parse, ref    string
}

func newRandomStats() *randomStats {
	return &randomStats{
		keywords: map[string]int{}, refusals: map[string]int{}, unclear: map[string]int{},
		compileFailures: map[string]int{}, refusalExamples: map[string]string{}, findings: map[string][]randomFinding{}, counts: map[string]int{},
	}
}

func (st *randomStats) add(f randomFinding) {
	if len(st.findings[f.class]) < 3 {
		st.findings[f.class] = append(st.findings[f.class], f)
	}
	st.counts[f.class]++
	if st.keepAll {
		st.all = append(st.all, f)
	}
}

// TestRandomSchemas is the random-schema differential. Every drawn set is
// either refused with an error naming the file and JSON pointer, or
// generated into a package that compiles; on every payload, its Parse
// reaches the reference's verdict with the same set of JSON pointers, and
// every payload it accepts survives json.Marshal → Parse unchanged.
func TestRandomSchemas(t *testing.T) {
	cfg := loadRandomConfig(t)
	st := runRandom(t, cfg, nil)
	st.report(t, cfg)
	if n := st.findingTotal(); n > 0 {
		t.Errorf("%d disagreements between the generated Parse and the reference (see the classes above)", n)
	}
	if cfg.sets > 0 && st.generated == 0 {
		t.Errorf("no set of %d was generated", cfg.sets)
	}
}

func (st *randomStats) findingTotal() int {
	return sum(st.counts)
}

// runRandom draws, generates, builds and checks cfg.sets sets in batches.
func runRandom(t *testing.T, cfg randomConfig, only []int) *randomStats {
	st := newRandomStats()
	dir := t.TempDir()
	cache := ""
	var pruner *cachePruner
	if cfg.sets > 200 {
		// A private build cache, pruned after each batch: thousands of
		// packages would otherwise fill the shared one.
		cache = filepath.Join(dir, "gocache")
		pruner = &cachePruner{dir: cache}
	}
	start := time.Now()
	var tDraw, tCheck time.Duration
	for first := 0; first < cfg.sets; first += cfg.batch {
		if cfg.budget > 0 && time.Since(start) > cfg.budget {
			t.Logf("time budget of %v spent: stopping after %d of %d sets", cfg.budget, first, cfg.sets)
			break
		}
		t0 := time.Now()
		n := min(cfg.batch, cfg.sets-first)
		var sets []*randomSet
		for i := first; i < first+n; i++ {
			if cfg.only != nil && !cfg.only[i] {
				continue
			}
			rs, err := drawRandomSet(cfg, i)
			if err != nil {
				t.Fatal(err)
			}
			sets = append(sets, rs)
			for k := range rs.set.KeywordCounts() {
				st.keywords[k]++
			}
		}
		mod := filepath.Join(dir, "mod")
		if err := os.RemoveAll(mod); err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		if err := checkBatch(mod, cache, sets, st); err != nil {
			t.Fatal(err)
		}
		tDraw, tCheck = tDraw+t1.Sub(t0), tCheck+time.Since(t1)
		if pruner != nil {
			if pruner.keep == nil {
				if err := pruner.remember(); err != nil {
					t.Fatal(err)
				}
			} else if err := pruner.prune(); err != nil {
				t.Fatal(err)
			}
		}
		if cfg.sets > cfg.batch {
			t.Logf("%d/%d sets in %v (drawing and generating %v; building and checking %v, of which build %v): %d disagreements so far",
				first+n, cfg.sets, time.Since(start).Round(time.Second), tDraw.Round(time.Second), tCheck.Round(time.Second), st.buildTime.Round(time.Second), st.findingTotal())
		}
	}
	return st
}

// checkBatch generates, builds and checks one batch of sets.
func checkBatch(mod, cache string, sets []*randomSet, st *randomStats) error {
	var pkgs []string
	byPkg := map[string]*randomSet{}
	for _, rs := range sets {
		st.sets++
		if rs.files == nil {
			if strings.HasPrefix(rs.genErr, "PANIC") || !clearRefusal.MatchString(rs.genErr) {
				class := "generate-unclear-error/" + slug(generalizeMessage(firstLine(rs.genErr)))
				if strings.HasPrefix(rs.genErr, "PANIC") {
					class = "generate-panic/" + slug(panicFunc(rs.genErr))
				}
				st.unclear[class]++
				st.add(randomFinding{class: class, detail: shorten(rs.genErr, 600), rs: rs})
			} else {
				class := refusalClass(rs.genErr)
				st.refusals[class]++
				if _, ok := st.refusalExamples[class]; !ok {
					st.refusalExamples[class] = firstLine(rs.genErr)
				}
			}
			continue
		}
		if err := writePackage(mod, rs.pkg, rs.files); err != nil {
			return err
		}
		pkgs = append(pkgs, rs.pkg)
		byPkg[rs.pkg] = rs
	}
	if len(pkgs) == 0 {
		return nil
	}
	tb := time.Now()
	bin, built, failed, err := buildRunner(mod, cache, pkgs)
	if err != nil {
		return err
	}
	st.buildTime += time.Since(tb)
	for pkg, msg := range failed {
		class := "compile-failure/" + slug(generalizeMessage(compileMessage(msg)))
		st.compileFailures[class]++
		st.add(randomFinding{class: class, detail: msg, rs: byPkg[pkg]})
	}
	var cases []runnerCase
	type origin struct {
		rs *randomSet
		p  Payload
	}
	var origins []origin
	for i, pkg := range built {
		rs := byPkg[pkg]
		st.generated++
		for _, p := range rs.payloads {
			cases = append(cases, runnerCase{Pkg: i, Data: p.Data})
			origins = append(origins, origin{rs, p})
		}
	}
	vs, err := runRunner(mod, bin, cases)
	if err != nil {
		return err
	}
	for i, v := range vs {
		o := origins[i]
		st.payloads++
		ref := referenceVerdict(o.rs.loaded, o.p.Data)
		f := compareRandom(v, ref, o.rs.types, o.p.Data)
		switch {
		case f != nil:
			f.rs, f.payload = o.rs, o.p
			f.parse, f.ref = showRunnerVerdict(v), ref.String()
			st.add(*f)
		case v.Outcome == "accepted" && v.Unknown:
			st.unknown++
		case v.Outcome == "accepted":
			st.accepted++
			st.roundTrips++
		case v.Outcome == "malformed":
			st.malformed++
		default:
			st.rejected++
		}
	}
	return nil
}

// compileMessage is the compiler's message in the first error line.
func compileMessage(msg string) string {
	line := firstLine(msg)
	if m := buildFailure.FindStringSubmatch(line); m != nil {
		return m[4]
	}
	return line
}

// referenceVerdict runs the reference validator of a loaded set.
func referenceVerdict(s *schema.Set, payload []byte) (v verdict) {
	defer func() {
		if r := recover(); r != nil {
			v = verdict{outcome: panicked, text: fmt.Sprintf("%v\n%s", r, debug.Stack())}
		}
	}()
	err := s.Validate(payload)
	var ve *schema.ValidationError
	var se *schema.SyntaxError
	switch {
	case err == nil:
		return verdict{outcome: accepted, text: "valid"}
	case errors.As(err, &se):
		return verdict{outcome: malformed, text: se.Error()}
	case errors.As(err, &ve):
		var ps []string
		var pr []problem
		for _, p := range ve.Problems {
			for _, ptr := range forbiddenPointers(p) {
				ps, pr = append(ps, ptr), append(pr, problem{ptr, p.Message})
			}
		}
		return verdict{outcome: rejected, pointers: uniqueSorted(ps), problems: pr, text: ve.Error()}
	}
	return verdict{outcome: otherErr, text: fmt.Sprintf("%T: %v", err, err)}
}

// forbiddenPointers applies the one documented rule by which the
// reference's pointers are read: jsonschema/v5 reports properties that
// "additionalProperties": false forbids at the object ("/data:
// additionalProperties 'x', 'y' not allowed"), Parse at each property
// ("/data/x", "/data/y"), as it reports a missing required property. Any
// other problem keeps its pointer.
func forbiddenPointers(p schema.Problem) []string {
	rest, ok := strings.CutPrefix(p.Message, "additionalProperties ")
	if !ok {
		return []string{p.Pointer}
	}
	rest, ok = strings.CutSuffix(rest, " not allowed")
	if !ok {
		return []string{p.Pointer}
	}
	var out []string
	for rest != "" {
		if rest[0] != '\'' {
			return []string{p.Pointer}
		}
		end := 1
		for end < len(rest) && rest[end] != '\'' {
			if rest[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(rest) {
			return []string{p.Pointer}
		}
		name, err := strconv.Unquote(`"` + strings.ReplaceAll(strings.ReplaceAll(rest[1:end], `\'`, `'`), `"`, `\"`) + `"`)
		if err != nil {
			return []string{p.Pointer}
		}
		out = append(out, p.Pointer+"/"+escapeToken(name))
		rest = strings.TrimPrefix(rest[end+1:], ", ")
	}
	return out
}

func showRunnerVerdict(v runnerVerdict) string {
	switch v.Outcome {
	case "accepted":
		s := "accepted: " + v.Type + " " + v.Data
		if v.RoundTrip != "" {
			s += "; round trip: " + v.RoundTrip
		}
		if v.Revalidate != "" {
			s += "; Validate: " + v.Revalidate
		}
		return s
	case "rejected":
		var ps []string
		for _, p := range v.Problems {
			ps = append(ps, p.Pointer)
		}
		return "rejected at " + pointerList(uniqueSorted(ps)) + ": " + v.Text
	case "panic":
		return "PANIC: " + panicSite(v.Text)
	}
	return v.Outcome + ": " + v.Text
}

// compareRandom compares the runner's verdict with the reference's, as
// TestParseMatchesSchema does, and checks an accepted payload's round trip.
func compareRandom(v runnerVerdict, ref verdict, types []string, payload []byte) *randomFinding {
	find := func(class, detail string) *randomFinding { return &randomFinding{class: class, detail: detail} }
	var pointers []string
	var firstMsg string
	for i, p := range v.Problems {
		pointers = append(pointers, p.Pointer)
		if i == 0 {
			firstMsg = p.Message
		}
	}
	pointers = uniqueSorted(pointers)
	switch {
	case v.Outcome == "hang":
		return find("parse-hang", "Parse never returns")
	case v.Outcome == "panic":
		return find("parse-panic/"+slug(panicFunc(v.Text)), panicSite(v.Text))
	case ref.outcome == panicked:
		return find("schema-panic/"+slug(panicFunc(ref.text)), panicSite(ref.text))
	case v.Outcome == "other":
		return find("parse-unexpected-error", v.Text)
	case ref.outcome == otherErr:
		return find("schema-unexpected-error", ref.text)
	case v.Outcome == "malformed" && ref.outcome == malformed:
		return nil
	case v.Outcome == "malformed":
		return find("syntax-verdicts-differ", "Parse: syntax error; schema: "+ref.outcome.name())
	case ref.outcome == malformed:
		return find("syntax-verdicts-differ", "schema: syntax error; Parse: "+v.Outcome)
	}
	wantAccept := ref.outcome == accepted
	want := ref.pointers
	typ, unknown := eventTypeOf(payload, types)
	if unknown {
		if ref.outcome != rejected || !slices.Contains(ref.pointers, "/event") {
			return find("unknown-event-not-rejected-at-/event", "schema "+ref.outcome.name()+" "+pointerList(ref.pointers))
		}
		// Only the reference's enum of known types is to be ignored: other
		// rules of the envelope on /event (a pattern, a length) hold for
		// unknown types too.
		var rest []string
		for _, p := range ref.problems {
			if p.pointer != "/event" || !strings.HasPrefix(p.message, "value must be ") {
				rest = append(rest, p.pointer)
			}
		}
		want = uniqueSorted(rest)
		wantAccept = len(want) == 0
	}
	switch {
	case wantAccept && v.Outcome == "accepted":
		if unknown != v.Unknown || (unknown && v.Type != typ) {
			return find("event-decoded-as-wrong-type", fmt.Sprintf("event %q decoded as %s %s", typ, v.Type, v.Data))
		}
		if v.RoundTrip != "" {
			return find("roundtrip/"+slug(generalizeMessage(roundTripClass(v.RoundTrip))), v.RoundTrip)
		}
		if v.Revalidate != "" {
			return find("validate-rejects-parsed-event/"+slug(generalizeMessage(v.Revalidate)), v.Revalidate)
		}
		return nil
	case wantAccept:
		return find("parse-rejects-schema-accepts/"+slug(generalizeMessage(firstMsg)), "Parse rejects at "+pointerList(pointers))
	case v.Outcome == "accepted":
		return find("parse-accepts-schema-rejects/"+slug(generalizeMessage(ref.problems[0].message)), "schema rejects at "+pointerList(want))
	case !slices.Equal(pointers, want) && !slices.Equal(withoutEmptyTokens(pointers), withoutEmptyTokens(want)):
		onlyP, onlyS := difference(pointers, want), difference(want, pointers)
		class := "pointer-sets-differ"
		if shape := pointerShape(onlyP, onlyS); shape != "" {
			class += "/" + shape
		}
		return find(class, "only Parse: "+pointerList(onlyP)+"; only schema: "+pointerList(onlyS))
	}
	return nil
}

// roundTripClass keeps the kind of a round-trip failure, without the payload.
func roundTripClass(s string) string {
	for _, prefix := range []string{"json.Marshal: ", "Parse rejects json.Marshal's output", "Parse panics", "Parse hangs", "the event changes"} {
		if strings.HasPrefix(s, prefix) {
			if prefix == "json.Marshal: " {
				return s
			}
			return prefix
		}
	}
	return s
}

// eventTypeOf reports the event type of a well-formed payload when it is
// a string that is not one of types.
func eventTypeOf(payload []byte, types []string) (string, bool) {
	v, err := decodeAny(payload)
	if err != nil {
		return "", false
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	t, ok := obj["event"].(string)
	if !ok || slices.Contains(types, t) {
		return "", false
	}
	return t, true
}

// report logs the figures: sets, refusals by class, compile failures,
// payloads and verdicts, keyword appearances, and disagreements by class
// with one example each.
func (st *randomStats) report(t *testing.T, cfg randomConfig) {
	t.Logf("random schemas: %d sets (seed %d), %d generated and built, %d refused, %d unclear generator errors, %d that do not compile",
		st.sets, cfg.seed, st.generated, sum(st.refusals), sum(st.unclear), sum(st.compileFailures))
	t.Logf("payloads: %d checked; agreed: %d accepted by both (each round-tripped), %d rejected by both, %d malformed for both, %d unknown event types; %d disagreements",
		st.payloads, st.accepted, st.rejected, st.malformed, st.unknown, st.findingTotal())
	t.Logf("refusals by class:%s", countsText(st.refusals, 40))
	if testing.Verbose() {
		for _, c := range sortedKeys(st.refusalExamples) {
			t.Logf("  e.g. %s", st.refusalExamples[c])
		}
	}
	if len(st.compileFailures) > 0 {
		t.Logf("compile failures by class:%s", countsText(st.compileFailures, 40))
	}
	t.Logf("sets each keyword appeared in:%s", countsText(st.keywords, 200))
	if len(st.findings) == 0 {
		return
	}
	classes := make([]string, 0, len(st.findings))
	for c := range st.findings {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var b strings.Builder
	for _, c := range classes {
		f := st.findings[c][0]
		fmt.Fprintf(&b, "\n[%s] ×%d: %s\n  set %d (seed %d)", c, st.counts[c], shorten(f.detail, 600), f.rs.index, f.rs.seed)
		if f.payload.Data != nil {
			fmt.Fprintf(&b, ", payload %s %s @%s: %s\n  Parse:  %s\n  schema: %s", f.payload.Event, f.payload.Kind, f.payload.At, showPayload(f.payload.Data), shorten(f.parse, 600), shorten(f.ref, 600))
		}
	}
	t.Logf("disagreements by class (one example each):%s", b.String())
	if cfg.out != "" {
		if err := st.writeReproducers(t, cfg); err != nil {
			t.Error(err)
		}
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func countsText(m map[string]int, max int) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if m[ks[i]] != m[ks[j]] {
			return m[ks[i]] > m[ks[j]]
		}
		return ks[i] < ks[j]
	})
	var b strings.Builder
	for i, k := range ks {
		if i == max {
			fmt.Fprintf(&b, "\n  ... and %d more", len(ks)-max)
			break
		}
		fmt.Fprintf(&b, "\n  %6d  %s", m[k], k)
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
