package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/krosgen/krosgen/schema"
)

// runValidate implements "krosgen validate": one line per file, then one
// indented line per problem.
func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("validate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("schema", "", "schema directory laid out as krosgen's schema/ (default: the bundled schemas)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: krosgen validate [-schema DIR] FILE...  (\"-\" reads standard input)")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return exitUsage
	}
	if *dir != "" {
		// A schema directory that cannot be read is an I/O error (2), as in
		// krosgen generate; only a broken schema is exit status 1.
		if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
			fmt.Fprintf(stderr, "krosgen: schema directory %s: not found\n", *dir)
			return exitUsage
		}
	}
	set, err := loadSchemas(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "krosgen: %v\n", err)
		return exitInvalid
	}
	status := exitOK
	for _, name := range fl.Args() {
		payload, err := readInput(name, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "krosgen: %v\n", err)
			status = exitUsage
			continue
		}
		if !report(stdout, name, payload, set.Validate(payload)) && status == exitOK {
			status = exitInvalid
		}
	}
	return status
}

func loadSchemas(dir string) (*schema.Set, error) {
	if dir == "" {
		return schema.Default()
	}
	return schema.Load(os.DirFS(dir), dir)
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

// report prints the verdict on one payload and tells whether it was valid.
func report(w io.Writer, name string, payload []byte, err error) bool {
	if err == nil {
		var env struct {
			Event string `json:"event"`
		}
		_ = json.Unmarshal(payload, &env) // valid, so it decodes
		fmt.Fprintf(w, "%s: ok (%s)\n", name, env.Event)
		return true
	}
	fmt.Fprintf(w, "%s: invalid\n", name)
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Fprintf(w, "\t%s\n", p)
		}
	} else {
		fmt.Fprintf(w, "\t%v\n", err)
	}
	return false
}
