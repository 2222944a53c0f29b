package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing/fstest"

	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/schema"
)

var newCommand = &command{
	name:  "new",
	args:  "[-schema DIR] [-out DIR] [-optional a,b] [-doc TEXT] EVENT [EXAMPLE.json|-]",
	short: "scaffold the schema of a new event from a documented example",
	details: `new writes DIR/events/EVENT.json from the example payload KrosAI documents
(a file, or standard input): a $ref to the envelope, the "event" const,
x-order after the last event, the example under "examples", and a schema
for each value of "data", typed from the example:

  - a string that matches the pattern of a defs.json entry refers to it
    ("call_..." is call_id, "+14155551234" phone_number), as does one of the
    values of an enum entry named like the property;
  - RFC 3339 date-times and absolute URIs get their format;
  - a string that looks like a category ("normal_clearing", "NETWORK_ERROR")
    becomes an open enum, which accepts the values KrosAI adds later;
  - a number named after a defs.json entry (cost_cents: cents) refers to it.

Every property is required except those -optional names (a property name,
or a dotted path under data). new prints each decision for a person to
confirm, then what krosgen generate would change in -out. It fails, writing
nothing, when the event exists, its name breaks the rules
("category.name", lower case), or the schema would not generate.`,
}

func init() { newCommand.run = runNew }

// eventNameRE is the form of an event type, as the schema loader checks it.
var eventNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

func runNew(args []string, e env) int {
	c := newCommand
	fl := newFlags(c)
	dir := fl.String("schema", "schema", "schema directory to add the event to")
	outDir := fl.String("out", "", "the generated package, to show what generate would change (default "+defaultOut+" or krosai where either exists)")
	optional := fl.String("optional", "", "comma-separated properties that may be absent")
	doc := fl.String("doc", "", "the event's description (when KrosAI sends it)")
	if status, done := parse(c, fl, args, e); done {
		return status
	}
	if fl.NArg() < 1 || fl.NArg() > 2 {
		return usageError(e.stderr, c.name, "want EVENT and, optionally, an example file; got %d arguments", fl.NArg())
	}
	typ := fl.Arg(0)
	if !eventNameRE.MatchString(typ) {
		return usageError(e.stderr, c.name, `event type %q breaks the naming rules: dot-separated lower-case words of letters, digits and "_", as in "call.transferred"`, typ)
	}
	if !laidOut(*dir) {
		abs, _ := filepath.Abs(*dir)
		return usageError(e.stderr, c.name, "%s is not a schema directory (envelope.json, defs.json, events/*.json)", abs)
	}
	target := filepath.Join(*dir, schema.EventsDir, typ+".json")
	if _, err := os.Stat(target); err == nil {
		fmt.Fprintf(e.stderr, "krosgen: event %s already exists: %s\n", typ, target)
		return exitInvalid
	}
	src := "-"
	if fl.NArg() == 2 {
		src = fl.Arg(1)
	}
	in, err := readPayloads(src, false, e.stdin)
	if err != nil || len(in) != 1 {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	set, err := schema.Load(os.DirFS(*dir), filepath.ToSlash(*dir))
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitInvalid
	}
	order := 0
	for _, ev := range set.Events {
		order = max(order, ev.Order)
	}
	defs, err := loadDefinitions(set.Defs.Raw)
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitInvalid
	}
	var opt []string
	for _, o := range strings.Split(*optional, ",") {
		if o = strings.TrimSpace(o); o != "" {
			opt = append(opt, o)
		}
	}
	body, decisions, err := scaffold(typ, *doc, order+1, in[0].data, defs, opt)
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitInvalid
	}
	overlay, err := withFile(*dir, filepath.ToSlash(filepath.Join(schema.EventsDir, typ+".json")), body)
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	out, err := generator.Generate(generator.Config{Schema: overlay, SchemaDir: filepath.ToSlash(filepath.Clean(*dir)), Version: version()})
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: the scaffolded schema does not generate: %v\n", err)
		return exitInvalid
	}
	newSet, err := schema.Load(overlay, filepath.ToSlash(*dir))
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitInvalid
	}
	for _, ev := range newSet.Events {
		if ev.Type != typ {
			continue
		}
		for _, x := range ev.Examples {
			if v := newSet.Check(x, nil); v.Err != nil || !v.Known {
				fmt.Fprintf(e.stderr, "krosgen: the example does not satisfy the scaffolded schema: %v\n", v.Err)
				return exitInvalid
			}
		}
	}
	if err := writeFiles(map[string][]byte{target: body}, nil); err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "wrote %s; the decisions made, to confirm or edit there:\n", target)
	for _, d := range decisions {
		fmt.Fprintf(e.stdout, "  %s\n", d)
	}
	for _, w := range out.Warnings {
		fmt.Fprintf(e.stderr, "krosgen: warning: %s\n", w)
	}
	showChanges(*dir, *outDir, out, e)
	return exitOK
}

// withFile is the schema directory's JSON files with one more.
func withFile(dir, name string, body []byte) (fs.FS, error) {
	m := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
		return nil
	})
	m[name] = &fstest.MapFile{Data: body}
	return m, err
}

// showChanges prints what krosgen generate would change in the output
// directory: a line per file with the lines added and removed.
func showChanges(schemaDir, outDir string, out *generator.Output, e env) {
	if outDir == "" {
		for _, d := range []string{defaultOut, "krosai"} {
			if holdsGenerated(d) {
				outDir = d
			}
		}
	}
	if outDir == "" {
		fmt.Fprintf(e.stdout, "then: %s generate -schema %s -out DIR (or go generate ./...)\n", invocation(), shellQuote(schemaDir))
		return
	}
	files := map[string][]byte{}
	for name, b := range out.Files {
		files[filepath.Join(outDir, name)] = b
	}
	for name, b := range out.SchemaFiles {
		files[filepath.Join(schemaDir, name)] = b
	}
	fmt.Fprintf(e.stdout, "krosgen generate would change:\n")
	for _, p := range sortedPaths(files) {
		old, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			continue
		}
		if bytes.Equal(old, files[p]) {
			continue
		}
		add, del := diffStat(unifiedDiff(p, old, files[p]))
		state := ""
		if old == nil {
			state = " (new)"
		}
		fmt.Fprintf(e.stdout, "  %-36s +%d -%d%s\n", p, add, del, state)
	}
	fmt.Fprintf(e.stdout, "then: %s generate -schema %s -out %s (or go generate ./...)\n", invocation(), shellQuote(schemaDir), shellQuote(outDir))
}

// diffStat counts the added and removed lines of a unified diff.
func diffStat(diff string) (add, del int) {
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
		case strings.HasPrefix(l, "+"):
			add++
		case strings.HasPrefix(l, "-"):
			del++
		}
	}
	return add, del
}
