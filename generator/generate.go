// Package generator compiles a directory of KrosAI event schemas into a Go
// package, in three stages: load (read, meta-validate and compile the schemas
// with jsonschema/v5, in package schema), model (build the intermediate
// representation of package model, making every decision) and emit (render Go
// with jennifer, and Markdown with text/template).
//
// Generate does no disk I/O: it returns the files to write.
package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"io/fs"
	"strings"
	"sync"
	"text/template"

	"github.com/dave/jennifer/jen"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/schema"
	"github.com/krosgen/krosgen/templates"
)

// Config says what to generate.
type Config struct {
	// Schema is the schema directory (envelope.json, defs.json, events/).
	Schema fs.FS
	// SchemaDir names the directory in error messages and in generated
	// comments; it should be relative ("schema"), never a machine path.
	SchemaDir string
	// Package is the Go package name; "krosai" when empty.
	Package string
	// Version is krosgen's version, recorded in the header of every
	// generated file; when empty the header names no version.
	Version string
}

// Output is what Generate produces.
type Output struct {
	// Files maps a file name in the output directory to its content.
	Files map[string][]byte
	// SchemaFiles maps a file name in the schema directory to its content:
	// webhook.json, which is derived from the event files.
	SchemaFiles map[string][]byte
	// Warnings are what is legal but likely wrong in the schemas (a closed
	// enum in an event's data), each naming the schema file and pointer.
	Warnings []string
}

// Generate loads the schemas, builds the model and renders the package.
// Every error names the schema file and JSON pointer at fault.
func Generate(cfg Config) (*Output, error) {
	if cfg.Package == "" {
		cfg.Package = "krosai"
	}
	if !token.IsIdentifier(cfg.Package) || token.IsKeyword(cfg.Package) {
		return nil, fmt.Errorf("package name %q is not a Go identifier", cfg.Package)
	}
	if cfg.SchemaDir == "" {
		cfg.SchemaDir = "schema"
	}
	set, err := schema.Load(cfg.Schema, cfg.SchemaDir)
	if err != nil {
		return nil, err
	}
	pkg, err := build(set, cfg.Package)
	if err != nil {
		return nil, err
	}
	files, err := render(pkg, header(cfg.Version))
	if err != nil {
		return nil, err
	}
	files[SchemaArchive] = schemaArchive(header(cfg.Version), set)
	return &Output{
		Files:       files,
		SchemaFiles: map[string][]byte{schema.WebhookFile: set.WebhookDocument()},
		Warnings:    closedEnumWarnings(pkg),
	}, nil
}

// render emits every file of the package.
func render(pkg *model.Package, hdr string) (map[string][]byte, error) {
	out := map[string][]byte{}
	gofiles := []struct {
		name string
		emit func(f *jen.File) // nil for doc.go: the package comment is all of it
	}{
		{"doc.go", nil},
		{"events.go", func(f *jen.File) { emitEvents(f, pkg) }},
		{"types.go", func(f *jen.File) { emitTypes(f, pkg) }},
		{"decoders.go", func(f *jen.File) { emitDecoders(f, pkg) }},
		{"checks.go", func(f *jen.File) { emitChecks(f, pkg) }},
		{"digest.go", func(f *jen.File) { emitDigest(f, pkg) }},
		{"examples_test.go", func(f *jen.File) { emitFixtureTests(f, pkg) }},
		{"fixtures.go", func(f *jen.File) { emitFixtures(f, pkg) }},
		{"fixtures_test.go", func(f *jen.File) { emitFixtureHelperTests(f, pkg) }},
	}
	if len(pkg.Validators) > 0 { // no empty file
		gofiles = append(gofiles, struct {
			name string
			emit func(f *jen.File)
		}{"validators.go", func(f *jen.File) { emitValidators(f, pkg) }})
	}
	// The files are independent and emitters only read the model, so they
	// are rendered at once: gofmt, which jennifer runs on each file, is
	// most of the cost of generating, and decoders.go alone is the largest
	// share of it.
	srcs := make([][]byte, len(gofiles))
	errs := make([]error, len(gofiles))
	var wg sync.WaitGroup
	for i, gf := range gofiles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := jen.NewFile(pkg.Name)
			f.HeaderComment(hdr)
			if gf.name == "doc.go" {
				for _, line := range strings.Split(packageDoc(pkg), "\n") {
					f.PackageComment(line)
				}
			}
			if gf.emit != nil {
				gf.emit(f)
			}
			srcs[i], errs[i] = formatFile(gf.name, f)
		}()
	}
	var md []byte
	var mdErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		md, mdErr = renderCatalogue(pkg)
	}()
	wg.Wait()
	for i, gf := range gofiles {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[gf.name] = srcs[i]
	}
	if mdErr != nil {
		return nil, mdErr
	}
	copies, err := runtimeCopies(pkg.Name, hdr, out)
	if err != nil {
		return nil, err
	}
	for name, src := range copies {
		out[name] = src
	}
	out["EVENTS.md"] = md
	return out, nil
}

// formatFile renders a jennifer file, gofmt'd. When the source does not
// format, the error shows it, so the emitter's bug can be seen.
func formatFile(name string, f *jen.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, fmt.Errorf("krosgen bug: rendering %s: %v", name, err)
	}
	return buf.Bytes(), nil // jennifer formats with go/format already
}

func packageDoc(pkg *model.Package) string {
	return fmt.Sprintf(`Package %s holds typed bindings for KrosAI webhook events, generated by
krosgen from JSON Schema: one struct per event type (%d in all), Parse to
decode and validate a payload in one pass, and Handler to receive webhooks
over HTTP. It imports the standard library only. See EVENTS.md for the
events and their fields.`, pkg.Name, len(pkg.Events))
}

// goTypes returns a function that spells a field's Go type, rendering each
// distinct type once: jennifer formats every statement it renders, and
// thousands of fields share a handful of types.
func goTypes() func(fd *model.Field) string {
	type key struct {
		t                 *model.Type
		nullable, pointer bool
	}
	seen := map[key]string{}
	return func(fd *model.Field) string {
		k := key{fd.Type, fd.Nullable, fd.Pointer} // all that fieldType reads
		s, ok := seen[k]
		if !ok {
			s = fmt.Sprintf("%#v", fieldType(fd))
			seen[k] = s
		}
		return s
	}
}

// renderCatalogue renders EVENTS.md from its template.
func renderCatalogue(pkg *model.Package) ([]byte, error) {
	tmpl, err := template.New("events.md.tmpl").Funcs(template.FuncMap{
		"goType":  goTypes(),
		"allowed": func(fd *model.Field) string { return allowed(fd.Type) },
		"cell": func(s string) string {
			return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
		},
		"anchor": func(s string) string { return strings.NewReplacer(".", "", "_", "_").Replace(s) },
		"indent": func(s string) (string, error) {
			var buf bytes.Buffer
			if err := json.Indent(&buf, []byte(s), "", "  "); err != nil {
				return "", err
			}
			return buf.String(), nil
		},
	}).ParseFS(templates.FS, "events.md.tmpl")
	if err != nil {
		return nil, fmt.Errorf("krosgen bug: %v", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, pkg); err != nil {
		return nil, fmt.Errorf("krosgen bug: rendering EVENTS.md: %v", err)
	}
	return buf.Bytes(), nil
}
