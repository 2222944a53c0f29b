package generator

import (
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strings"
)

// The support package's source is copied into every generated package: the
// decoder, the checker, the format checkers, the error types and the webhook
// handler. It is written by hand. Files that use generated names (the
// handler, the verifier, the patterns) carry the build constraint
// krosgen_template, so that they compile only inside a generated package,
// where they are tested; the constraint sits above the package clause and
// is not copied.
//
//go:embed support/*.go
var supportFS embed.FS

// supportFile is one file to copy.
type supportFile struct {
	name string // "decode.go"
	body []byte // the source after its package clause
}

// supportFiles lists the files to copy, in name order.
func supportFiles() ([]supportFile, error) {
	entries, err := fs.ReadDir(supportFS, "support")
	if err != nil {
		return nil, err
	}
	var out []supportFile
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "stub_") {
			continue
		}
		src, err := supportFS.ReadFile(path.Join("support", name))
		if err != nil {
			return nil, err
		}
		const clause = "package support\n"
		i := bytes.Index(src, []byte(clause))
		if i < 0 {
			return nil, fmt.Errorf("support/%s: no %q line", name, strings.TrimSpace(clause))
		}
		out = append(out, supportFile{name: name, body: src[i+len(clause):]})
	}
	return out, nil
}

// reserved holds every top-level identifier of the support code, and the
// fixed names of the event API, which generated types must not take.
var reserved = func() map[string]bool {
	names := map[string]bool{
		"EventType": true, "EventTypes": true, "Event": true, "EventData": true,
		"UnknownEvent": true, "Parse": true, "Nullable": true, "decodeEvent": true,
		"decodeEventData": true,
	}
	files, err := supportFiles()
	if err != nil {
		panic(err) // the embedded files are part of the binary
	}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f.name, append([]byte("package support\n"), f.body...), parser.SkipObjectResolution)
		if err != nil {
			panic(fmt.Sprintf("support/%s: %v", f.name, err))
		}
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}()
