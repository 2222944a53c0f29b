// Command peergen writes easy/types.go and events_gen_test.go from the
// generated package (see package peergen). Run it from the bench module's
// root, with make bench-peers, which then runs easyjson's generator.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/krosgen/krosgen/bench/internal/peergen"
)

func main() {
	src := flag.String("src", "../gen/krosai", "directory of the generated package")
	pkg := flag.String("pkg", "github.com/krosgen/krosgen/gen/krosai", "import path of the generated package")
	flag.Parse()
	files, err := peergen.Render(*src, *pkg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "peergen:", err)
		os.Exit(1)
	}
	for name, b := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "peergen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "peergen:", err)
			os.Exit(1)
		}
	}
}
