package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/krosgen/krosgen/bench/internal/peergen"
	"github.com/krosgen/krosgen/gen/krosai"
)

// TestPeersDecodeWhatParseDecodes makes sure the comparison is fair: on every
// payload, each peer fills the same fields with the same values as Parse
// (compared through encoding/json, so that easyjson's copy of the types
// compares too), and none of them gives up early.
func TestPeersDecodeWhatParseDecodes(t *testing.T) {
	for _, p := range payloads(t) {
		ev, err := krosai.Parse(p.body)
		if err != nil {
			t.Fatalf("%s: Parse: %v", p.name, err)
		}
		want := canonical(t, map[string]any{"event": ev.Type, "id": ev.ID, "timestamp": ev.Timestamp, "data": ev.Data})
		for _, peer := range peers {
			v, err := peer.of(peerEvents[p.event])(p.body)
			if err != nil {
				t.Errorf("%s: %s: %v", p.name, peer.name, err)
				continue
			}
			if got := canonical(t, v); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s decodes\n%v\nParse decodes\n%v", p.name, peer.name, got, want)
			}
		}
	}
}

// TestLargePayload checks that the large call.completed is what the
// benchmarks say it is: valid, with a transcript of at least 64 KiB holding
// escapes, and 200 metadata entries.
func TestLargePayload(t *testing.T) {
	body := largeCallCompleted()
	ev, err := krosai.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	d := ev.Data.(*krosai.CallCompleted)
	if d.Transcript == nil || len(*d.Transcript) < 64<<10 {
		t.Fatalf("transcript too short")
	}
	for _, esc := range []string{`\"`, `\n`, `\t`, `\\`, `\u20ac`, `\u003c`} {
		if !bytes.Contains(body, []byte(esc)) {
			t.Errorf("the payload holds no %s escape", esc)
		}
	}
	if len(d.Metadata) != 200 {
		t.Errorf("%d metadata entries, want 200", len(d.Metadata))
	}
	if !bytes.Equal(body, largeCallCompleted()) {
		t.Error("the large payload is not deterministic")
	}
}

// TestPeerFilesUpToDate fails when the generated package changed and
// make bench-peers was not run.
func TestPeerFilesUpToDate(t *testing.T) {
	files, err := peergen.Render("../gen/krosai", "github.com/krosgen/krosgen/gen/krosai")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run make bench-peers", name)
		}
	}
}

// canonical is v as encoding/json renders it, decoded into plain values.
func canonical(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
