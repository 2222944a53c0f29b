package fidelity

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/txtar"
	"testing"
)

// reproducer renders a finding as a txtar archive: a comment saying what
// disagrees, the schema files and the payload.
func reproducer(f randomFinding) []byte {
	var comment strings.Builder
	fmt.Fprintf(&comment, "class: %s\n", f.class)
	fmt.Fprintf(&comment, "detail: %s\n", oneLine(f.detail))
	if f.payload.Data != nil {
		fmt.Fprintf(&comment, "Parse: %s\nschema: %s\n", oneLine(f.parse), oneLine(f.ref))
	}
	fmt.Fprintf(&comment, "drawn: set %d, seed %d, off: %s\n", f.rs.index, f.rs.seed, strings.Join(f.rs.set.Features.Off(), ","))
	a := &txtar.Archive{Comment: []byte(comment.String())}
	files := f.rs.set.Files()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a.Files = append(a.Files, txtar.File{Name: "schema/" + n, Data: files[n]})
	}
	if f.payload.Data != nil {
		a.Files = append(a.Files, txtar.File{Name: "payload", Data: append(append([]byte{}, f.payload.Data...), '\n')})
	}
	return txtar.Format(a)
}

func oneLine(s string) string {
	return shorten(strings.Join(strings.Fields(s), " "), 800)
}

// writeReproducers writes the first finding of each class into cfg.out.
func (st *randomStats) writeReproducers(t *testing.T, cfg randomConfig) error {
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	for class, fs := range st.findings {
		f := fs[0]
		if cfg.shrink {
			f = shrinkFinding(t, f)
		}
		name := strings.TrimSuffix(slug(class), "...") + ".txtar"
		if err := os.WriteFile(filepath.Join(cfg.out, name), reproducer(f), 0o644); err != nil {
			return err
		}
	}
	t.Logf("reproducers written to %s", cfg.out)
	return nil
}
