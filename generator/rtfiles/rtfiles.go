// Package rtfiles describes the hand-written code that krosgen copies into
// every generated package, and renders the copies.
//
// Two directories hold that code: internal/rt, the runtime that knows no
// generated name (decoder, checker, errors, formats, validator helpers),
// and generator/support, the layer that does (the webhook handler, the
// verifier, subscription patterns), which every package gets whole. Of the
// runtime, a package gets only the declarations it uses, directly or
// through another copied declaration, and a file none of whose
// declarations it uses is not copied: a package pays for what it uses, and
// only the names it copies are taken from its own code.
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
	"path"
	"sort"
	"strconv"
	"strings"
)

// Source is a directory of code to copy.
type Source struct {
	// Dir names the directory in errors: "internal/rt".
	Dir string
	// FS holds the directory's files at its root.
	FS fs.FS
	// Always says that every generated package gets every file of the
	// directory whole, used or not.
	Always bool
}

// File is one file that may be copied.
type File struct {
	// Name is the file's name in its directory: "decode.go".
	Name string
	// Dir is the directory it comes from, as Source.Dir names it.
	Dir string
	// Declares lists the top-level identifiers the file declares (types,
	// functions, variables, constants), sorted.
	Declares []string
	// Methods lists the methods the file declares, as "decoder.str", sorted.
	Methods []string
	// Always is set for a file every package gets whole.
	Always bool

	src     []byte
	fset    *token.FileSet
	ast     *ast.File
	imports []importSpec
	units   []*unit
}

// importSpec is one import of a file, with the name it is used by.
type importSpec struct {
	name string // the package name in the file: "utf8"
	text string // the spec as written: `"unicode/utf8"`, `jsonv1 "encoding/json"`
}

// unit is one top-level declaration: a function, a method, or a whole
// const, var or type block (a block is kept whole: iota counts its lines).
type unit struct {
	file    *File
	names   []string // declared names; "T.m" for a method
	refs    []string // runtime names it uses
	calls   []string // selector names it uses, which may be methods
	imports []string // names of the imports it uses
	start   int      // byte offsets of its text, comments before it included
	end     int
	method  string // for a method, its name, and recv its receiver type
	recv    string
	decl    ast.Decl
}

// Runtime is every file that may be copied.
type Runtime struct {
	// Files lists the files, by directory in the order given to Load, then
	// by name.
	Files []*File

	byName   map[string]*unit    // declared identifier or "Type.method" -> unit
	byMethod map[string][]string // method name -> every "Type.method"
}

// Load reads the sources and works out what each declaration declares and
// uses.
func Load(sources ...Source) (*Runtime, error) {
	r := &Runtime{byName: map[string]*unit{}, byMethod: map[string][]string{}}
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
			file := &File{Name: name, Dir: src.Dir, Always: src.Always, src: text, fset: token.NewFileSet()}
			if err := r.parse(file); err != nil {
				return nil, err
			}
			r.Files = append(r.Files, file)
		}
	}
	for _, f := range r.Files {
		for _, u := range f.units {
			u.refs = r.references(u)
		}
	}
	return r, nil
}

