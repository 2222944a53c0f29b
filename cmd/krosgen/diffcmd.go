package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/krosgen/krosgen/internal/schemadiff"
)

const diffUsage = `usage: krosgen diff [flags] OLD NEW
       krosgen diff [flags] -against-generated DIR [NEW]

OLD and NEW are schema directories, generated package directories or
git:REF[:PATH] (the schema directory at a git revision; PATH defaults to NEW
when it is a directory, else to "schema"). Exit status: 0 no finding at the
-fail-on level, 1 one or more, 2 a usage error or unreadable input.
`

// runDiff implements "krosgen diff".
func runDiff(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("diff", flag.ContinueOnError)
	fl.SetOutput(stderr)
	format := fl.String("format", "text", "output format: "+strings.Join(schemadiff.Formats, ", "))
	failOn := fl.String("fail-on", "error", "exit 1 when a finding at or above this level exists: error, warning, info or never")
	axes := fl.String("axis", "forward,backward,source", "comma-separated axes to report")
	ignore := fl.String("ignore", "", "ignore file: lines of RULE POINTER [YYYY-MM-DD] REASON")
	generated := fl.String("against-generated", "", "use the schemas a generated package `DIR` records as OLD")
	fl.Usage = func() {
		fmt.Fprint(stderr, diffUsage)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "krosgen diff: "+format+"\n", a...)
		return exitUsage
	}
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
		fl.Usage()
		return exitUsage
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
	known := false
	for _, f := range schemadiff.Formats {
		known = known || f == *format
	}
	if !known {
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
	report, err := schemadiff.Diff(oldSide, newSide)
	if err != nil {
		return usageErr("%v", err)
	}
	report.Filter(selected)
	report.Ignore(entries, *ignore, time.Now())
	newDir := ""
	if !strings.HasPrefix(newArg, "git:") {
		newDir = newArg
	}
	if err := schemadiff.Render(stdout, report, schemadiff.RenderOptions{Format: *format, Old: oldSide.Label, New: newSide.Label, NewDir: newDir}); err != nil {
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
