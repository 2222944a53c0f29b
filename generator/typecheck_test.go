package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// typeCheck writes generated files into a throwaway module and type-checks
// them, tests included, with go/packages. It also checks that the package
// imports the standard library only, and never unsafe.
func typeCheck(t *testing.T, files map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/gen\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &packages.Config{
		Mode:  packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedImports | packages.NeedTypesInfo,
		Dir:   dir,
		Tests: true,
		Env:   append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		t.Fatalf("loading the generated package: %v", err)
	}
	if len(pkgs) == 0 {
		t.Fatal("no package loaded")
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			t.Errorf("generated package does not type-check: %v", e)
		}
	})
	for _, p := range pkgs {
		for path := range p.Imports {
			first, _, _ := strings.Cut(path, "/")
			if path == "unsafe" || (strings.Contains(first, ".") && !strings.HasPrefix(path, "example.com/gen")) {
				t.Errorf("generated package %s imports %s: only the standard library is allowed", p.PkgPath, path)
			}
		}
	}
}

// TestBundledTypeChecks type-checks the package generated from the bundled
// schemas.
func TestBundledTypeChecks(t *testing.T) {
	out, err := Generate(Config{Schema: os.DirFS("../schema"), SchemaDir: "schema"})
	if err != nil {
		t.Fatal(err)
	}
	typeCheck(t, out.Files)
}
