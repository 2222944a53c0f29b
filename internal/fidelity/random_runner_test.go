package fidelity

import (
	"fmt"
	"strings"
)

// randomRunnerMain is the program of a batch module: it reads cases (a
// package index and a payload) as JSON lines from the file named by its
// argument, runs the package's Parse on each and prints one JSON line per
// case: the verdict, the problems, the decoded event type, and for an
// accepted payload whether json.Marshal of the event parses back to an
// equal event and whether (*Event).Validate accepts it. A Parse that does
// not return within a few seconds ends the program after printing "hang".
const randomRunnerMain = `package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"time"

%[1]s)

type problem struct {
	Pointer string ` + "`json:\"pointer\"`" + `
	Message string ` + "`json:\"message\"`" + `
}

type adapter struct {
	parse    func([]byte) (any, error)
	problems func(error) (syntax bool, problems []problem, ok bool)
	event    func(any) (typ, data string, unknown bool)
}

var adapters = []adapter{
%[2]s}

type input struct {
	Pkg  int    ` + "`json:\"pkg\"`" + `
	Data []byte ` + "`json:\"data\"`" + `
}

type output struct {
	Case       int       ` + "`json:\"case\"`" + `
	Outcome    string    ` + "`json:\"outcome\"`" + `
	Problems   []problem ` + "`json:\"problems,omitempty\"`" + `
	Text       string    ` + "`json:\"text,omitempty\"`" + `
	Type       string    ` + "`json:\"type,omitempty\"`" + `
	Data       string    ` + "`json:\"data,omitempty\"`" + `
	Unknown    bool      ` + "`json:\"unknown,omitempty\"`" + `
	RoundTrip  string    ` + "`json:\"roundtrip,omitempty\"`" + `
	Revalidate string    ` + "`json:\"revalidate,omitempty\"`" + `
}

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for i := 0; sc.Scan(); i++ {
		var in input
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		out := run(adapters[in.Pkg], in.Data)
		out.Case = i
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if out.Outcome == "hang" {
			w.Flush()
			os.Exit(3)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

// call runs Parse, recovering a panic and giving up after a timeout.
func call(a adapter, b []byte) (ev any, err error, panicText string, hung bool) {
	type res struct {
		ev  any
		err error
		p   string
	}
	ch := make(chan res, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- res{p: fmt.Sprintf("%%v\n%%s", r, debug.Stack())}
			}
		}()
		ev, err := a.parse(b)
		ch <- res{ev: ev, err: err}
	}()
	select {
	case r := <-ch:
		return r.ev, r.err, r.p, false
	case <-time.After(5 * time.Second):
		return nil, nil, "", true
	}
}

func run(a adapter, b []byte) output {
	ev, err, p, hung := call(a, b)
	switch {
	case hung:
		return output{Outcome: "hang"}
	case p != "":
		return output{Outcome: "panic", Text: p}
	case err != nil:
		syntax, ps, ok := a.problems(err)
		switch {
		case syntax:
			return output{Outcome: "malformed", Text: err.Error()}
		case ok:
			return output{Outcome: "rejected", Problems: ps, Text: err.Error()}
		}
		return output{Outcome: "other", Text: fmt.Sprintf("%%T: %%v", err, err)}
	case ev == nil:
		return output{Outcome: "other", Text: "nil event and nil error"}
	}
	out := output{Outcome: "accepted"}
	out.Type, out.Data, out.Unknown = a.event(ev)
	if v, ok := ev.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			out.Revalidate = err.Error()
		}
	}
	out.RoundTrip = roundTrip(a, ev)
	return out
}

func roundTrip(a adapter, ev any) string {
	b, err := json.Marshal(ev)
	if err != nil {
		return "json.Marshal: " + err.Error()
	}
	ev2, err, p, hung := call(a, b)
	switch {
	case hung:
		return "Parse hangs on json.Marshal's output " + string(b)
	case p != "":
		return "Parse panics on json.Marshal's output " + string(b) + ": " + p
	case err != nil:
		return "Parse rejects json.Marshal's output " + string(b) + ": " + err.Error()
	}
	if d := diffValues(reflect.ValueOf(ev).Elem(), reflect.ValueOf(ev2).Elem(), "Event"); d != "" {
		return "the event changes through json.Marshal and Parse (" + string(b) + "): " + d
	}
	return ""
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage(nil))
)

// diffValues describes the first difference between a and b: deep
// equality, except that times are equal when they are the same instant
// with the same offset, and raw messages when they hold the same JSON.
func diffValues(a, b reflect.Value, path string) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf("%%s: type %%s != %%s", path, a.Type(), b.Type())
	}
	switch a.Type() {
	case timeType:
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		if !ta.Equal(tb) || oa != ob {
			return fmt.Sprintf("%%s: %%v != %%v", path, ta, tb)
		}
		return ""
	case rawType:
		if jsonEqual(a.Bytes(), b.Bytes()) {
			return ""
		}
		return fmt.Sprintf("%%s: %%q != %%q", path, a.Bytes(), b.Bytes())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%%s: nil %%v != nil %%v", path, a.IsNil(), b.IsNil())
			}
			return ""
		}
		return diffValues(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !a.Type().Field(i).IsExported() {
				continue
			}
			if d := diffValues(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Sprintf("%%s: map of %%d (nil %%v) != map of %%d (nil %%v)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil())
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%%s: key %%q missing", path, k)
			}
			if d := diffValues(a.MapIndex(k), bv, fmt.Sprintf("%%s[%%q]", path, k)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Sprintf("%%s: slice of %%d (nil %%v) != slice of %%d (nil %%v)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diffValues(a.Index(i), b.Index(i), fmt.Sprintf("%%s[%%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Float32, reflect.Float64:
		if a.Float() != b.Float() && !(a.Float() != a.Float() && b.Float() != b.Float()) {
			return fmt.Sprintf("%%s: %%v != %%v", path, a.Float(), b.Float())
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%%s: %%#v != %%#v", path, a.Interface(), b.Interface())
	}
	return ""
}

func jsonEqual(a, b []byte) bool {
	if a == nil || b == nil {
		return (a == nil) == (b == nil)
	}
	var va, vb any
	da := json.NewDecoder(bytes.NewReader(a))
	da.UseNumber()
	db := json.NewDecoder(bytes.NewReader(b))
	db.UseNumber()
	if da.Decode(&va) != nil || db.Decode(&vb) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(va, vb)
}

var _ = errors.As
`

