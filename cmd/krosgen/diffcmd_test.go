package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	diffBinOnce sync.Once
	diffBinPath string
	diffBinErr  error
)

// diffBinary builds the command once for the tests that run it as a
// user would.
func diffBinary(t *testing.T) string {
	t.Helper()
	diffBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "krosgen-bin-")
		if err != nil {
			diffBinErr = err
			return
		}
		diffBinPath = filepath.Join(dir, "krosgen")
		out, err := exec.Command("go", "build", "-o", diffBinPath, ".").CombinedOutput()
		if err != nil {
			diffBinErr = &diffBuildError{string(out)}
		}
	})
	if diffBinErr != nil {
		t.Fatal(diffBinErr)
	}
	return diffBinPath
}

type diffBuildError struct{ out string }

func (e *diffBuildError) Error() string { return "go build: " + e.out }

// runDiffBinary runs the built krosgen in dir and returns its exit status and
// output.
func runDiffBinary(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(diffBinary(t), args...)
	cmd.Dir = dir
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// schemaCopy copies the bundled schemas into dir/name and returns its path.
func schemaCopy(t *testing.T, dir, name string) string {
	t.Helper()
	dst := filepath.Join(dir, name)
	src, _ := filepath.Abs("../../schema")
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// editJSON decodes a schema file, lets edit change it and writes it back.
func editJSON(t *testing.T, path string, edit func(doc map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	out, _ := json.MarshalIndent(doc, "", "  ")
	if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

type jsonFinding struct {
	Rule      string          `json:"rule"`
	Axis      string          `json:"axis"`
	Severity  string          `json:"severity"`
	Pointer   string          `json:"pointer"`
	Message   string          `json:"message"`
	Witness   json.RawMessage `json:"witness"`
	Undecided bool            `json:"undecided"`
	Ignored   string          `json:"ignored"`
}

func diffJSON(t *testing.T, dir string, args ...string) (int, []jsonFinding) {
	t.Helper()
	code, stdout, stderr := runDiffBinary(t, dir, append([]string{"diff", "-format", "json"}, args...)...)
	if code == 2 {
		t.Fatalf("exit 2: %s", stderr)
	}
	var r struct {
		Changes []jsonFinding `json:"changes"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	return code, r.Changes
}

// has reports whether a finding with the rule, axis and severity exists at
// the pointer.
func has(fs []jsonFinding, rule, axis, severity, pointer string) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Axis == axis && f.Severity == severity && f.Pointer == pointer {
			return true
		}
	}
	return false
}

func defsOf(doc map[string]any) map[string]any { return doc["$defs"].(map[string]any) }

func TestDiff_BundledSchemaEdits(t *testing.T) {
	cases := []struct {
		name string
		edit func(t *testing.T, dir string)
		want [][4]string // rule, axis, severity, pointer
		// noLanguage: nothing may be reported on forward or backward.
		noLanguage bool
	}{
		{
			name: "deleting an event",
			edit: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "events", "balance.low.json")) },
			want: [][4]string{
				{"EVENT_REMOVED", "backward", "warning", "balance.low#"},
				{"GO_IDENTIFIER_REMOVED", "source", "error", "go:BalanceLow"},
				{"GO_IDENTIFIER_REMOVED", "source", "error", "go:EventBalanceLow"},
			},
		},
		{
			name: "adding a closed-enum value",
			edit: func(t *testing.T, dir string) {
				editJSON(t, filepath.Join(dir, "defs.json"), func(doc map[string]any) {
					d := defsOf(doc)["call_direction"].(map[string]any)
					d["enum"] = append(d["enum"].([]any), "sideways")
				})
			},
			want: [][4]string{
				{"ENUM_VALUE_ADDED", "forward", "error", "call.completed#/data/direction"},
				{"ENUM_VALUE_ADDED", "forward", "error", "call.initiated#/data/direction"},
			},
		},
		{
			name: "making a required field optional",
			edit: func(t *testing.T, dir string) {
				editJSON(t, filepath.Join(dir, "events", "call.completed.json"), func(doc map[string]any) {
					data := doc["properties"].(map[string]any)["data"].(map[string]any)
					var req []any
					for _, r := range data["required"].([]any) {
						if r != "cost_cents" {
							req = append(req, r)
						}
					}
					data["required"] = req
				})
			},
			want: [][4]string{
				{"REQUIRED_REMOVED", "forward", "error", "call.completed#/data/cost_cents"},
				{"GO_TYPE_CHANGED", "source", "error", "go:CallCompleted.CostCents"},
			},
		},
		{
			name: "renaming a $defs entry",
			edit: func(t *testing.T, dir string) {
				editJSON(t, filepath.Join(dir, "defs.json"), func(doc map[string]any) {
					defs := defsOf(doc)
					defs["call_identifier"] = defs["call_id"]
					delete(defs, "call_id")
				})
				files, _ := filepath.Glob(filepath.Join(dir, "events", "*.json"))
				for _, f := range files {
					b, _ := os.ReadFile(f)
					b = []byte(strings.ReplaceAll(string(b), `defs.json#/$defs/call_id"`, `defs.json#/$defs/call_identifier"`))
					os.WriteFile(f, b, 0o644)
				}
			},
			want: [][4]string{
				{"GO_IDENTIFIER_REMOVED", "source", "error", "go:CallID"},
				{"GO_TYPE_CHANGED", "source", "error", "go:CallCompleted.CallID"},
			},
			noLanguage: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			schemaCopy(t, dir, "old")
			c.edit(t, schemaCopy(t, dir, "new"))
			code, fs := diffJSON(t, dir, "old", "new")
			if code != 1 {
				t.Errorf("exit %d, want 1 (errors found)", code)
			}
			for _, w := range c.want {
				if !has(fs, w[0], w[1], w[2], w[3]) {
					t.Errorf("no %s %s %s at %s in %+v", w[2], w[1], w[0], w[3], fs)
				}
			}
			for _, f := range fs {
				if c.noLanguage && f.Axis != "source" {
					t.Errorf("a pure refactor reports %s %s at %s", f.Axis, f.Rule, f.Pointer)
				}
				if (f.Axis == "forward" || f.Axis == "backward") && f.Severity != "info" && !f.Undecided && f.Witness == nil {
					t.Errorf("%s %s at %s: no witness", f.Axis, f.Rule, f.Pointer)
				}
			}
		})
	}
}

