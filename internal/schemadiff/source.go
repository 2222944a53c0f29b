package schemadiff

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"github.com/krosgen/krosgen/generator"
)

// api maps each exported name of a generated package ("CallCompleted",
// "CallCompleted.RecordingURL", "HangupCause.Known") to its kind and type.
type api map[string]string

// sourceFindings compares the Go API each side generates.
func sourceFindings(old, new *Side) ([]Finding, error) {
	oldAPI, err := old.goAPI()
	if err != nil {
		return nil, err
	}
	newAPI, err := new.goAPI()
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, name := range sortedKeys(oldAPI) {
		was := oldAPI[name]
		now, ok := newAPI[name]
		switch {
		case !ok:
			out = append(out, Finding{Rule: GoIdentifierRemoved, Axis: Source, Severity: Error, Pointer: "go:" + name,
				Message: fmt.Sprintf("%s (%s) is no longer generated", name, was)})
		case now != was:
			out = append(out, Finding{Rule: GoTypeChanged, Axis: Source, Severity: Error, Pointer: "go:" + name,
				Message: fmt.Sprintf("%s changed from %s to %s", name, was, now)})
		}
	}
	return out, nil
}

// goAPI generates the side's package in memory and reads its exported API
// with go/types.
func (s *Side) goAPI() (api, error) {
	s.apiOnce.Do(func() {
		out, err := generator.Generate(generator.Config{Schema: s.FS(), SchemaDir: s.Label, Package: "krosai"})
		if err != nil {
			s.apiErr = fmt.Errorf("%s: the source axis needs the generated Go (-axis forward,backward skips it): %v", s.Label, err)
			return
		}
		s.api, s.apiErr = exportedAPI(out.Files)
		if s.apiErr != nil {
			s.apiErr = fmt.Errorf("%s: type-checking the generated package: %v", s.Label, s.apiErr)
		}
	})
	return s.api, s.apiErr
}

var (
	importerOnce sync.Once
	stdImporter  types.Importer
	importerMu   sync.Mutex
)

// exportedAPI type-checks the generated Go files (tests left out) and lists
// every exported package-level name, exported struct field and exported
// method with its type.
func exportedAPI(files map[string][]byte) (api, error) {
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, name := range sortedKeys(files) {
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, files[name], parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
	}
	importerOnce.Do(func() { stdImporter = importer.ForCompiler(token.NewFileSet(), "gc", nil) })
	importerMu.Lock() // the gc importer caches without locking
	defer importerMu.Unlock()
	conf := types.Config{Importer: stdImporter}
	pkg, err := conf.Check("krosai", fset, parsed, nil)
	if err != nil {
		return nil, err
	}
	qual := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Path()
	}
	out := api{}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch o := obj.(type) {
		case *types.TypeName:
			under := o.Type().Underlying()
			kind := "type"
			if _, ok := under.(*types.Struct); ok {
				kind = "struct"
			} else if _, ok := under.(*types.Interface); ok {
				kind = "interface " + types.TypeString(under, qual)
			} else {
				kind = "type " + types.TypeString(under, qual)
			}
			out[name] = kind
			if st, ok := under.(*types.Struct); ok {
				for i := 0; i < st.NumFields(); i++ {
					if f := st.Field(i); f.Exported() {
						out[name+"."+f.Name()] = "field " + types.TypeString(f.Type(), qual)
					}
				}
			}
			if named, ok := o.Type().(*types.Named); ok {
				for i := 0; i < named.NumMethods(); i++ {
					if m := named.Method(i); m.Exported() {
						out[name+"."+m.Name()] = "method " + types.TypeString(m.Type(), qual)
					}
				}
			}
		case *types.Const:
			out[name] = "const " + types.TypeString(o.Type(), qual)
		case *types.Var:
			out[name] = "var " + types.TypeString(o.Type(), qual)
		case *types.Func:
			out[name] = "func " + types.TypeString(o.Type(), qual)
		}
	}
	return out, nil
}
