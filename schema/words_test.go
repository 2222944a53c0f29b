package schema_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/internal/fidelity"
	"github.com/krosgen/krosgen/schema"
)

// TestCheckSpeaksLikeParse holds Check to the generated Parse over the
// mutation corpus of every documented example: the same verdict, the same
// problems in the same words (Check sorts them; Parse's are sorted here).
func TestCheckSpeaksLikeParse(t *testing.T) {
	set := defaultSet(t)
	var examples []fidelity.Example
	var types []string
	for _, ev := range set.Events {
		types = append(types, ev.Type)
		for _, x := range ev.Examples {
			examples = append(examples, fidelity.Example{Type: ev.Type, Raw: x})
		}
	}
	corpus, err := fidelity.Corpus(examples, types)
	if err != nil {
		t.Fatal(err)
	}
	validated, err := generator.ValidatedSchemas(set)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		corpus = corpus[:len(corpus)/4]
	}
	mismatches := map[string]int{}
	var first []string
	compared := 0
	for _, p := range corpus {
		_, perr := krosai.Parse(p.Data)
		var pve *krosai.ValidationError
		if !errors.As(perr, &pve) {
			continue // valid, or not JSON: the verdict is compared below
		}
		v := set.Check(p.Data, validated)
		var cve *schema.ValidationError
		if !errors.As(v.Err, &cve) {
			t.Errorf("%s: Parse finds %v, Check finds %v", p, perr, v.Err)
			continue
		}
		compared++
		var want []schema.Problem
		for _, pr := range pve.Problems {
			want = append(want, schema.Problem{Pointer: pr.Pointer, Message: pr.Message})
		}
		schema.SortProblems(want)
		if got, exp := render(cve.Problems), render(want); got != exp {
			key := p.Kind
			if mismatches[key]++; mismatches[key] == 1 && len(first) < 15 {
				first = append(first, fmt.Sprintf("%s:\n  Check: %s\n  Parse: %s", p, got, exp))
			}
		}
	}
	if len(mismatches) > 0 {
		var kinds []string
		for k, n := range mismatches {
			kinds = append(kinds, fmt.Sprintf("%s×%d", k, n))
		}
		sort.Strings(kinds)
		t.Errorf("Check and Parse word problems differently (%s):\n%s", strings.Join(kinds, ", "), strings.Join(first, "\n"))
	}
	if compared < 1000 {
		t.Errorf("compared only %d invalid payloads", compared)
	}
	t.Logf("%d invalid payloads worded alike", compared)
}

func render(ps []schema.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + "; ")
	}
	return b.String()
}

// TestCheckUnknownEvent: an event type without a schema is checked against
// the envelope alone, as Parse does.
func TestCheckUnknownEvent(t *testing.T) {
	set := defaultSet(t)
	v := set.Check([]byte(`{"event":"call.teleported","id":"evt_1","timestamp":"2025-01-10T12:00:00Z","data":{"anything":1}}`), nil)
	if v.Known || v.Event != "call.teleported" || v.Err != nil {
		t.Fatalf("got %+v", v)
	}
	v = set.Check([]byte(`{"event":"call.teleported","id":"x","timestamp":"2025-01-10T12:00:00Z","data":{}}`), nil)
	var ve *schema.ValidationError
	if v.Known || !errors.As(v.Err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Pointer != "/id" {
		t.Fatalf("got %+v", v)
	}
}
