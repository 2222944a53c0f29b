package fidelity

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCorpus checks the corpus generator: it is deterministic, derives
// every mutation family from every event's examples, and writes the raw
// constructs json.Marshal cannot.
func TestCorpus(t *testing.T) {
	set, payloads := loadCorpus(t)

	var examples []Example
	var types []string
	for _, ev := range set.Events {
		types = append(types, ev.Type)
		for _, ex := range ev.Examples {
			examples = append(examples, Example{Type: ev.Type, Raw: ex})
		}
	}
	again, err := Corpus(examples, types)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(payloads, again, func(a, b Payload) bool {
		return a.Event == b.Event && a.Kind == b.Kind && a.At == b.At && bytes.Equal(a.Data, b.Data)
	}) {
		t.Error("Corpus is not deterministic")
	}

	families := []string{
		"example", "remove", "null", "type:", "num:", "str:", "derived:", "extra:", "extra-first",
		"case-variant-", "escaped-key", "dup:", "reverse-keys", "wrong-event:", "unknown-event",
		"empty-data", "data-first", "event-last", "dup-event:", "repeated-", "pair:",
		"ws:", "trailing:", "truncate:", "top-level:",
	}
	have := map[string]map[string]bool{}
	for _, p := range payloads {
		if have[p.Event] == nil {
			have[p.Event] = map[string]bool{}
		}
		for _, f := range families {
			if strings.HasPrefix(p.Kind, f) {
				have[p.Event][f] = true
			}
		}
	}
	for _, ev := range set.Events {
		for _, f := range families {
			if !have[ev.Type][f] {
				t.Errorf("%s: no %q payloads", ev.Type, f)
			}
		}
	}

	// Every derived payload of a mutation that keeps JSON well-formed
	// holds the intended construct.
	var dupKeys, invalidUTF8, loneSurrogate, dataFirst bool
	for _, p := range payloads {
		switch {
		case strings.HasPrefix(p.Kind, "dup:"):
			if d, _ := keyHazards(p.Data, nil); d {
				dupKeys = true
			}
		case p.Kind == "str:invalid-utf8":
			invalidUTF8 = invalidUTF8 || bytes.Contains(p.Data, []byte("\xff\xfe"))
		case p.Kind == "str:lone-surrogate":
			loneSurrogate = loneSurrogate || bytes.Contains(p.Data, []byte(`"\ud800"`))
		case p.Kind == "data-first":
			dataFirst = dataFirst || bytes.HasPrefix(p.Data, []byte(`{"data":`))
		}
		if p.Kind == "example" && !json.Valid(p.Data) {
			t.Errorf("%s: example is not valid JSON", p)
		}
	}
	if !dupKeys || !invalidUTF8 || !loneSurrogate || !dataFirst {
		t.Errorf("raw constructs missing: duplicate keys %v, invalid UTF-8 %v, lone surrogate %v, data first %v",
			dupKeys, invalidUTF8, loneSurrogate, dataFirst)
	}
}

// TestHarnessHelpers checks the classifiers the reports and FIDELITY_SKIP
// rely on, and that the value comparison notices what it must.
func TestHarnessHelpers(t *testing.T) {
	shapes := []struct {
		onlyParse, onlySchema []string
		want                  string
	}{
		{[]string{"/data/metadata/a b"}, []string{"/data/metadata/a%20b"}, "schema-url-escapes-tokens"},
		{[]string{"/data/changes//new"}, []string{"/data/changes/new"}, "schema-drops-empty-tokens"},
		{[]string{"/data/changes//new", "/data/changes/a b"}, []string{"/data/changes/new", "/data/changes/a%20b"},
			"schema-drops-empty-tokens+schema-url-escapes-tokens"},
		{[]string{"/data/call_id"}, []string{"/data/direction"}, ""},
		{[]string{"/data/a"}, nil, ""},
	}
	for _, s := range shapes {
		if got := pointerShape(s.onlyParse, s.onlySchema); got != s.want {
			t.Errorf("pointerShape(%q, %q) = %q, want %q", s.onlyParse, s.onlySchema, got, s.want)
		}
	}

	t.Setenv("FIDELITY_SKIP", "schema-panic, a/x,a/y")
	for class, want := range map[string]bool{
		"schema-panic/math-big-rat-isint": true, "a/x": true, "a/x+y": true, "a/x+z": false, "a": false, "parse-hang": false,
	} {
		if got := skipped(class); got != want {
			t.Errorf("skipped(%q) = %v, want %v", class, got, want)
		}
	}

	if got := generalizePointer("/data/changes/a b/new"); got != "/data/*/*/*" {
		t.Errorf("generalizePointer = %q", got)
	}
	if got := slug(generalizeMessage(`must be <= 9007199254740991, but is "x"`)); got != "must-be-n-but-is" {
		t.Errorf("slug = %q", got)
	}

	names := map[string]bool{"call_id": true}
	for payload, want := range map[string][2]bool{
		`{"a":{"b":1,"b":2}}`:                 {true, false},
		`{"a":1,"b":{"a":1}}`:                 {false, false},
		`{"CALL_ID":1}`:                       {false, true},
		"{\"call_\u212a\":1,\"x\":[{}]}":      {false, false},
		`{"x":[{"call_id":1},{"call_id":2}]}`: {false, false},
	} {
		if dup, fold := keyHazards([]byte(payload), names); dup != want[0] || fold != want[1] {
			t.Errorf("keyHazards(%s) = %v, %v; want %v", payload, dup, fold, want)
		}
	}

	utc := time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)
	plus1 := utc.In(time.FixedZone("", 3600))
	for _, c := range []struct {
		a, b        any
		semanticRaw bool
		equal       bool
	}{
		{utc, utc.In(time.FixedZone("", 0)), false, true},
		{utc, plus1, false, false},
		{json.RawMessage(`{"a": 1}`), json.RawMessage(`{"a":1}`), true, true},
		{json.RawMessage(`{"a": 1}`), json.RawMessage(`{"a":1}`), false, false},
		{map[string]string{}, map[string]string(nil), false, false},
		{&struct{ P *string }{}, &struct{ P *string }{new(string)}, false, false},
	} {
		d := diffValues(reflect.ValueOf(c.a), reflect.ValueOf(c.b), "v", c.semanticRaw)
		if (d == "") != c.equal {
			t.Errorf("diffValues(%#v, %#v) = %q, want equal %v", c.a, c.b, d, c.equal)
		}
	}

	doc, _ := decodeAny([]byte(`{"a":{"":1,"b/c":[null]}}`))
	if v, ok := resolve(doc, "/a/"); !ok || kindName(v) != "number" {
		t.Errorf(`resolve "/a/" = %v, %v`, v, ok)
	}
	if v, ok := resolve(doc, "/a/b~1c/0"); !ok || kindName(v) != "null" {
		t.Errorf(`resolve "/a/b~1c/0" = %v, %v`, v, ok)
	}
}
