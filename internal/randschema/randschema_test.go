package randschema

import (
	"math/rand"
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