// openEnumEdit adds a value to an open enum: an info finding only.
func openEnumEdit(t *testing.T, dir string) {
	editJSON(t, filepath.Join(dir, "defs.json"), func(doc map[string]any) {
		h := defsOf(doc)["hangup_cause"].(map[string]any)
		branch := h["anyOf"].([]any)[0].(map[string]any)
		branch["enum"] = append(branch["enum"].([]any), "carrier_reject")
	})
}

func TestDiff_FailOn(t *testing.T) {
	dir := t.TempDir()
	schemaCopy(t, dir, "old")
	openEnumEdit(t, schemaCopy(t, dir, "new"))
	for _, c := range []struct {
		failOn string
		want   int
	}{{"", 0}, {"error", 0}, {"warning", 0}, {"info", 1}, {"never", 0}} {
		args := []string{"diff", "-axis", "forward,backward"}
		if c.failOn != "" {
			args = append(args, "-fail-on", c.failOn)
		}
		code, stdout, stderr := runDiffBinary(t, dir, append(args, "old", "new")...)
		if code != c.want {
			t.Errorf("-fail-on %q: exit %d, want %d\n%s%s", c.failOn, code, c.want, stdout, stderr)
		}
		if !strings.Contains(stdout, "ENUM_VALUE_ADDED") {
			t.Errorf("-fail-on %q: the finding is not reported:\n%s", c.failOn, stdout)
		}
	}
	// A closed-enum value: an error, so -fail-on never alone exits 0.
	closed := t.TempDir()
	schemaCopy(t, closed, "old")
	editJSON(t, filepath.Join(schemaCopy(t, closed, "new"), "defs.json"), func(doc map[string]any) {
		d := defsOf(doc)["call_direction"].(map[string]any)
		d["enum"] = append(d["enum"].([]any), "sideways")
	})
	for failOn, want := range map[string]int{"error": 1, "warning": 1, "never": 0} {
		if code, _, stderr := runDiffBinary(t, closed, "diff", "-fail-on", failOn, "old", "new"); code != want {
			t.Errorf("closed enum, -fail-on %s: exit %d, want %d %s", failOn, code, want, stderr)
		}
	}
}

