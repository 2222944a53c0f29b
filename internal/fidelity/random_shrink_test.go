package fidelity

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/krosgen/krosgen/internal/randschema"
)

// shrinkBudget bounds the time spent shrinking one finding.
const shrinkBudget = 6 * time.Minute

// shrinkChunk is how many candidate sets are built at once.
const shrinkChunk = 12

// shrinkFinding simplifies a finding's schema set, then its payload, one
// step at a time, keeping a step when the same class of disagreement
// remains: a small reproducer for the regression suite.
func shrinkFinding(t *testing.T, f randomFinding) randomFinding {
	dir := t.TempDir()
	cur := f
	deadline := time.Now().Add(shrinkBudget)
	steps := 0
	for time.Now().Before(deadline) {
		next, ok := shrinkSchemaStep(t, dir, cur, deadline)
		if !ok && cur.payload.Data != nil {
			next, ok = shrinkPayloadStep(t, dir, cur)
		}
		if !ok {
			break
		}
		cur = next
		steps++
	}
	t.Logf("shrank %s in %d steps: %d → %d bytes of schema", f.class, steps, setSize(f.rs.set), setSize(cur.rs.set))
	return cur
}

func setSize(s *randschema.Set) int {
	n := 0
	for _, b := range s.Files() {
		n += len(b)
	}
	return n
}

// shrinkSchemaStep tries the set's reductions, a chunk at a time, and
// returns the first that keeps the class.
func shrinkSchemaStep(t *testing.T, dir string, cur randomFinding, deadline time.Time) (randomFinding, bool) {
	var reds []randschema.Reduction
	for _, r := range cur.rs.set.Reductions(cur.rs.seed) {
		if cur.payload.Event == "" || hasType(r.Set, cur.payload.Event) {
			reds = append(reds, r)
		}
	}
	for start := 0; start < len(reds) && time.Now().Before(deadline); start += shrinkChunk {
		chunk := reds[start:min(start+shrinkChunk, len(reds))]
		var sets []*randomSet
		for i, r := range chunk {
			rs := &randomSet{index: cur.rs.index, seed: cur.rs.seed, set: r.Set, fsys: r.Set.FS(), types: r.Set.Types(), pkg: "c" + strconv.Itoa(i)}
			var err error
			if rs.loaded, err = r.Set.Load(); err != nil {
				continue
			}
			if cur.payload.Data != nil {
				rs.payloads = []Payload{cur.payload}
			}
			rs.generate()
			sets = append(sets, rs)
		}
		hits := evaluate(t, dir, sets)
		for _, rs := range sets {
			for _, h := range hits {
				if h.rs == rs && h.class == cur.class {
					return h, true
				}
			}
		}
	}
	return cur, false
}

func hasType(s *randschema.Set, typ string) bool {
	for _, t := range s.Types() {
		if t == typ {
			return true
		}
	}
	return false
}

// shrinkPayloadStep tries simpler payloads on the same set.
func shrinkPayloadStep(t *testing.T, dir string, cur randomFinding) (randomFinding, bool) {
	doc, err := randschema.Decode(cur.payload.Data)
	if err != nil {
		return cur, false
	}
	rs := &randomSet{index: cur.rs.index, seed: cur.rs.seed, set: cur.rs.set, fsys: cur.rs.fsys, types: cur.rs.types, loaded: cur.rs.loaded, pkg: "p0"}
	for _, v := range randschema.SimplerValues(doc) {
		data := randschema.Encode(v)
		if !bytes.Equal(data, cur.payload.Data) && len(data) <= len(cur.payload.Data) {
			rs.payloads = append(rs.payloads, Payload{Event: cur.payload.Event, Kind: cur.payload.Kind, At: cur.payload.At, Data: data})
		}
	}
	if len(rs.payloads) == 0 {
		return cur, false
	}
	rs.generate()
	for _, h := range evaluate(t, dir, []*randomSet{rs}) {
		if h.class == cur.class {
			return h, true
		}
	}
	return cur, false
}

// evaluate generates, builds and checks sets, returning every finding.
func evaluate(t *testing.T, dir string, sets []*randomSet) []randomFinding {
	st := newRandomStats()
	st.keepAll = true
	mod := filepath.Join(dir, "mod")
	os.RemoveAll(mod)
	if err := checkBatch(mod, "", sets, st); err != nil {
		t.Logf("shrinking: %v", err)
		return nil
	}
	return st.all
}
