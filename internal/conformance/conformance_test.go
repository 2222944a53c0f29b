package conformance

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/schema"
)

var (
	flagRefusals = flag.Bool("conformance.refusals", false, "list every refused group with the generator's error, one a line")
	flagReport   = flag.String("conformance.report", "", "also write the results table (Markdown) to this file")
)

// TestConformance runs the suite subset through the generator and the
// generated Parse. It fails when a group the generator accepts gets a verdict
// wrong, when Generate panics, when a refusal does not name the event file at
// fault, or when generated code does not build.
func TestConformance(t *testing.T) {
	start := time.Now()
	groups, err := loadGroups()
	if err != nil {
		t.Fatal(err)
	}
	base := baseFiles(t)
	byN := map[int]*group{}
	for _, g := range groups {
		byN[g.N] = g
	}

	// Each group alone: generated or refused. When the generator refuses
	// $defs at the root of an event schema, the group is tried again with
	// its $defs left in the value's schema.
	fallbacks := 0
	for _, g := range groups {
		res := generate(schemaFS(base, g))
		if res.err != nil && g.Placement == hoisted && hasRootDefs(g.Schema) &&
			strings.Contains(res.err.Error(), "schema/"+g.EventFile+"#/$defs: ") {
			raw, used, err := wrap(g, inPlace)
			if err != nil {
				t.Fatal(err)
			}
			g.Schema, g.Placement = raw, used
			res = generate(schemaFS(base, g))
			fallbacks++
		}
		switch {
		case res.panic != "":
			g.Broken = "Generate panicked: " + res.panic
			t.Errorf("%s: Generate panicked: %s", g.name(), res.panic)
		case res.err != nil && strings.Contains(res.err.Error(), "krosgen bug"):
			g.Broken = res.err.Error()
			t.Errorf("%s: Generate failed with its own bug: %s", g.name(), firstLines(g.Broken, 3))
		case res.err != nil:
			g.Refusal = res.err.Error()
			if msg, bad := unclear(g, g.Refusal); bad {
				t.Errorf("%s: unclear refusal (%s): %q", g.name(), msg, g.Refusal)
			} else if msg != "" {
				t.Logf("note: %s: refusal %s: %q", g.name(), msg, g.Refusal)
			}
		}
	}
	tAlone := time.Since(start)

	// The generated groups together, in one package. A failure that names
	// groups (a Go name two groups both want, say) drops them as refused.
	var out *generator.Output
	live := generatedGroups(groups)
	for len(live) > 0 {
		res := generate(schemaFS(base, live...))
		if res.panic != "" {
			t.Fatalf("Generate panicked on the %d generated groups together: %s", len(live), res.panic)
		}
		if res.err == nil {
			out = res.out
			break
		}
		named := groupsNamed(res.err.Error(), byN)
		if len(named) == 0 {
			t.Fatalf("Generate failed on the %d generated groups together, naming none of them: %v", len(live), res.err)
		}
		var names []string
		for _, g := range named {
			if strings.Contains(res.err.Error(), "krosgen bug") {
				g.Broken = "beside other groups: " + res.err.Error()
				t.Errorf("%s: Generate failed with its own bug beside other groups: %s", g.name(), firstLines(g.Broken, 3))
			} else {
				g.Refusal = "beside other groups: " + res.err.Error()
			}
			names = append(names, g.Event)
		}
		t.Logf("dropped %s: each generates alone but not together: %v", strings.Join(names, ", "), res.err)
		live = generatedGroups(groups)
	}
	tCombined := time.Since(start)

	// Build the package and a runner; groups whose code does not compile
	// are broken, and dropped so that the others can still run.
	var verdicts map[*group][]verdict
	if out != nil {
		dir := t.TempDir()
		var bin string
		for attempt := 0; ; attempt++ {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := writeModule(dir, out.Files); err != nil {
				t.Fatal(err)
			}
			bin, err = buildRunner(dir)
			if err == nil {
				break
			}
			blame := blameBuild(dir, err.Error())
			if len(blame) == 0 {
				t.Fatalf("the generated package does not build, and the errors name no group:\n%v", err)
			}
			if attempt == 3 {
				t.Fatalf("the generated package still does not build after dropping the groups named by 3 rounds of errors:\n%v", err)
			}
			for _, n := range sortedInts(blame) {
				g := byN[n]
				if g == nil || g.Refusal != "" || g.Broken != "" {
					continue
				}
				g.Broken = "generated code does not compile: " + strings.Join(blame[n], "; ")
				t.Errorf("%s: %s", g.name(), g.Broken)
			}
			live = generatedGroups(groups)
			if len(live) == 0 {
				break
			}
			res := generate(schemaFS(base, live...))
			if res.err != nil || res.panic != "" {
				t.Fatalf("Generate failed on the groups left after dropping the broken ones: %v%s", res.err, res.panic)
			}
			out = res.out
		}
		if bin != "" {
			var cases []runCase
			var owners []*group
			for _, g := range live {
				for _, tc := range g.Tests {
					cases = append(cases, runCase{Group: g.Event, Description: tc.Description, Payload: payload(g.Event, tc.Data), Valid: tc.Valid})
					owners = append(owners, g)
				}
			}
			vs, err := runCases(dir, bin, cases)
			if err != nil {
				t.Fatal(err)
			}
			verdicts = map[*group][]verdict{}
			for i, v := range vs {
				verdicts[owners[i]] = append(verdicts[owners[i]], v)
			}
		}
	}
	tRun := time.Since(start)

	// Compare.
	for _, g := range groups {
		vs := verdicts[g]
		if g.Refusal != "" || g.Broken != "" || vs == nil {
			continue
		}
		for i, tc := range g.Tests {
			v := vs[i]
			if v.Panic == "" && v.OK == tc.Valid {
				continue
			}
			got := "valid"
			switch {
			case v.Panic != "":
				got = "panic: " + v.Panic
			case !v.OK:
				got = "invalid: " + v.Err
			}
			t.Errorf("MISMATCH %s\n\ttest:     %s\n\tdata:     %s\n\texpected: %s\n\tgot:      %s\n\tschema:   %s",
				g.name(), tc.Description, tc.Data, validity(tc.Valid), got, compact(g.suiteGroup.Schema))
		}
	}

	if verdicts != nil {
		mismatches, compared, v5accepts, err := wordsMismatches(schemaFS(base, live...), groups, verdicts)
		switch {
		case err != nil:
			t.Errorf("loading the generated groups for krosgen validate: %v", err)
		case len(mismatches) > 0:
			t.Errorf("krosgen validate words %d of %d rejected cases differently from Parse:\n%s", len(mismatches), compared, strings.Join(mismatches[:min(len(mismatches), 40)], "\n"))
		default:
			t.Logf("krosgen validate words all %d rejected cases as Parse does (%d more jsonschema/v5 accepts)", compared-v5accepts, v5accepts)
		}
	}

	rep := tally(groups, verdicts)
	if *flagRefusals {
		for _, g := range groups {
			if g.Refusal != "" {
				t.Logf("refused %s %s#%d %q%s: %s", g.Event, g.File, g.Index, g.Description, g.placementNote(), g.Refusal)
			}
		}
	}
	if fallbacks > 0 {
		t.Logf("%d groups with $defs refused at the event schema's root (#/$defs) were run with their $defs in place instead", fallbacks)
	}
	t.Logf("refused groups by reason (%d groups; -conformance.refusals lists each):\n%s", rep.refusedGroups, reasonSummary(groups))
	t.Logf("timing: %d groups generated one by one in %v, together by %v, built and run by %v",
		len(groups), tAlone.Round(time.Millisecond), tCombined.Round(time.Millisecond), tRun.Round(time.Millisecond))
	table := rep.markdown()
	if testing.Verbose() {
		fmt.Print("\n" + table + "\n")
	} else {
		t.Log("\n" + table)
	}
	if *flagReport != "" {
		if err := os.WriteFile(*flagReport, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// firstLines cuts a long message (one with generated source in it) short.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		return strings.Join(lines[:n], "\n") + "\n\t..."
	}
	return s
}

func validity(ok bool) string {
	if ok {
		return "valid"
	}
	return "invalid"
}

func compact(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// baseFiles reads the bundled envelope.json and defs.json.
func baseFiles(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, name := range []string{schema.EnvelopeFile, schema.DefsFile} {
		b, err := fs.ReadFile(schema.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

// schemaFS is a schema directory of the bundled envelope and defs and the
// event schemas of the given groups.
func schemaFS(base fstest.MapFS, groups ...*group) fstest.MapFS {
	m := fstest.MapFS{}
	for k, v := range base {
		m[k] = v
	}
	for _, g := range groups {
		m[g.EventFile] = &fstest.MapFile{Data: g.Schema}
	}
	return m
}

type genResult struct {
	out   *generator.Output
	err   error
	panic string
}

// generate runs the generator, turning a panic into a result.
func generate(fsys fs.FS) (res genResult) {
	defer func() {
		if p := recover(); p != nil {
			res.panic = fmt.Sprintf("%v\n%s", p, debug.Stack())
		}
	}()
	res.out, res.err = generator.Generate(generator.Config{Schema: fsys, SchemaDir: "schema", Package: "conf"})
	return res
}

func generatedGroups(groups []*group) []*group {
	var out []*group
	for _, g := range groups {
		if g.Refusal == "" && g.Broken == "" {
			out = append(out, g)
		}
	}
	return out
}

var eventFileRE = regexp.MustCompile(`events/t\.g(\d+)\.json`)

// groupsNamed lists the groups whose event files an error names.
func groupsNamed(msg string, byN map[int]*group) []*group {
	var out []*group
	seen := map[int]bool{}
	for _, m := range eventFileRE.FindAllStringSubmatch(msg, -1) {
		n, _ := strconv.Atoi(m[1])
		if g := byN[n]; g != nil && !seen[n] && g.Refusal == "" && g.Broken == "" {
			seen[n] = true
			out = append(out, g)
		}
	}
	return out
}

// unclear says what a refusal lacks. It must name the group's event file as
// the schema directory knows it (bad otherwise), and should name a JSON
// pointer inside it (a note otherwise).
func unclear(g *group, msg string) (_ string, bad bool) {
	file := "schema/" + g.EventFile
	switch {
	case strings.TrimSpace(msg) == "":
		return "empty", true
	case !strings.Contains(msg, file):
		return "does not name " + file, true
	case !strings.Contains(msg, file+"#/"):
		return "names " + file + " but no JSON pointer in it", false
	}
	return "", false
}