func TestDiff_Ignore(t *testing.T) {
	dir := t.TempDir()
	schemaCopy(t, dir, "old")
	editJSON(t, filepath.Join(schemaCopy(t, dir, "new"), "events", "call.completed.json"), func(doc map[string]any) {
		data := doc["properties"].(map[string]any)["data"].(map[string]any)
		data["additionalProperties"] = false
	})
	ptr := "call.completed#/data"
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	// Without an ignore file: a warning, exit 1 at -fail-on warning.
	if code, _, _ := runDiffBinary(t, dir, "diff", "-fail-on", "warning", "old", "new"); code != 1 {
		t.Fatalf("exit %d without ignore file, want 1", code)
	}
	future := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	ok := write("ok.ignore", "# reviewed\nADDITIONAL_PROPERTIES_CLOSED "+ptr+" "+future+" KrosAI confirmed no extra members\n")
	code, fs := diffJSON(t, dir, "-fail-on", "warning", "-ignore", ok, "old", "new")
	if code != 0 {
		t.Errorf("with a matching entry: exit %d, want 0: %+v", code, fs)
	}
	if !has(fs, "ADDITIONAL_PROPERTIES_CLOSED", "backward", "warning", ptr) || fs[0].Ignored == "" {
		t.Errorf("the ignored finding is still reported, marked ignored: %+v", fs)
	}
	expired := write("expired.ignore", "ADDITIONAL_PROPERTIES_CLOSED "+ptr+" 2020-01-31 temporary\n")
	code, fs = diffJSON(t, dir, "-fail-on", "warning", "-ignore", expired, "old", "new")
	if code != 1 {
		t.Errorf("with an expired entry: exit %d, want 1", code)
	}
	if !has(fs, "IGNORE_EXPIRED", "", "warning", expired+":1") {
		t.Errorf("the expired entry is not reported: %+v", fs)
	}
	for _, f := range fs {
		if f.Ignored != "" {
			t.Errorf("an expired entry still ignores %s", f.Rule)
		}
	}
	for name, body := range map[string]string{
		"noreason.ignore": "ADDITIONAL_PROPERTIES_CLOSED " + ptr + "\n",
		"badrule.ignore":  "NO_SUCH_RULE " + ptr + " why\n",
		"baddate.ignore":  "ADDITIONAL_PROPERTIES_CLOSED " + ptr + " 2020-13-45 why\n",
	} {
		if code, _, stderr := runDiffBinary(t, dir, "diff", "-ignore", write(name, body), "old", "new"); code != 2 || !strings.Contains(stderr, name) {
			t.Errorf("%s: exit %d, want 2 with a message naming the file: %s", name, code, stderr)
		}
	}
}

func TestDiff_UsageErrors(t *testing.T) {
	dir := t.TempDir()
	schemaCopy(t, dir, "old")
	for _, args := range [][]string{
		{"diff"},
		{"diff", "old"},
		{"diff", "old", "missing"},
		{"diff", "-format", "yaml", "old", "old"},
		{"diff", "-fail-on", "sometimes", "old", "old"},
		{"diff", "-axis", "sideways", "old", "old"},
		{"diff", "-ignore", "missing.txt", "old", "old"},
		{"diff", "git:no-such-ref", "old"},
	} {
		code, _, stderr := runDiffBinary(t, dir, args...)
		if code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, want 2 with a message; stderr %q", args, code, stderr)
		}
	}
	if code, stdout, _ := runDiffBinary(t, dir, "diff", "old", "old"); code != 0 || !strings.Contains(stdout, "0 errors, 0 warnings, 0 info") {
		t.Errorf("identical sides: exit %d\n%s", code, stdout)
	}
}

