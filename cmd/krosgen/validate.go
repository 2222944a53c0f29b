package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/schema"
)

var validateCommand = &command{
	name:  "validate",
	args:  "[-schema DIR] [-v] [-json] [-strict] [-ndjson] FILE|DIR|-...",
	short: "validate webhook payloads against the schemas",
	details: `Each argument is a payload file, a directory (every *.json file under it,
recursively) or "-" for standard input. With -ndjson, each line of each
input is one payload; with -ndjson and no argument, standard input is read.

The schemas are those of -schema DIR; without it, ./schema when the current
directory holds one laid out as krosgen expects (envelope.json, defs.json,
events/*.json), else the schemas built into krosgen. -v says which.

Problems are listed in the words of the generated Parse, sorted by JSON
pointer, then message. A payload of an event type without a schema is
checked against the envelope and reported with a warning, as Parse and the
handler accept it (as *UnknownEvent); with -strict it is invalid.

Exit status: 0 all valid, 1 any invalid or malformed, 2 a usage or I/O error.`,
}

func init() { validateCommand.run = runValidate }

// runValidate implements "krosgen validate": one line per payload, then one
// indented line per problem; or with -json one object per payload.
func runValidate(args []string, e env) int {
	c := validateCommand
	fl := newFlags(c)
	dir := fl.String("schema", "", "schema directory laid out as krosgen's schema/ (default ./schema if there is one, else the bundled schemas)")
	verbose := fl.Bool("v", false, "say which schemas are used")
	asJSON := fl.Bool("json", false, `print one JSON object per payload: {"file", "valid", "event", "problems": [{"pointer", "message"}]}`)
	ndjson := fl.Bool("ndjson", false, "read one payload per line (standard input when no argument is given)")
	strict := fl.Bool("strict", false, "treat a payload of an unknown event type as invalid")
	if status, done := parse(c, fl, args, e); done {
		return status
	}
	inputs := fl.Args()
	if len(inputs) == 0 {
		if !*ndjson {
			return usageError(e.stderr, c.name, "no payload given: name files, directories or - for standard input")
		}
		inputs = []string{"-"}
	}
	set, status := loadValidateSchemas(*dir, *verbose, e)
	if set == nil {
		return status
	}
	// Parse words a problem by how it checks the value; for schemas krosgen
	// cannot generate there is no Parse to speak like, and the typed words
	// serve.
	validated, err := generator.ValidatedSchemas(set)
	if err != nil && *verbose {
		fmt.Fprintf(e.stderr, "krosgen: these schemas do not generate (%v); problems are worded as for typed values\n", err)
	}
	rep := &reporter{w: e.stdout, json: *asJSON, strict: *strict, stderr: e.stderr}
	status = exitOK
	worse := func(s int) {
		if s > status {
			status = s
		}
	}
	for _, in := range inputs {
		payloads, err := readPayloads(in, *ndjson, e.stdin)
		if err != nil {
			fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
			worse(exitUsage)
		}
		for _, p := range payloads {
			worse(rep.report(p.name, set.Check(p.data, validated)))
		}
	}
	return status
}

// loadValidateSchemas picks and loads the schema directory; a nil set means
// return status.
func loadValidateSchemas(dir string, verbose bool, e env) (*schema.Set, int) {
	var (
		set *schema.Set
		err error
	)
	switch {
	case dir != "":
		// A directory that cannot be read is an I/O error (2), as in
		// krosgen generate; only a broken schema is exit status 1.
		if fi, serr := os.Stat(dir); serr != nil || !fi.IsDir() {
			abs, _ := filepath.Abs(dir)
			fmt.Fprintf(e.stderr, "krosgen: schema directory %s not found\n", abs)
			return nil, exitUsage
		}
		set, err = schema.Load(os.DirFS(dir), dir)
		if verbose && err == nil {
			abs, _ := filepath.Abs(dir)
			fmt.Fprintf(e.stderr, "krosgen: validating against %s (-schema)\n", abs)
		}
	case laidOut("schema"):
		set, err = schema.Load(os.DirFS("schema"), "schema")
		if verbose && err == nil {
			abs, _ := filepath.Abs("schema")
			fmt.Fprintf(e.stderr, "krosgen: validating against %s (./schema, %d events)\n", abs, len(set.Events))
		}
	default:
		set, err = schema.Default()
		if verbose && err == nil {
			fmt.Fprintf(e.stderr, "krosgen: validating against the schemas bundled with krosgen %s (%d events; no ./schema here)\n", version(), len(set.Events))
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return nil, exitInvalid
	}
	return set, exitOK
}

// laidOut reports whether dir looks like a schema directory krosgen reads.
func laidOut(dir string) bool {
	for _, f := range []string{schema.EnvelopeFile, schema.DefsFile} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.IsDir() {
			return false
		}
	}
	events, _ := filepath.Glob(filepath.Join(dir, schema.EventsDir, "*.json"))
	return len(events) > 0
}

