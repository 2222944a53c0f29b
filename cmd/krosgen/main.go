// Command krosgen generates typed Go bindings for KrosAI webhook events from
// JSON Schema and validates webhook payloads against those schemas.
//
// Usage:
//
//	krosgen generate [-schema DIR] [-out DIR] [-package NAME] [-check]
//	krosgen validate [-schema DIR] FILE...
//
// Exit status: 0 on success, 1 when a payload is invalid, a schema is broken
// or (with -check) the generated output is stale, 2 on a usage or I/O error.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "generate":
		return runGenerate(args[1:], stdout, stderr)
	case "validate":
		return runValidate(args[1:], stdin, stdout, stderr)
	case "diff":
		return runDiff(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	fmt.Fprintf(stderr, "krosgen: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  krosgen generate [-schema DIR] [-out DIR] [-package NAME] [-check]
        generate the Go package for the schemas in DIR
  krosgen validate [-schema DIR] FILE...
        validate webhook payloads ("-" reads standard input)
`)
}
