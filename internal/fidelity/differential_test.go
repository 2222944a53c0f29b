package fidelity

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

// minPayloads is the least corpus size the harness accepts.
const minPayloads = 5000

// TestParseMatchesSchema is the differential test: for every corpus payload
// Parse must reach the reference's verdict and, when both reject a
// well-formed payload, report problems at the same set of JSON pointers.
//
// The one exception is an event type that is a string but not a known type:
// the reference rejects it at /event (its enum), while Parse accepts it as
// *krosai.UnknownEvent for forward compatibility. For such a payload Parse
// must report exactly the reference's pointers other than /event, and accept
// it (with Data an *UnknownEvent of that type) when /event is all there is.
func TestParseMatchesSchema(t *testing.T) {
	set, payloads := loadCorpus(t)
	rs, elapsed := differentialResults(t)

	var schemaTypes []string
	for _, ev := range set.Events {
		schemaTypes = append(schemaTypes, ev.Type)
	}
	var parseTypes []string
	for _, et := range krosai.EventTypes() {
		parseTypes = append(parseTypes, string(et))
	}
	if !slices.Equal(schemaTypes, parseTypes) {
		t.Errorf("event types differ:\nschema: %v\nkrosai: %v", schemaTypes, parseTypes)
	}

	type counts struct{ payloads, accepted, rejected, malformed, unknownAccepted, findings int }
	var total counts
	perEvent := map[string]*counts{}
	for _, r := range rs {
		c := perEvent[r.payload.Event]
		if c == nil {
			c = &counts{}
			perEvent[r.payload.Event] = c
		}
		for _, c := range []*counts{c, &total} {
			c.payloads++
			switch {
			case r.finding != nil:
				c.findings++
			case r.unknownAccepted:
				c.unknownAccepted++
			case r.parse.outcome == accepted:
				c.accepted++
			case r.parse.outcome == malformed:
				c.malformed++
			default:
				c.rejected++
			}
		}
	}

	t.Logf("%d payloads from %d examples of %d events, checked in %v (%v per payload)",
		len(payloads), countExamples(payloads), len(set.Events), elapsed.Round(time.Millisecond), (elapsed / time.Duration(len(payloads))).Round(time.Microsecond))
	t.Logf("agreed: %d accepted by both, %d rejected by both, %d malformed for both; %d unknown event types accepted by Parse and rejected by the reference only at /event; %d disagreements",
		total.accepted, total.rejected, total.malformed, total.unknownAccepted, total.findings)
	t.Logf("%-24s %8s %8s %8s %9s %8s %9s", "event", "payloads", "accepted", "rejected", "malformed", "unknown", "disagree")
	events := append(slices.Clone(schemaTypes), "")
	for _, e := range events {
		c := perEvent[e]
		name := e
		if e == "" {
			name = "(no example)"
		}
		if c == nil {
			if e != "" {
				t.Errorf("no payloads derived from %s", e)
			}
			continue
		}
		t.Logf("%-24s %8d %8d %8d %9d %8d %9d", name, c.payloads, c.accepted, c.rejected, c.malformed, c.unknownAccepted, c.findings)
	}
	t.Logf("mutation families: %s", families(payloads))

	if len(payloads) < minPayloads {
		t.Errorf("corpus has %d payloads, want at least %d", len(payloads), minPayloads)
	}
	if total.findings > 0 {
		t.Errorf("Parse and schema.Validate disagree on %d of %d payloads.\n%s",
			total.findings, len(payloads), reportFindings(rs, 20, bothVerdicts))
	}
}

func countExamples(ps []Payload) int {
	n := 0
	for _, p := range ps {
		if p.Kind == "example" {
			n++
		}
	}
	return n
}

// families counts payloads by the part of their Kind before the first ':'.
func families(ps []Payload) string {
	m := map[string]int{}
	for _, p := range ps {
		f, _, _ := strings.Cut(p.Kind, ":")
		f, _, _ = strings.Cut(f, "+")
		m[f]++
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] })
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// TestDecodedValuesMatchEncodingJSON checks, for every payload both
// validators accept, that Parse decodes what encoding/json decodes from the
// same bytes, and that json.Marshal of the event parses back to an equal
// event.
//
// encoding/json is an oracle only where its semantics are JSON Schema's:
// it matches keys case-insensitively (with Unicode folding) and merges
// repeated keys into structs, so payloads with repeated keys or keys that
// differ from a field name only by case are skipped (for the comparison;
// the round trip is checked for every payload). Where encoding/json cannot
// decode a value that JSON Schema allows (an integer written 1e2 or 180.0,
// a leap second, a lower-case "t"), there is no oracle: these are counted
// and logged, not failed.
func TestDecodedValuesMatchEncodingJSON(t *testing.T) {
	rs, _ := differentialResults(t)
	names := fieldNames(t)
	var out []result
	var compared, hazards, roundTrips int
	noOracle := map[string]int{}
	for _, r := range rs {
		if r.finding != nil || r.parse.outcome != accepted {
			continue
		}
		ev := r.parse.ev
		roundTrips++
		if f := roundTrip(ev); f != nil {
			out = append(out, withFinding(r, f))
		}
		if dup, fold := keyHazards(r.payload.Data, names); dup || fold {
			hazards++
			continue
		}
		compared++
		f, reasons := compareWithEncodingJSON(r.payload.Data, ev)
		for _, reason := range reasons {
			noOracle[reason]++
		}
		if f != nil {
			out = append(out, withFinding(r, f))
		}
	}
	t.Logf("%d accepted payloads: %d compared with encoding/json, %d skipped for repeated or case-variant keys; %d round trips through json.Marshal",
		roundTrips, compared, hazards, roundTrips)
	if len(noOracle) > 0 {
		var ks []string
		n := 0
		for k, c := range noOracle {
			ks = append(ks, k)
			n += c
		}
		sort.Slice(ks, func(i, j int) bool {
			return noOracle[ks[i]] > noOracle[ks[j]] || noOracle[ks[i]] == noOracle[ks[j]] && ks[i] < ks[j]
		})
		var b strings.Builder
		for i, k := range ks {
			if i == 12 {
				fmt.Fprintf(&b, "\n  ... and %d more reasons", len(ks)-12)
				break
			}
			fmt.Fprintf(&b, "\n  %5d× %s", noOracle[k], k)
		}
		t.Logf("%d values encoding/json cannot decode although JSON Schema and Parse accept them (no oracle, not failed):%s", n, b.String())
	}
	shared.valueFindings = out
	if len(out) > 0 {
		t.Errorf("decoded values disagree on %d payloads.\n%s", len(out), reportFindings(out, 20, func(r result) string {
			return "  Parse: " + r.parse.String() + "\n"
		}))
	}
}

