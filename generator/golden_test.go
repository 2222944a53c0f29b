package generator

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/krosgen/krosgen/schema"
)

var update = flag.Bool("update", false, "rewrite the expected output of the golden tests")

// goldenCase is one testdata/*.txtar archive. Its comment holds options, one
// per line ("package: NAME", "want: FILE ..." naming the output files to
// compare); "-- schema/... --" sections are the input, where envelope.json
// and defs.json default to the bundled ones; "-- out/FILE --" sections hold
// the expected output, or "-- error --" the expected error.
type goldenCase struct {
	path    string
	archive *txtar.Archive
	pkg     string
	want    []string
	schema  fstest.MapFS
}

func loadGolden(t *testing.T, pattern string) []*goldenCase {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no golden files match %s", pattern)
	}
	var cases []*goldenCase
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := &goldenCase{path: p, archive: a, pkg: "krosai", schema: fstest.MapFS{}}
		for _, line := range strings.Split(string(a.Comment), "\n") {
			key, val, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			switch strings.TrimSpace(key) {
			case "package":
				c.pkg = strings.TrimSpace(val)
			case "want":
				c.want = strings.Fields(val)
			}
		}
		for _, f := range a.Files {
			if name, ok := strings.CutPrefix(f.Name, "schema/"); ok {
				c.schema[name] = &fstest.MapFile{Data: f.Data}
			}
		}
		for _, base := range []string{schema.EnvelopeFile, schema.DefsFile} {
			if _, ok := c.schema[base]; !ok && !strings.Contains(string(a.Comment), "no-default: "+base) {
				data, err := os.ReadFile(filepath.Join("..", "schema", base))
				if err != nil {
					t.Fatal(err)
				}
				c.schema[base] = &fstest.MapFile{Data: data}
			}
		}
		cases = append(cases, c)
	}
	return cases
}

func (c *goldenCase) section(name string) (*txtar.File, bool) {
	for i := range c.archive.Files {
		if c.archive.Files[i].Name == name {
			return &c.archive.Files[i], true
		}
	}
	return nil, false
}

func (c *goldenCase) generate() (*Output, error) {
	return Generate(Config{Schema: c.schema, SchemaDir: "schema", Package: c.pkg})
}

// TestGolden checks the generated code of each mapping rule against
// testdata/*.txtar. Run with -update to rewrite the expected output.
func TestGolden(t *testing.T) {
	for _, c := range loadGolden(t, "testdata/*.txtar") {
		t.Run(strings.TrimSuffix(filepath.Base(c.path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			out, err := c.generate()
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if len(c.want) == 0 {
				t.Fatal(`the archive comment must list the files to compare ("want: types.go")`)
			}
			changed := false
			for _, name := range c.want {
				got, ok := out.Files[name]
				if !ok {
					t.Fatalf("no output file %s", name)
				}
				sec, ok := c.section("out/" + name)
				switch {
				case *update && ok:
					if !bytes.Equal(sec.Data, got) {
						sec.Data, changed = got, true
					}
				case *update:
					c.archive.Files = append(c.archive.Files, txtar.File{Name: "out/" + name, Data: got})
					changed = true
				case !ok:
					t.Fatalf("no out/%s section; run go test ./generator -update", name)
				case !bytes.Equal(sec.Data, got):
					t.Errorf("out/%s differs from the generated file; run go test ./generator -update and review the diff\n%s", name, got)
				}
			}
			if changed {
				if err := os.WriteFile(c.path, txtar.Format(c.archive), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			typeCheck(t, out.Files)
		})
	}
}

// TestBadSchemas checks the catalogue of broken or unsupported inputs: each
// fails with exactly the error the archive holds, and produces no output.
func TestBadSchemas(t *testing.T) {
	cases := loadGolden(t, "testdata/errors/*.txtar")
	if len(cases) < 30 {
		t.Errorf("the catalogue has %d cases; it should cover at least 30", len(cases))
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c.path), ".txtar"), func(t *testing.T) {
			out, err := c.generate()
			if err == nil {
				t.Fatalf("Generate succeeded with %d files; want an error", len(out.Files))
			}
			if out != nil {
				t.Errorf("Generate returned output with its error")
			}
			got := err.Error() + "\n"
			sec, ok := c.section("error")
			switch {
			case *update && ok:
				if sec.Data = []byte(got); true {
					writeArchive(t, c)
				}
			case *update:
				c.archive.Files = append(c.archive.Files, txtar.File{Name: "error", Data: []byte(got)})
				writeArchive(t, c)
			case !ok:
				t.Fatalf("no error section; run go test ./generator -update")
			case string(sec.Data) != got:
				t.Errorf("error:\n got %s\nwant %s", got, sec.Data)
			}
		})
	}
}

func writeArchive(t *testing.T, c *goldenCase) {
	t.Helper()
	if err := os.WriteFile(c.path, txtar.Format(c.archive), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDeterministic checks that output does not depend on anything but the
// schemas: two runs give the same bytes.
func TestDeterministic(t *testing.T) {
	cfg := Config{Schema: schema.FS(), SchemaDir: "schema", Package: "krosai"}
	a, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		b, err := Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for name := range a.Files {
			if !bytes.Equal(a.Files[name], b.Files[name]) {
				t.Fatalf("%s differs between runs", name)
			}
		}
	}
	var names []string
	for name, src := range a.Files {
		names = append(names, name)
		if strings.HasSuffix(name, ".go") && !bytes.HasPrefix(src, []byte("// "+Header+"\n")) {
			t.Errorf("%s does not start with the generated-code header", name)
		}
	}
	sort.Strings(names)
	t.Logf("%d files: %s", len(names), strings.Join(names, " "))
}
