package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlags returns the flag set of c. Parse errors are reported by parse,
// not by the flag package, so that each names the command.
func newFlags(c *command) *flag.FlagSet {
	fl := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	return fl
}

// parse parses args. When done is true the command must return status
// at once: -h printed the usage to stdout (0), or the command line was
// wrong (2, with the reason on stderr).
func parse(c *command, fl *flag.FlagSet, args []string, e env) (status int, done bool) {
	err := fl.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		commandUsage(c, fl, e.stdout)
		return exitOK, true
	}
	if err != nil {
		return usageError(e.stderr, c.name, "%v", err), true
	}
	return exitOK, false
}

// commandUsage prints the synopsis, summary and flags of c.
func commandUsage(c *command, fl *flag.FlagSet, w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: krosgen %s %s\n\n%s\n", c.name, c.args, c.long())
	n := 0
	fl.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		b.WriteString("\nFlags:\n")
		fl.SetOutput(&b)
		fl.PrintDefaults()
		fl.SetOutput(io.Discard)
	}
	io.WriteString(w, b.String())
}

// long is the command's description: its summary, then its details.
func (c *command) long() string {
	s := strings.ToUpper(c.short[:1]) + c.short[1:] + "."
	if c.details == "" {
		return s
	}
	return s + "\n\n" + strings.TrimSpace(c.details)
}

// multiFlag is a flag that may be repeated: -set a=1 -set b=2.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
