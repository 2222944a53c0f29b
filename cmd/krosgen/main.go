// Command krosgen generates typed Go bindings for KrosAI webhook events from
// JSON Schema, validates payloads against those schemas, delivers test
// webhooks to a local receiver and scaffolds the schema of a new event.
//
// Usage:
//
//	krosgen <command> [flags] [arguments]
//
// Run "krosgen help" for the list of commands and "krosgen help <command>"
// (or "krosgen <command> -h") for one command's flags.
//
// Exit status: 0 on success, 1 when a payload is invalid, a schema is broken
// or (with -check) the generated output is stale, 2 on a usage or I/O error.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// Exit statuses.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

// env is what a command may use of the process: its arguments are passed
// separately so that tests run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand of krosgen.
type command struct {
	name string
	// args is the synopsis after the name: "[-schema DIR] FILE...".
	args string
	// short is the one-line summary "krosgen help" prints.
	short string
	// details follow the summary in the command's own usage.
	details string
	run     func(args []string, e env) int
}

// commands lists every subcommand, in the order "krosgen help" shows them.
// A new command is one line here and a file of its own.
var commands = []*command{
	generateCommand,
	validateCommand,
	diffCommand,
	sendCommand,
	signCommand,
	newCommand,
	versionCommand,
}

func main() {
	// krosgen is a short-lived process whose heap is mostly garbage made on
	// the way to the output (syntax trees, rendered source): collecting it
	// at the default pace costs a third of the time of generating. Unless
	// GOGC says otherwise, let the heap grow four times before collecting.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return runHelp(args[1:], e)
	case "-version", "--version":
		return runVersion(args[1:], e)
	}
	if c := lookup(args[0]); c != nil {
		return c.run(args[1:], e)
	}
	return usageError(stderr, "", "unknown command %q; run \"krosgen help\" for the list", args[0])
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// runHelp implements "krosgen help [command]".
func runHelp(args []string, e env) int {
	switch len(args) {
	case 0:
		usage(e.stdout)
		return exitOK
	case 1:
		c := lookup(args[0])
		if c == nil {
			return usageError(e.stderr, "help", "unknown command %q", args[0])
		}
		return c.run([]string{"-h"}, e)
	}
	return usageError(e.stderr, "help", "help takes at most one command, got %d arguments", len(args))
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("krosgen generates typed Go bindings for KrosAI webhooks from JSON Schema.\n\n")
	b.WriteString("Usage:\n\n\tkrosgen <command> [flags] [arguments]\n\nCommands:\n\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "\t%-9s %s\n", c.name, c.short)
	}
	b.WriteString("\nRun \"krosgen help <command>\" or \"krosgen <command> -h\" for a command's flags.\n")
	b.WriteString("Exit status: 0 success, 1 invalid payload, broken schema or stale output, 2 usage or I/O error.\n")
	io.WriteString(w, b.String())
}

// usageError reports what was wrong with the command line and returns
// exitUsage. cmd is the command, "" for krosgen itself.
func usageError(stderr io.Writer, cmd, format string, args ...any) int {
	prefix := "krosgen"
	if cmd != "" {
		prefix += " " + cmd
	}
	fmt.Fprintf(stderr, "%s: %s\n", prefix, fmt.Sprintf(format, args...))
	if cmd != "" {
		fmt.Fprintf(stderr, "run \"krosgen help %s\" for usage\n", cmd)
	}
	return exitUsage
}
