package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/krosgen/krosgen/internal/schemadiff"
)

// schemaChangeSummary prints, for generate -check, what the schema change
// since the package in outDir was generated does to its consumers: the
// findings of krosgen diff, without witnesses. It prints nothing when the
// package records no schemas (an older krosgen wrote it) or the same ones,
// and only a note when either side cannot be read: the Go diff that
// follows says the rest.
func schemaChangeSummary(outDir, schemaDir string, w io.Writer) {
	if _, err := os.Stat(filepath.Join(outDir, "digest.go")); err != nil {
		return
	}
	old, err := schemadiff.OpenGenerated(outDir)
	if err != nil {
		fmt.Fprintf(w, "krosgen: schema changes not summarised: %v\n", err)
		return
	}
	cur, err := schemadiff.Open(schemaDir, schemaDir)
	if err != nil || cur.Digest() == old.Digest() {
		return // a broken schema is reported by generate itself
	}
	report, err := schemadiff.Diff(old, cur)
	if err != nil {
		fmt.Fprintf(w, "krosgen: schema changes not summarised: %v\n", err)
		return
	}
	fmt.Fprintln(w, "Schema changes since the package was generated (krosgen diff):")
	schemadiff.Render(w, report, schemadiff.RenderOptions{Format: "text", Old: old.Label, New: cur.Label, Brief: true})
	fmt.Fprintln(w)
}