func withFinding(r result, f *finding) result {
	r.finding = f
	return r
}

// envelope is encoding/json's view of the envelope; the timestamp is kept
// raw so that a timestamp encoding/json rejects does not hide the data.
type envelope struct {
	Event     string          `json:"event"`
	ID        string          `json:"id"`
	Timestamp json.RawMessage `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// compareWithEncodingJSON compares ev with encoding/json's decoding of
// payload. reasons lists the values encoding/json could not decode.
func compareWithEncodingJSON(payload []byte, ev *krosai.Event) (f *finding, reasons []string) {
	var env envelope
	if err := json.Unmarshal(payload, &env); err != nil {
		return nil, []string{"envelope: " + generalize(err.Error())}
	}
	if string(ev.Type) != env.Event || string(ev.ID) != env.ID {
		return newFinding("value-mismatch", fmt.Sprintf("envelope: Parse has event %q id %q, encoding/json %q %q", ev.Type, ev.ID, env.Event, env.ID)), nil
	}
	var ts time.Time
	if err := json.Unmarshal(env.Timestamp, &ts); err != nil {
		reasons = append(reasons, "timestamp: "+generalize(err.Error()))
	} else if d := diffValues(reflect.ValueOf(ev.Timestamp), reflect.ValueOf(ts), "Event.Timestamp", false); d != "" {
		return newFinding("value-mismatch", d), reasons
	}
	if u, ok := ev.Data.(*krosai.UnknownEvent); ok {
		want := &krosai.UnknownEvent{Type: krosai.EventType(env.Event), Raw: env.Data}
		if d := diffValues(reflect.ValueOf(u).Elem(), reflect.ValueOf(want).Elem(), "UnknownEvent", false); d != "" {
			return newFinding("value-mismatch", d), reasons
		}
		return nil, reasons
	}
	want := reflect.New(reflect.TypeOf(ev.Data).Elem())
	if err := json.Unmarshal(env.Data, want.Interface()); err != nil {
		return nil, append(reasons, "data: "+generalize(err.Error()))
	}
	got := reflect.ValueOf(ev.Data).Elem()
	if d := diffValues(got, want.Elem(), got.Type().Name(), false); d != "" {
		return newFinding("value-mismatch", d), reasons
	}
	return nil, reasons
}

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// generalize drops the values from an error message so that messages group.
func generalize(msg string) string {
	msg = quoted.ReplaceAllString(msg, `"…"`)
	if i := strings.Index(msg, "cannot unmarshal number "); i >= 0 {
		rest := msg[i+len("cannot unmarshal number "):]
		if j := strings.IndexByte(rest, ' '); j >= 0 {
			msg = msg[:i] + "cannot unmarshal number N" + rest[j:]
		}
	}
	return msg
}

// fieldNames lists the JSON names of the struct fields of every event's
// data (found by parsing the documented examples) and of the envelope:
// the names encoding/json matches case-insensitively.
func fieldNames(tb testing.TB) map[string]bool {
	names := map[string]bool{"event": true, "id": true, "timestamp": true, "data": true}
	_, payloads := loadCorpus(tb)
	var add func(t reflect.Type)
	seen := map[reflect.Type]bool{}
	add = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice:
			add(t.Elem())
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "" {
					name = f.Name
				}
				names[name] = true
				add(f.Type)
			}
		}
	}
	for _, p := range payloads {
		if p.Kind != "example" {
			continue
		}
		if ev, err := krosai.Parse(p.Data); err == nil {
			add(reflect.TypeOf(ev.Data))
		}
	}
	return names
}

// keyHazards reports whether payload repeats a key in some object, or has
// a key that is not a field name but matches one under encoding/json's
// case-insensitive matching.
func keyHazards(payload []byte, names map[string]bool) (dup, fold bool) {
	dec := json.NewDecoder(strings.NewReader(string(payload)))
	type frame struct {
		object bool
		keys   map[string]bool
		isKey  bool // the next string token in this object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return dup, fold
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.object && top.isKey {
			if top.keys[s] {
				dup = true
			}
			top.keys[s] = true
			if !names[s] {
				for n := range names {
					if strings.EqualFold(s, n) {
						fold = true
					}
				}
			}
			top.isKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, isKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: in the enclosing object, a key comes next.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].isKey = true
		}
	}
}