func TestDiff_GitRevision(t *testing.T) {
	dir := t.TempDir()
	schemaCopy(t, dir, "schema")
	gitRun := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.email=t@example.com", "-c", "user.name=t"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q")
	gitRun("add", "schema")
	gitRun("commit", "-qm", "schemas")
	os.Remove(filepath.Join(dir, "schema", "events", "balance.low.json"))
	code, fs := diffJSON(t, dir, "git:HEAD", "schema")
	if code != 1 || !has(fs, "EVENT_REMOVED", "backward", "warning", "balance.low#") {
		t.Errorf("git:HEAD vs schema: exit %d, %+v", code, fs)
	}
	code, fs = diffJSON(t, dir, "-axis", "forward,backward", "git:HEAD:schema", "git:HEAD")
	if code != 0 || len(fs) != 0 {
		t.Errorf("a revision against itself: exit %d, %+v", code, fs)
	}
}

func TestDiff_AgainstGenerated(t *testing.T) {
	dir := t.TempDir()
	schemaDir := schemaCopy(t, dir, "schema")
	if code, _, stderr := runDiffBinary(t, dir, "generate", "-schema", "schema", "-out", "krosai"); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	openEnumEdit(t, schemaDir)
	code, fs := diffJSON(t, dir, "-fail-on", "info", "-against-generated", "krosai", "schema")
	if code != 1 || !has(fs, "ENUM_VALUE_ADDED", "forward", "info", "call.completed#/data/hangup_cause") {
		t.Errorf("-against-generated: exit %d, %+v", code, fs)
	}
	// The package directory works as OLD directly too.
	if code, fs2 := diffJSON(t, dir, "-fail-on", "info", "krosai", "schema"); code != 1 || len(fs2) != len(fs) {
		t.Errorf("a package directory as OLD: exit %d, %d findings, want %d", code, len(fs2), len(fs))
	}
	// A recorded archive that does not match SchemaDigest is refused.
	archive := filepath.Join(dir, "krosai", "schemas.txtar")
	b, _ := os.ReadFile(archive)
	os.WriteFile(archive, []byte(strings.Replace(string(b), "normal_clearing", "abnormal_clearing", 1)), 0o644)
	if code, _, stderr := runDiffBinary(t, dir, "diff", "-against-generated", "krosai", "schema"); code != 2 || !strings.Contains(stderr, "SchemaDigest") {
		t.Errorf("tampered archive: exit %d: %s", code, stderr)
	}
}

func TestGenerateCheck_SummarisesSchemaChangesAboveTheGoDiff(t *testing.T) {
	dir := t.TempDir()
	schemaDir := schemaCopy(t, dir, "schema")
	if code, _, stderr := runDiffBinary(t, dir, "generate", "-schema", "schema", "-out", "krosai"); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	if code, stdout, _ := runDiffBinary(t, dir, "generate", "-schema", "schema", "-out", "krosai", "-check"); code != 0 || stdout != "" {
		t.Fatalf("fresh package: exit %d, output %q", code, stdout)
	}
	editJSON(t, filepath.Join(schemaDir, "defs.json"), func(doc map[string]any) {
		d := defsOf(doc)["call_direction"].(map[string]any)
		d["enum"] = append(d["enum"].([]any), "sideways")
	})
	code, stdout, _ := runDiffBinary(t, dir, "generate", "-schema", "schema", "-out", "krosai", "-check")
	if code != 1 {
		t.Errorf("stale package: exit %d, want 1", code)
	}
	summary, goDiff := strings.Index(stdout, "ENUM_VALUE_ADDED call.completed#/data/direction"), strings.Index(stdout, "\n--- ")
	if summary < 0 || goDiff < 0 || summary > goDiff {
		t.Errorf("want the finding above the Go diff:\n%s", stdout)
	}
	if strings.Contains(stdout[:goDiff], "witness:") {
		t.Errorf("the summary carries witnesses:\n%s", stdout[:goDiff])
	}
}
