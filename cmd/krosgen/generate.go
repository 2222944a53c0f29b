package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/krosgen/krosgen/generator"
)

var generateCommand = &command{
	name:  "generate",
	args:  "[-schema DIR] [-out DIR] [-package NAME] [-check]",
	short: "generate the Go package for a schema directory",
	details: `The schema directory holds envelope.json, defs.json and events/*.json;
generate writes the package into -out and keeps DIR/webhook.json up to
date. Both directories are relative to the current directory; in a go:generate
line that is the directory of the file holding the line:

	//go:generate go tool krosgen generate -schema ../schema -out .

Files in -out that krosgen did not generate are left alone. With -check,
nothing is written: a unified diff of what would change is printed and the
exit status is 1 when the committed output is stale.

-out defaults to gen/krosai only where that directory already holds a
generated package (as in krosgen's own repository); elsewhere give it.

A closed enum in an event's data is reported as a warning: when KrosAI adds
a value, every delivery carrying it is rejected. Use the open form
{"anyOf": [{"enum": [...]}, {"type": "string"}]}, or mark an enum that is
closed on purpose with "x-krosgen-closed": true.`,
}

func init() { generateCommand.run = runGenerate }

// defaultOut is where krosgen's own repository keeps its generated package.
const defaultOut = "gen/krosai"

// runGenerate implements "krosgen generate".
func runGenerate(args []string, e env) int {
	c := generateCommand
	fl := newFlags(c)
	schemaDir := fl.String("schema", "schema", "schema directory (envelope.json, defs.json, events/*.json)")
	outDir := fl.String("out", "", "output directory of the generated package (default "+defaultOut+" where it exists)")
	pkg := fl.String("package", "", "Go package name (default: the output directory's base name)")
	check := fl.Bool("check", false, "write nothing; print a diff and exit 1 when the output is stale")
	if status, done := parse(c, fl, args, e); done {
		return status
	}
	if fl.NArg() > 0 {
		return usageError(e.stderr, c.name, "unexpected argument %q (flags go before arguments; generate takes none)", fl.Arg(0))
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	if *outDir == "" {
		if !holdsGenerated(defaultOut) {
			return usageError(e.stderr, c.name, "-out is required: the directory of the package to generate (resolved from the current directory, %s)", cwd)
		}
		*outDir = defaultOut
	}
	absSchema, absOut := absPath(cwd, *schemaDir), absPath(cwd, *outDir)
	if fi, err := os.Stat(absSchema); err != nil || !fi.IsDir() {
		fmt.Fprintf(e.stderr, "krosgen: schema directory %s not found (-schema %s, resolved from the current directory %s)\n", absSchema, *schemaDir, cwd)
		return exitUsage
	}
	if *pkg == "" {
		*pkg = filepath.Base(absOut)
	}
	out, err := generator.Generate(generator.Config{
		Schema:    os.DirFS(absSchema),
		SchemaDir: filepath.ToSlash(filepath.Clean(*schemaDir)),
		Package:   *pkg,
		Version:   version(),
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitInvalid
	}
	for _, w := range out.Warnings {
		fmt.Fprintf(e.stderr, "krosgen: warning: %s\n", w)
	}
	files := map[string][]byte{}
	for name, b := range out.Files {
		files[filepath.Join(*outDir, name)] = b
	}
	for name, b := range out.SchemaFiles {
		files[filepath.Join(*schemaDir, name)] = b
	}
	stale, err := staleGenerated(*outDir, out.Files)
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	if *check {
		schemaChangeSummary(*outDir, *schemaDir, e.stdout)
		status := checkFiles(files, stale, e)
		if status == exitInvalid {
			fmt.Fprintf(e.stderr, "krosgen: generated files are stale; to update them, run:\n\t%s\n", regenerateCommand(args))
		}
		return status
	}
	if err := writeFiles(files, stale); err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func absPath(cwd, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(cwd, p)
}

// holdsGenerated reports whether dir holds a file krosgen generated.
func holdsGenerated(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "events.go"))
	return err == nil && generator.IsGenerated(b)
}

// regenerateCommand is the command line that rewrites what -check found
// stale: the same flags without -check, run the way krosgen was run.
func regenerateCommand(args []string) string {
	var kept []string
	for _, a := range args {
		switch a {
		case "-check", "--check", "-check=true", "--check=true":
			continue
		}
		kept = append(kept, shellQuote(a))
	}
	return strings.Join(append([]string{invocation(), "generate"}, kept...), " ")
}

// invocation is how a person runs this krosgen from the current directory:
// "krosgen" when it is on PATH, "go run ./cmd/krosgen" inside krosgen's own
// module, "go tool krosgen" in a module that declares it as a tool.
func invocation() string {
	if exe, err := os.Executable(); err == nil {
		if onPath, err := exec.LookPath("krosgen"); err == nil && sameFile(exe, onPath) {
			return "krosgen"
		}
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "krosgen"
	}
	for dir := cwd; ; dir = filepath.Dir(dir) {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			mod := string(b)
			if strings.HasPrefix(mod, "module github.com/krosgen/krosgen\n") || strings.Contains(mod, "\nmodule github.com/krosgen/krosgen\n") {
				rel, err := filepath.Rel(cwd, filepath.Join(dir, "cmd", "krosgen"))
				switch {
				case err == nil && rel == ".":
					return "go run ."
				case err == nil && !strings.HasPrefix(rel, ".."):
					return "go run ./" + filepath.ToSlash(rel)
				}
				return "go run github.com/krosgen/krosgen/cmd/krosgen"
			}
			if strings.Contains(mod, "github.com/krosgen/krosgen/cmd/krosgen") {
				return "go tool krosgen"
			}
			return "krosgen"
		}
		if filepath.Dir(dir) == dir {
			return "krosgen"
		}
	}
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// staleGenerated lists files in dir that krosgen generated before but would
// not generate now (an event that was removed, say).
func staleGenerated(dir string, keep map[string][]byte) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, e := range entries {
		if e.IsDir() || keep[e.Name()] != nil || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if generator.IsGenerated(b) {
			stale = append(stale, path)
		}
	}
	return stale, nil
}

