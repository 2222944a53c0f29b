// Package rtfiles describes the hand-written code that krosgen copies into
// every generated package, and renders the copies.
//
// Two directories hold that code: internal/rt, the runtime that knows no
// generated name (decoder, checker, errors, formats, validator helpers),
// and generator/support, the layer that does (the webhook handler, the
// verifier, subscription patterns), which every package gets. A runtime
// file is copied only when the package uses one of the names it declares,
// directly or through another copied file, so a package pays for what it
// uses and only the names it copies are taken from the generated code.
//
// Files named *_test.go, local_*.go or stub_*.go are never copied: they
// are tests, accessors of the source package itself, and stand-ins for
// generated names.
package rtfiles

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Source is a directory of code to copy.
type Source struct {
	// Dir names the directory in errors: "internal/rt".
	Dir string
	// FS holds the directory's files at its root.
	FS fs.FS
	// Always says that every generated package gets every file of the
	// directory, used or not.
	Always bool
}

// File is one file that may be copied.
type File struct {
	// Name is the file's name in its directory: "decode.go".
	Name string
	// Dir is the directory it comes from, as Source.Dir names it.
	Dir string
	// Declares lists the top-level identifiers the file declares (types,
	// functions, variables, constants), sorted. They are the names a
	// generated package that copies the file cannot use for its own.
	Declares []string
	// Methods lists the methods the file declares, as "decoder.str", sorted.
	Methods []string
	// Always is set for a file every package gets.
	Always bool

	body  []byte   // the source after the package clause
	needs []*File  // other files it uses
	refs  []string // what it references, as Referenced reports it
}

// Runtime is every file that may be copied.
type Runtime struct {
	// Files lists the files, by directory in the order given to Load, then
	// by name.
	Files []*File

	byName   map[string]*File // declared identifier or "Type.method" -> file
	byMethod map[string][]string
}

// Load reads the sources and works out what each file declares and needs.
func Load(sources ...Source) (*Runtime, error) {
	r := &Runtime{byName: map[string]*File{}, byMethod: map[string][]string{}}
	parsed := map[*File]*ast.File{}
	fset := token.NewFileSet()
	for _, src := range sources {
		entries, err := fs.ReadDir(src.FS, ".")
		if err != nil {
			return nil, fmt.Errorf("%s: %v", src.Dir, err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
				strings.HasPrefix(name, "local_") || strings.HasPrefix(name, "stub_") {
				continue
			}
			text, err := fs.ReadFile(src.FS, name)
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %v", src.Dir, name, err)
			}
			f, body, err := parseFile(fset, src.Dir+"/"+name, text)
			if err != nil {
				return nil, err
			}
			file := &File{Name: name, Dir: src.Dir, Always: src.Always, body: body}
			if err := r.declare(file, f); err != nil {
				return nil, err
			}
			parsed[file] = f
			r.Files = append(r.Files, file)
		}
	}
	for _, file := range r.Files {
		file.refs = r.references(parsed[file])
		for _, ref := range file.refs {
			if dep := r.byName[ref]; dep != file && !slices.Contains(file.needs, dep) {
				file.needs = append(file.needs, dep)
			}
		}
	}
	return r, nil
}

var packageClause = regexp.MustCompile(`(?m)^package [A-Za-z_][A-Za-z0-9_]*\n`)

// parseFile parses one file and returns the source after its package clause.
func parseFile(fset *token.FileSet, name string, text []byte) (*ast.File, []byte, error) {
	f, err := parser.ParseFile(fset, name, text, parser.ParseComments)
	if err != nil {
		return nil, nil, err
	}
	if f.Doc != nil {
		return nil, nil, fmt.Errorf("%s: a package doc comment belongs in a local_ file, which is not copied", name)
	}
	loc := packageClause.FindIndex(text)
	if loc == nil {
		return nil, nil, fmt.Errorf("%s: no package clause on a line of its own", name)
	}
	return f, text[loc[1]:], nil
}

