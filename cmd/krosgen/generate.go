package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/krosgen/krosgen/generator"
)

// runGenerate implements "krosgen generate".
func runGenerate(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("generate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	schemaDir := fl.String("schema", "schema", "schema directory (envelope.json, defs.json, events/*.json)")
	outDir := fl.String("out", "gen/krosai", "output directory of the generated package")
	pkg := fl.String("package", "", "Go package name (default: the output directory's base name)")
	check := fl.Bool("check", false, "write nothing; print a diff and exit 1 when the output is stale")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: krosgen generate [-schema DIR] [-out DIR] [-package NAME] [-check]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if fl.NArg() > 0 {
		fl.Usage()
		return exitUsage
	}
	if *pkg == "" {
		abs, err := filepath.Abs(*outDir)
		if err != nil {
			fmt.Fprintf(stderr, "krosgen: %v\n", err)
			return exitUsage
		}
		*pkg = filepath.Base(abs)
	}
	if fi, err := os.Stat(*schemaDir); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "krosgen: schema directory %s: not found\n", *schemaDir)
		return exitUsage
	}
	out, err := generator.Generate(generator.Config{
		Schema:    os.DirFS(*schemaDir),
		SchemaDir: filepath.ToSlash(filepath.Clean(*schemaDir)),
		Package:   *pkg,
	})
	if err != nil {
		fmt.Fprintf(stderr, "krosgen: %v\n", err)
		return exitInvalid
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
		fmt.Fprintf(stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	if *check {
		return checkFiles(files, stale, stdout, stderr)
	}
	if err := writeFiles(files, stale); err != nil {
		fmt.Fprintf(stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	return exitOK
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
		if bytes.HasPrefix(b, []byte("// "+generator.Header+"\n")) {
			stale = append(stale, path)
		}
	}
	return stale, nil
}

// checkFiles compares what would be written with what is on disk.
func checkFiles(files map[string][]byte, stale []string, stdout, stderr io.Writer) int {
	status := exitOK
	for _, path := range sortedPaths(files) {
		old, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stderr, "krosgen: %v\n", err)
			return exitUsage
		}
		if !bytes.Equal(old, files[path]) {
			fmt.Fprint(stdout, unifiedDiff(path, old, files[path]))
			status = exitInvalid
		}
	}
	for _, path := range stale {
		old, _ := os.ReadFile(path)
		fmt.Fprint(stdout, unifiedDiff(path, old, nil))
		status = exitInvalid
	}
	if status != exitOK {
		fmt.Fprintln(stderr, "krosgen: generated files are stale; run krosgen generate (make generate)")
	}
	return status
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
