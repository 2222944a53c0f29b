package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/krosgen/krosgen/internal/schemadiff"
)

var diffCommand = &command{
	name:  "diff",
	args:  "[-format text|json|markdown|github] [-fail-on LEVEL] [-axis LIST] [-ignore FILE] OLD NEW  |  -against-generated DIR [NEW]",
	short: "tell what a schema change does to consumers of the bindings",
	details: `OLD and NEW are schema directories, generated package directories or
git:REF[:PATH] (the schema directory at a git revision of the repository the
current directory is in; PATH defaults to NEW when it is a directory, else to
"schema"). -against-generated DIR takes as OLD the schemas the package in DIR
was generated from (it records them); NEW then defaults to ./schema.

Findings are on three axes: forward (bindings generated from OLD reject a
payload valid under NEW: an error, they answer 400), backward (bindings
regenerated from NEW reject a payload valid under OLD, such as a retry: a
warning) and source (Go code written against OLD's package no longer
compiles against NEW's: an error). Each forward and backward finding comes
with a witness payload that one side's validator accepts and the other's
rejects; a change no witness was found for is reported as undecided (a
warning).

An ignore file holds lines "RULE POINTER [YYYY-MM-DD] REASON"; an entry past
its date no longer ignores anything and is reported itself.

Exit status: 0 no finding at the -fail-on level or above, 1 one or more,
2 a usage error or unreadable input.`,
}

func init() { diffCommand.run = runDiff }

// runDiff implements "krosgen diff".
func runDiff(args []string, e env) int {
	c := diffCommand
	fl := newFlags(c)
	format := fl.String("format", "text", "output format: "+strings.Join(schemadiff.Formats, ", "))
	failOn := fl.String("fail-on", "error", "exit 1 when a finding at or above this level exists: error, warning, info or never")
	axes := fl.String("axis", "forward,backward,source", "comma-separated axes to report")
	ignore := fl.String("ignore", "", "ignore `FILE`: lines of RULE POINTER [YYYY-MM-DD] REASON")
	generated := fl.String("against-generated", "", "take as OLD the schemas the generated package in `DIR` records")
	if status, done := parse(c, fl, args, e); done {
		return status
	}
	usageErr := func(format string, a ...any) int { return usageError(e.stderr, c.name, format, a...) }
	var oldArg, newArg string
	switch {
	case *generated != "" && fl.NArg() <= 1:
		oldArg, newArg = *generated, "schema"
		if fl.NArg() == 1 {
			newArg = fl.Arg(0)
		}
	case *generated == "" && fl.NArg() == 2:
		oldArg, newArg = fl.Arg(0), fl.Arg(1)
	default:
		return usageErr("want OLD and NEW (or -against-generated DIR [NEW]), got %d arguments", fl.NArg())
	}
	var threshold schemadiff.Severity
	switch *failOn {
	case "error", "warning", "info":
		threshold = schemadiff.Severity(*failOn)
	case "never":
	default:
		return usageErr("-fail-on %q: want error, warning, info or never", *failOn)
	}
	selected, err := parseAxes(*axes)
	if err != nil {
		return usageErr("%v", err)
	}
	if !slices.Contains(schemadiff.Formats, *format) {
		return usageErr("-format %q: want one of %s", *format, strings.Join(schemadiff.Formats, ", "))
	}
	var entries []schemadiff.IgnoreEntry
	if *ignore != "" {
		data, err := os.ReadFile(*ignore)
		if err != nil {
			return usageErr("%v", err)
		}
		if entries, err = schemadiff.ParseIgnore(data, *ignore); err != nil {
			return usageErr("%v", err)
		}
	}
	defaultPath := "schema"
	if fi, err := os.Stat(newArg); err == nil && fi.IsDir() {
		defaultPath = newArg
	}
	oldSide, err := schemadiff.Open(oldArg, defaultPath)
	if err != nil {
		return usageErr("OLD: %v", err)
	}
	newSide, err := schemadiff.Open(newArg, defaultPath)
	if err != nil {
		return usageErr("NEW: %v", err)
	}
	report, err := schemadiff.Diff(oldSide, newSide, selected...)
	if err != nil {
		return usageErr("%v", err)
	}
	report.Ignore(entries, *ignore, time.Now())
	newDir := ""
	if !strings.HasPrefix(newArg, "git:") {
		newDir = filepath.ToSlash(newArg)
	}
	if err := schemadiff.Render(e.stdout, report, schemadiff.RenderOptions{Format: *format, Old: oldSide.Label, New: newSide.Label, NewDir: newDir}); err != nil {
		return usageErr("%v", err)
	}
	if threshold != "" && report.Worst().AtLeast(threshold) {
		return exitInvalid
	}
	return exitOK
}

func parseAxes(s string) ([]schemadiff.Axis, error) {
	var out []schemadiff.Axis
	for _, part := range strings.Split(s, ",") {
		a := schemadiff.Axis(strings.TrimSpace(part))
		switch a {
		case schemadiff.Forward, schemadiff.Backward, schemadiff.Source:
			out = append(out, a)
		default:
			return nil, fmt.Errorf("-axis %q: want a comma-separated list of forward, backward, source", part)
		}
	}
	return out, nil
}