// parse reads one file into its declarations.
func (r *Runtime) parse(file *File) error {
	where := file.Dir + "/" + file.Name
	f, err := parser.ParseFile(file.fset, where, file.src, parser.ParseComments)
	if err != nil {
		return err
	}
	if f.Doc != nil {
		return fmt.Errorf("%s: a package doc comment belongs in a local_ file, which is not copied", where)
	}
	file.ast = f
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		spec := importSpec{name: path.Base(p), text: imp.Path.Value}
		if imp.Name != nil {
			spec.name, spec.text = imp.Name.Name, imp.Name.Name+" "+imp.Path.Value
		} else if v := path.Base(p); len(v) > 1 && v[0] == 'v' && strings.Trim(v[1:], "0123456789") == "" {
			spec.name = path.Base(path.Dir(p)) // math/rand/v2 is rand
		}
		file.imports = append(file.imports, spec)
	}
	prevEnd := file.fset.Position(f.Name.End()).Offset
	for _, decl := range f.Decls {
		if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			prevEnd = file.fset.Position(g.End()).Offset
			continue
		}
		u := &unit{file: file, start: prevEnd, end: lineEnd(file.src, file.fset.Position(decl.End()).Offset), decl: decl}
		prevEnd = u.end
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				u.names = []string{d.Name.Name}
			} else {
				u.recv, u.method = receiverType(d.Recv.List[0].Type), d.Name.Name
				u.names = []string{u.recv + "." + u.method}
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					u.names = append(u.names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							u.names = append(u.names, n.Name)
						}
					}
				}
			}
		}
		for _, n := range u.names {
			if other, dup := r.byName[n]; dup {
				return fmt.Errorf("%s: %s is declared in %s/%s too", where, n, other.file.Dir, other.file.Name)
			}
			r.byName[n] = u
			if u.method != "" {
				file.Methods = append(file.Methods, n)
				r.byMethod[u.method] = append(r.byMethod[u.method], n)
			} else {
				file.Declares = append(file.Declares, n)
			}
		}
		u.calls, u.imports = selectors(decl, file.imports)
		file.units = append(file.units, u)
	}
	sort.Strings(file.Declares)
	sort.Strings(file.Methods)
	return nil
}

// lineEnd extends the end of a declaration over a comment that follows it
// on its last line.
func lineEnd(src []byte, end int) int {
	rest := src[end:]
	if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	if bytes.HasPrefix(bytes.TrimSpace(rest), []byte("//")) {
		return end + len(rest)
	}
	return end
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

// selectors lists the selector names a declaration uses (x.m: "m"), which
// may name methods, and the imports it uses.
func selectors(decl ast.Decl, imports []importSpec) (calls, used []string) {
	seen := map[string]bool{}
	ast.Inspect(decl, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			calls = append(calls, sel.Sel.Name)
			if x, ok := sel.X.(*ast.Ident); ok && x.Obj == nil {
				for _, imp := range imports {
					if imp.name == x.Name && !seen[x.Name] {
						seen[x.Name] = true
						used = append(used, x.Name)
					}
				}
			}
		}
		return true
	})
	return calls, used
}

// references lists the runtime names a declaration uses: identifiers that
// name a top-level declaration, of its own file (the parser resolves
// those) or of another (the parser leaves those unresolved). A local
// variable that shadows a runtime name is resolved to itself, so it is not
// counted.
func (r *Runtime) references(u *unit) []string {
	set := map[string]bool{}
	selected := map[*ast.Ident]bool{}
	ast.Inspect(u.decl, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			selected[x.Sel] = true // x.m names a field or method, not a package name
		case *ast.Ident:
			if !selected[x] {
				r.addIdent(x, set)
			}
		}
		return true
	})
	for _, n := range u.names {
		delete(set, n)
	}
	out := make([]string, 0, len(set))
	for name := range set {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// addIdent records id when it names a top-level
// declaration of the runtime.
func (r *Runtime) addIdent(id *ast.Ident, set map[string]bool) {
	if _, known := r.byName[id.Name]; !known {
		return
	}
	if id.Obj != nil && !topLevel(id.Obj) {
		return // a local of the same name
	}
	set[id.Name] = true
}

// topLevel reports whether an object the parser resolved may be declared at
// the top level of its file, rather than be a parameter, a field or a
// variable declared with :=. (A var or const declared inside a function
// body also counts: that only copies a declaration too many.)
//
// The parser's own resolution is enough here: the runtime is one package of
// plain declarations, and type-checking it at every generate would need the
// standard library's export data on the user's machine.
//
//lint:ignore SA1019 syntactic resolution suffices for the runtime's own files (see above)
func topLevel(obj *ast.Object) bool {
	switch d := obj.Decl.(type) {
	case *ast.FuncDecl:
		return d.Recv == nil
	case *ast.TypeSpec, *ast.ValueSpec:
		return true
	}
	return false
}

// Referenced lists what a Go source file (generated code, say) uses of the
// runtime, as names that Select takes: identifiers it declares nowhere
// itself, and "T.m" for every runtime method m it may call.
func (r *Runtime) Referenced(src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		return nil, err
	}
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
	return out, nil
}

