package randschema

import (
	"math/rand"
	"strings"
	"testing"
)

// TestNewDrawsLoadableSetsWithValidExamples draws many sets with every
// feature on: each must load with the reference loader (meta-valid, every
// $ref resolving) and every example must be valid under its event schema.
func TestNewDrawsLoadableSetsWithValidExamples(t *testing.T) {
	n := 120
	if testing.Short() {
		n = 40
	}
	trivial := 0
	for seed := int64(0); seed < int64(n); seed++ {
		s, err := New(rand.New(rand.NewSource(seed)), All())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		loaded, err := s.Load()
		if err != nil {
			t.Fatalf("seed %d: the completed set does not load: %v", seed, err)
		}
		for _, ev := range loaded.Events {
			if len(ev.Examples) == 0 {
				t.Fatalf("seed %d: %s has no example", seed, ev.Type)
			}
			for _, x := range ev.Examples {
				if err := ev.Validate(x); err != nil {
					t.Errorf("seed %d: example of %s is invalid: %v\n%s", seed, ev.Type, err, x)
				}
			}
		}
		for _, ev := range s.Events {
			if len(ev.Data.Properties) == 1 && ev.Data.Properties[0].Name == "id" && ev.Data.Required != nil {
				trivial++
			}
		}
	}
	t.Logf("%d sets; %d events fell back to trivial data", n, trivial)
}

// TestMutate checks that Mutate changes the set (its files differ), names
// each edit, leaves the original alone, and gives a set that loads with
// valid examples.
func TestMutate(t *testing.T) {
	mutated := 0
	kinds := map[string]int{}
	for seed := int64(0); seed < 80; seed++ {
		rng := rand.New(rand.NewSource(seed))
		s, err := New(rng, Exact())
		if err != nil {
			t.Fatal(err)
		}
		before := s.Files()
		m, edits := Mutate(s, rng)
		after := s.Files()
		for name, b := range before {
			if string(after[name]) != string(b) {
				t.Fatalf("seed %d: Mutate changed the original's %s", seed, name)
			}
		}
		if m == nil {
			continue
		}
		mutated++
		if len(edits) == 0 {
			t.Errorf("seed %d: a mutated set without edits", seed)
		}
		for _, e := range edits {
			kinds[strings.Fields(e)[0]]++
		}
		loaded, err := m.Load()
		if err != nil {
			t.Fatalf("seed %d: mutated set (%v) does not load: %v", seed, edits, err)
		}
		for _, ev := range loaded.Events {
			for _, x := range ev.Examples {
				if err := ev.Validate(x); err != nil {
					t.Errorf("seed %d: after %v, example of %s is invalid: %v", seed, edits, ev.Type, err)
				}
			}
		}
	}
	if mutated < 60 {
		t.Errorf("only %d of 80 sets mutated", mutated)
	}
	t.Logf("%d sets mutated; edits by verb: %v", mutated, kinds)
}
