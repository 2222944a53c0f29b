package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/schema"
)

// payload is one benchmark input: a documented example, or the large
// call.completed.
type payload struct {
	name  string // the event type, or largeName
	event krosai.EventType
	body  []byte
}

// largeName names the large call.completed in benchmark names.
const largeName = "call.completed-large"

// payloads returns every documented example, then the large call.completed.
func payloads(tb testing.TB) []payload {
	tb.Helper()
	set, err := schema.Default()
	if err != nil {
		tb.Fatal(err)
	}
	var out []payload
	for _, ev := range set.Events {
		for i, x := range ev.Examples {
			name := ev.Type
			if i > 0 {
				name = fmt.Sprintf("%s#%d", ev.Type, i)
			}
			out = append(out, payload{name, krosai.EventType(ev.Type), x})
		}
	}
	return append(out, payload{largeName, krosai.EventCallCompleted, largeCallCompleted()})
}

// largeCallCompleted builds a call.completed of about 80 KiB,
// deterministically: a transcript of about 64 KiB, with the escapes a real
// one has (quotes, newlines, tabs, backslashes, \u escapes) and non-ASCII
// text, and 200 metadata entries, some with escapes of their own.
func largeCallCompleted() []byte {
	lines := []string{
		`Agent: Thank you for calling KrosAI support, how can I help you today?`,
		`Caller: Hi, I'm calling about my "premium" plan — the invoice says €49.99.`,
		"Agent: Let me check that for you <one moment> & thanks.\tPlease hold…",
		`Caller: Sure. The reference is C:\accounts\2025\0110, if that helps.`,
		`Agent: I see it. The line item reads "Überweisung / transfer"; that's the card fee.`,
		`Caller: Ah, OK — and can you send it to jose.nuñez@example.com? ☎️ works too.`,
	}
	var transcript strings.Builder
	for i := 0; transcript.Len() < 64<<10; i++ {
		fmt.Fprintf(&transcript, "[%02d:%02d] %s\n", i/60%60, i%60, lines[i%len(lines)])
	}
	metadata := make(map[string]string, 200)
	for i := 0; i < 200; i++ {
		v := fmt.Sprintf("value %03d", i)
		if i%5 == 0 {
			v = fmt.Sprintf("tag \"%d\"\tline\nnext", i)
		}
		metadata[fmt.Sprintf("key_%03d", i)] = v
	}
	recording := "https://storage.krosai.com/recordings/call_large1.mp3"
	text := transcript.String()
	doc := map[string]any{
		"event":     "call.completed",
		"id":        "evt_large_0001",
		"timestamp": "2025-01-10T12:03:05Z",
		"data": map[string]any{
			"call_id":       "call_large1",
			"direction":     "inbound",
			"from_number":   "+14155551234",
			"to_number":     "+2348012345678",
			"duration":      1800,
			"cost_cents":    120,
			"hangup_cause":  "normal_clearing",
			"recording_url": recording,
			"transcript":    text,
			"metadata":      metadata,
		},
	}
	b, err := json.Marshal(doc) // escapes <, >, & and the quotes, tabs and newlines
	if err != nil {
		panic(err)
	}
	// Spell some non-ASCII as \u escapes, as some senders do.
	return []byte(strings.ReplaceAll(string(b), "€", `\u20ac`))
}