// declare records what a file declares.
func (r *Runtime) declare(file *File, f *ast.File) error {
	add := func(name string) error {
		if name == "_" {
			return nil
		}
		if other, dup := r.byName[name]; dup {
			return fmt.Errorf("%s/%s: %s is declared in %s/%s too", file.Dir, file.Name, name, other.Dir, other.Name)
		}
		r.byName[name] = file
		if strings.Contains(name, ".") {
			file.Methods = append(file.Methods, name)
		} else {
			file.Declares = append(file.Declares, name)
		}
		return nil
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				if err := add(d.Name.Name); err != nil {
					return err
				}
				continue
			}
			recv := receiverType(d.Recv.List[0].Type)
			if err := add(recv + "." + d.Name.Name); err != nil {
				return err
			}
			r.byMethod[d.Name.Name] = append(r.byMethod[d.Name.Name], recv+"."+d.Name.Name)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if err := add(s.Name.Name); err != nil {
						return err
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if err := add(n.Name); err != nil {
							return err
						}
					}
				}
			}
		}
	}
	sort.Strings(file.Declares)
	sort.Strings(file.Methods)
	return nil
}

// receiverType names the type of a method receiver: "decoder" for
// (d *decoder), "Nullable" for (n Nullable[T]).
func receiverType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// references lists what a parsed file uses of the runtime: identifiers it
// leaves unresolved that the runtime declares, and for every selector x.m
// each runtime method named m (a method of another type with the same
// name is counted too: copying a file too many is harmless, one too few
// is not). Identifiers declared in the file itself are resolved by the
// parser and so not listed.
func (r *Runtime) references(f *ast.File) []string {
	set := map[string]bool{}
	for _, id := range f.Unresolved {
		if _, ok := r.byName[id.Name]; ok {
			set[id.Name] = true
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			for _, m := range r.byMethod[x.Sel.Name] {
				set[m] = true
			}
		case *ast.KeyValueExpr:
			// The parser resolves a composite literal key if it can but
			// never lists it as unresolved: it may name a struct field.
			if id, ok := x.Key.(*ast.Ident); ok && id.Obj == nil {
				if _, ok := r.byName[id.Name]; ok {
					set[id.Name] = true
				}
			}
		}
		return true
	})
	out := make([]string, 0, len(set))
	for name := range set {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Referenced lists what a Go source file (generated code, say) uses of the
// runtime, as names that Select takes.
func (r *Runtime) Referenced(src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		return nil, err
	}
	return r.references(f), nil
}

// Select returns the files a package needs when its own code uses the
// given names (identifiers such as "decodeString", or methods such as
// "decoder.mark"): the files that declare them, every file marked Always,
// and every file those use in turn, in the order of Files. An unknown name
// is an error: the generator would emit code that does not compile.
func (r *Runtime) Select(uses ...string) ([]*File, error) {
	chosen := map[*File]bool{}
	var visit func(f *File)
	visit = func(f *File) {
		if chosen[f] {
			return
		}
		chosen[f] = true
		for _, dep := range f.needs {
			visit(dep)
		}
	}
	for _, f := range r.Files {
		if f.Always {
			visit(f)
		}
	}
	for _, u := range uses {
		f, ok := r.byName[u]
		if !ok {
			return nil, fmt.Errorf("the runtime declares no %s", u)
		}
		visit(f)
	}
	var out []*File
	for _, f := range r.Files {
		if chosen[f] {
			out = append(out, f)
		}
	}
	return out, nil
}

// Declared returns the set of top-level identifiers the files declare: the
// names a package that copies them must leave to them.
func Declared(files []*File) map[string]bool {
	names := map[string]bool{}
	for _, f := range files {
		for _, n := range f.Declares {
			names[n] = true
		}
	}
	return names
}

// CopyName is the name of a file's copy in a generated package:
// "support_decode.go".
func (f *File) CopyName() string { return "support_" + f.Name }

// Render returns the copy of each file for package pkg, by CopyName: the
// header comment, the package clause, then the file's source, gofmt'd.
func Render(files []*File, pkg, header string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		name := f.CopyName()
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s/%s: another runtime file is copied as %s too", f.Dir, f.Name, name)
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "// %s\n\npackage %s\n", header, pkg)
		b.Write(f.body)
		src, err := format.Source(b.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s/%s: the copy does not format: %v", f.Dir, f.Name, err)
		}
		out[name] = src
	}
	return out, nil
}