// payload is one input to validate, with the name it is reported under.
type payload struct {
	name string
	data []byte
	// example is set for a documented example (krosgen send).
	example bool
}

// readPayloads reads one argument: a file, a directory of *.json files or
// standard input; with ndjson, each non-blank line is a payload named
// "file:line".
func readPayloads(name string, ndjson bool, stdin io.Reader) ([]payload, error) {
	var files []payload
	switch fi, err := os.Stat(name); {
	case name == "-":
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("standard input: %v", err)
		}
		files = []payload{{name: "-", data: b}}
	case err != nil:
		return nil, err
	case fi.IsDir():
		var paths []string
		err := filepath.WalkDir(name, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".json" {
				paths = append(paths, p)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(paths)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			files = append(files, payload{name: p, data: b})
		}
	default:
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		files = []payload{{name: name, data: b}}
	}
	if !ndjson {
		return files, nil
	}
	var out []payload
	for _, f := range files {
		sc := bufio.NewScanner(bytes.NewReader(f.data))
		sc.Buffer(nil, 64<<20)
		for line := 1; sc.Scan(); line++ {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			out = append(out, payload{name: f.name + ":" + strconv.Itoa(line), data: bytes.Clone(sc.Bytes())})
		}
		if err := sc.Err(); err != nil {
			return out, fmt.Errorf("%s: %v", f.name, err)
		}
	}
	return out, nil
}

// reporter prints verdicts.
type reporter struct {
	w, stderr io.Writer
	json      bool
	strict    bool
}

// jsonVerdict is the -json form of a verdict.
type jsonVerdict struct {
	File     string           `json:"file"`
	Valid    bool             `json:"valid"`
	Event    string           `json:"event"`
	Problems []schema.Problem `json:"problems"`
	Warnings []string         `json:"warnings,omitempty"`
}

// report prints the verdict on one payload and returns its exit status.
func (r *reporter) report(name string, v schema.Verdict) int {
	out := jsonVerdict{File: name, Valid: v.Err == nil, Event: v.Event, Problems: []schema.Problem{}}
	var ve *schema.ValidationError
	switch {
	case errors.As(v.Err, &ve):
		out.Problems = ve.Problems
	case v.Err != nil:
		out.Problems = []schema.Problem{{Pointer: "", Message: v.Err.Error()}}
	}
	if v.Err == nil && !v.Known {
		warning := fmt.Sprintf("unknown event type %q: no schema for it, so only the envelope was checked (Parse accepts it as *UnknownEvent)", v.Event)
		if r.strict {
			out.Valid = false
			out.Problems = []schema.Problem{{Pointer: "/event", Message: fmt.Sprintf("%q is not a known event type", v.Event)}}
		} else {
			out.Warnings = []string{warning}
			if !r.json {
				fmt.Fprintf(r.stderr, "krosgen: warning: %s: %s\n", name, warning)
			}
		}
	}
	if r.json {
		newJSONEncoder(r.w).Encode(out) // strings and slices only: it cannot fail

	} else {
		switch {
		case out.Valid && v.Known:
			fmt.Fprintf(r.w, "%s: ok (%s)\n", name, v.Event)
		case out.Valid:
			fmt.Fprintf(r.w, "%s: ok (%s, unknown event type)\n", name, v.Event)
		default:
			fmt.Fprintf(r.w, "%s: invalid\n", name)
			if ve == nil && v.Err != nil { // not JSON: no pointer to show
				fmt.Fprintf(r.w, "\t%v\n", v.Err)
			}
			for _, p := range out.Problems {
				if ve != nil || v.Err == nil {
					fmt.Fprintf(r.w, "\t%s\n", p)
				}
			}
		}
	}
	if !out.Valid {
		return exitInvalid
	}
	return exitOK
}

// newJSONEncoder writes JSON without HTML escapes: "must be >= 0", as Parse
// words it, not "must be \u003e= 0".
func newJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
