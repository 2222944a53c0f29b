package fidelity

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/internal/randschema"
)

// FuzzGenerateMutatedSet drives the generator with mutated schema sets: a
// set drawn from the seed with every feature on, one of whose files (chosen
// by which) is replaced by the fuzzed bytes. Generate must not panic; what
// it generates must type-check and import the standard library only, and
// what it refuses must be refused with an error naming the file.
func FuzzGenerateMutatedSet(f *testing.F) {
	for seed := int64(0); seed < 8; seed++ {
		s, err := randschema.New(rand.New(rand.NewSource(seed)), exactFeatures())
		if err != nil {
			f.Fatal(err)
		}
		files := s.Files()
		names := sortedKeys(files)
		which := uint8(seed) % uint8(len(names))
		f.Add(seed, which, files[names[which]])
	}
	f.Fuzz(func(t *testing.T, seed int64, which uint8, content []byte) {
		s, err := randschema.New(rand.New(rand.NewSource(seed%64)), exactFeatures())
		if err != nil {
			t.Fatal(err)
		}
		files := s.Files()
		names := sortedKeys(files)
		m := fstest.MapFS{}
		for _, n := range names {
			m[n] = &fstest.MapFile{Data: files[n]}
		}
		m[names[int(which)%len(names)]] = &fstest.MapFile{Data: content}
		var out *generator.Output
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("Generate panicked: %v", r)
				}
			}()
			out, err = generator.Generate(generator.Config{Schema: m, SchemaDir: "schema", Package: "fz"})
		}()
		if err != nil {
			if !clearRefusal.MatchString(err.Error()) && !strings.HasPrefix(err.Error(), "schema/") {
				t.Fatalf("unclear error: %v", err)
			}
			return
		}
		if err := typeCheckGenerated(out.Files); err != nil {
			t.Fatalf("generated code does not type-check: %v", err)
		}
	})
}

var (
	stdImporterOnce sync.Once
	stdImporter     types.Importer
	stdImporterMu   sync.Mutex
)

// typeCheckGenerated type-checks the non-test Go files of a generated
// package against the standard library, which is all it may import.
func typeCheckGenerated(files map[string][]byte) error {
	stdImporterOnce.Do(func() { stdImporter = importer.ForCompiler(token.NewFileSet(), "gc", nil) })
	stdImporterMu.Lock()
	defer stdImporterMu.Unlock()
	fset := token.NewFileSet()
	var parsed []*ast.File
	names := sortedKeys(files)
	for _, name := range names {
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, files[name], parser.ParseComments)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if path == "unsafe" || strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
				return fmt.Errorf("%s imports %s: only the standard library is allowed", name, path)
			}
		}
		parsed = append(parsed, f)
	}
	var errs []string
	conf := types.Config{Importer: stdImporter, Error: func(err error) {
		if len(errs) < 5 {
			errs = append(errs, err.Error())
		}
	}}
	conf.Check("fz", fset, parsed, nil)
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}