// Selection is what one package copies.
type Selection struct {
	r    *Runtime
	kept map[*unit]bool
}

// Select returns what a package copies when its own code uses the given
// names (identifiers such as "decodeString", or methods such as
// "decoder.mark"): every declaration of an Always file, the declarations
// that declare the names, and every declaration those use in turn. A kept
// type keeps its exported methods (they may satisfy an interface) and the
// unexported ones some kept code may call. An unknown name is an error:
// the generator would emit code that does not compile.
func (r *Runtime) Select(uses ...string) (*Selection, error) {
	s := &Selection{r: r, kept: map[*unit]bool{}}
	var queue []*unit
	keep := func(u *unit) {
		if !s.kept[u] {
			s.kept[u] = true
			queue = append(queue, u)
		}
	}
	for _, f := range r.Files {
		if f.Always {
			for _, u := range f.units {
				keep(u)
			}
		}
	}
	for _, name := range uses {
		u, ok := r.byName[name]
		if !ok {
			return nil, fmt.Errorf("the runtime declares no %s", name)
		}
		keep(u)
	}
	called := map[string]bool{}
	keptType := map[string]bool{}
	for len(queue) > 0 {
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			for _, ref := range u.refs {
				keep(r.byName[ref])
			}
			for _, c := range u.calls {
				called[c] = true
			}
			for _, n := range u.names {
				keptType[n] = true
			}
			if u.recv != "" {
				keep(r.byName[u.recv])
			}
		}
		// Methods wait until their type and a call are both kept.
		for _, f := range r.Files {
			for _, u := range f.units {
				if u.recv != "" && !s.kept[u] && keptType[u.recv] && (ast.IsExported(u.method) || called[u.method]) {
					keep(u)
				}
			}
		}
	}
	return s, nil
}

// Files lists the files of which the package copies something.
func (s *Selection) Files() []*File {
	var out []*File
	for _, f := range s.r.Files {
		for _, u := range f.units {
			if s.kept[u] {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// Declared returns the top-level identifiers the package copies: the names
// its own declarations must leave to the copied code.
func (s *Selection) Declared() map[string]bool {
	names := map[string]bool{}
	for u := range s.kept {
		for _, n := range u.names {
			if !strings.Contains(n, ".") {
				names[n] = true
			}
		}
	}
	return names
}

// CopyName is the name of a file's copy in a generated package:
// "support_decode.go".
func (f *File) CopyName() string { return "support_" + f.Name }

// Render returns the copy of each file for package pkg, by CopyName: the
// header comment, the package clause, the imports the kept declarations
// use, and those declarations with their comments, gofmt'd.
func (s *Selection) Render(pkg, header string) (map[string][]byte, error) {
	files := s.Files()
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		name := f.CopyName()
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s/%s: another runtime file is copied as %s too", f.Dir, f.Name, name)
		}
		var body bytes.Buffer
		used := map[string]bool{}
		for _, u := range f.units {
			if s.kept[u] {
				body.Write(f.src[u.start:u.end]) // from the end of the one before: consecutive units read as written
				for _, imp := range u.imports {
					used[imp] = true
				}
			}
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "// %s\n\npackage %s\n", header, pkg)
		var specs []string
		for _, imp := range f.imports {
			if used[imp.name] {
				specs = append(specs, imp.text)
			}
		}
		switch len(specs) {
		case 0:
		case 1:
			fmt.Fprintf(&b, "\nimport %s\n", specs[0])
		default:
			fmt.Fprintf(&b, "\nimport (\n\t%s\n)\n", strings.Join(specs, "\n\t"))
		}
		b.Write(body.Bytes())
		b.WriteByte('\n')
		src, err := format.Source(b.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s/%s: the copy does not format: %v", f.Dir, f.Name, err)
		}
		out[name] = src
	}
	return out, nil
}