// randomRunnerSource renders the runner for the given package names.
func randomRunnerSource(module string, pkgs []string) []byte {
	var imports, adapters strings.Builder
	for _, p := range pkgs {
		fmt.Fprintf(&imports, "\t%s %q\n", p, module+"/"+p)
		fmt.Fprintf(&adapters, `	{
		parse: func(b []byte) (any, error) {
			ev, err := %[1]s.Parse(b)
			if err != nil {
				return nil, err
			}
			return ev, nil
		},
		problems: func(err error) (bool, []problem, bool) {
			var se *%[1]s.SyntaxError
			var ve *%[1]s.ValidationError
			switch {
			case errors.As(err, &se):
				return true, nil, true
			case errors.As(err, &ve):
				ps := make([]problem, len(ve.Problems))
				for i, p := range ve.Problems {
					ps[i] = problem{p.Pointer, p.Message}
				}
				return false, ps, true
			}
			return false, nil, false
		},
		event: func(x any) (string, string, bool) {
			ev := x.(*%[1]s.Event)
			_, unknown := ev.Data.(*%[1]s.UnknownEvent)
			return string(ev.Type), fmt.Sprintf("%%T", ev.Data), unknown
		},
	},
`, p)
	}
	return []byte(fmt.Sprintf(randomRunnerMain, imports.String(), adapters.String()))
}
