package fidelity

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
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