// checkFiles compares what would be written with what is on disk and prints
// a unified diff of every difference.
func checkFiles(files map[string][]byte, stale []string, e env) int {
	status := exitOK
	for _, path := range sortedPaths(files) {
		old, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
			return exitUsage
		}
		if !bytes.Equal(old, files[path]) {
			io.WriteString(e.stdout, unifiedDiff(path, old, files[path]))
			status = exitInvalid
		}
	}
	for _, path := range stale {
		old, _ := os.ReadFile(path)
		io.WriteString(e.stdout, unifiedDiff(path, old, nil))
		status = exitInvalid
	}
	return status
}

// unifiedDiff renders the change from old to new of the file at path, as
// git diff does: a/ and b/ prefixes, /dev/null for a missing side.
func unifiedDiff(path string, old, new []byte) string {
	from, to := "a/"+filepath.ToSlash(path), "b/"+filepath.ToSlash(path)
	if old == nil {
		from = "/dev/null"
	}
	if new == nil {
		to = "/dev/null"
	}
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: splitLines(old), B: splitLines(new),
		FromFile: from, ToFile: to, Context: 3,
	})
	if err != nil { // difflib only fails writing to its buffer
		return fmt.Sprintf("--- %s\n+++ %s\n(no diff: %v)\n", from, to, err)
	}
	return text
}

// splitLines splits b into lines that keep their "\n"; a last line without
// one gets it, marked as git marks it.
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(b), "\n")
	if last := lines[len(lines)-1]; last == "" {
		lines = lines[:len(lines)-1]
	} else {
		lines[len(lines)-1] = last + "\n\\ No newline at end of file\n"
	}
	return lines
}

// writeFiles writes every file through a temporary file and a rename, so a
// failure never leaves a file half-written; stale files go last.
func writeFiles(files map[string][]byte, stale []string) error {
	for _, path := range sortedPaths(files) {
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, files[path]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(path), ".krosgen-*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(files[path])
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr); err != nil {
			os.Remove(tmp.Name())
			return err
		}
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			os.Remove(tmp.Name())
			return err
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			os.Remove(tmp.Name())
			return err
		}
	}
	for _, path := range stale {
		if err := os.Remove(path); err != nil {
			return err
		}
	}
	return nil
}

func sortedPaths(files map[string][]byte) []string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}
