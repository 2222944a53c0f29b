// Package loadtest generates signed webhook deliveries of every event type
// (and of types the generated package does not know), sends them to
// receivers as a retrying sender would, and measures the answers.
package loadtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

// Secret signs every delivery.
var Secret = "whsec_" + base64.StdEncoding.EncodeToString([]byte("load-test-secret-0123456789abcdef"))

// UnknownTypes are event types the generated package does not know, one
// of them in a known category.
var UnknownTypes = []krosai.EventType{"call.transferred", "billing.refunded"}

// Send is one request to make.
type Send struct {
	EventID string
	Type    krosai.EventType
	Body    []byte
	// Replica is the receiver to send to first.
	Replica int
	// Duplicate is set on a redelivery of an event sent before.
	Duplicate bool
}

// Plan returns total sends, dupShare of them redeliveries of another send's
// event to a different replica, of every known and unknown event type, in
// random order (seeded, so a failure can be replayed).
func Plan(t testing.TB, total int, dupShare float64, replicas int, seed uint64) []Send {
	t.Helper()
	examples := documentedExamples(t)
	types := append(krosai.EventTypes(), UnknownTypes...)
	rng := rand.New(rand.NewPCG(seed, 0x6b726f73))
	dups := int(float64(total) * dupShare)
	events := total - dups
	sends := make([]Send, 0, total)
	for i := range events {
		et := types[i%len(types)]
		payload := map[string]json.RawMessage{}
		if src, ok := examples[et]; ok {
			if err := json.Unmarshal(src, &payload); err != nil {
				t.Fatal(err)
			}
		} else {
			payload["timestamp"] = json.RawMessage(`"2025-01-10T12:00:00Z"`)
			payload["data"] = json.RawMessage(`{"anything":true}`)
		}
		id := fmt.Sprintf("evt_load_%07d", i)
		payload["id"], _ = json.Marshal(id)
		payload["event"], _ = json.Marshal(et)
		body, err := json.Marshal(payload)
		if err != nil {
			t.Fatal(err)
		}
		sends = append(sends, Send{EventID: id, Type: et, Body: body, Replica: i % replicas})
	}
	for range dups {
		orig := sends[rng.IntN(events)]
		dup := orig
		dup.Duplicate = true
		if replicas > 1 {
			dup.Replica = (orig.Replica + 1 + rng.IntN(replicas-1)) % replicas
		}
		sends = append(sends, dup)
	}
	rng.Shuffle(len(sends), func(i, j int) { sends[i], sends[j] = sends[j], sends[i] })
	return sends
}

// documentedExamples reads the first example of every event schema.
func documentedExamples(t testing.TB) map[krosai.EventType][]byte {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for !exists(filepath.Join(dir, "schema", "events")) {
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no schema/events above the working directory")
		}
		dir = parent
	}
	files, err := filepath.Glob(filepath.Join(dir, "schema", "events", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[krosai.EventType][]byte{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Examples []json.RawMessage `json:"examples"`
		}
		if err := json.Unmarshal(src, &s); err != nil || len(s.Examples) == 0 {
			t.Fatalf("%s: no examples (%v)", f, err)
		}
		ev, err := krosai.Parse(s.Examples[0])
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[ev.Type] = s.Examples[0]
	}
	for _, et := range krosai.EventTypes() {
		if out[et] == nil {
			t.Fatalf("no example of %s", et)
		}
	}
	return out
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Sender posts sends to receivers as a webhook sender does: signed, with
// a timeout, retrying (on the next replica) until it gets a 2xx answer.
type Sender struct {
	URLs    []string
	Workers int
	Timeout time.Duration // per request; a sender gives up and retries after it
	Backoff time.Duration // before a retry
	// Retries caps the attempts per send; the test fails beyond it.
	Retries int
}

// Result is what the receivers answered.
type Result struct {
	Requests  int
	Codes     map[int]int // by status; 0 counts timeouts and transport errors
	Final     map[string]int
	Latencies []time.Duration // of every answered request
	Elapsed   time.Duration
	Failures  []string
}

// Run sends every send and waits for the last answer.
func (s Sender) Run(ctx context.Context, sends []Send) Result {
	client := &http.Client{
		Timeout:   s.Timeout,
		Transport: &http.Transport{MaxIdleConnsPerHost: s.Workers, MaxConnsPerHost: s.Workers * 2, IdleConnTimeout: time.Minute},
	}
	defer client.CloseIdleConnections()
	work := make(chan Send)
	var mu sync.Mutex
	res := Result{Codes: map[int]int{}, Final: map[string]int{}}
	start := time.Now()
	var wg sync.WaitGroup
	for range s.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			codes := map[int]int{}
			var failures []string
			for snd := range work {
				replica := snd.Replica
				for attempt := 0; ; attempt++ {
					t0 := time.Now()
					code := s.post(ctx, client, s.URLs[replica], snd)
					if code != 0 {
						lat = append(lat, time.Since(t0))
					}
					codes[code]++
					if code >= 200 && code < 300 {
						break
					}
					if attempt >= s.Retries || ctx.Err() != nil {
						failures = append(failures, fmt.Sprintf("%s: gave up after %d attempts, last status %d", snd.EventID, attempt+1, code))
						break
					}
					if code == 0 || code >= 500 {
						replica = (replica + 1) % len(s.URLs) // that replica may be dead
					}
					time.Sleep(s.Backoff)
				}
			}
			mu.Lock()
			res.Latencies = append(res.Latencies, lat...)
			for c, n := range codes {
				res.Codes[c] += n
				res.Requests += n
			}
			res.Failures = append(res.Failures, failures...)
			mu.Unlock()
		}()
	}
	for _, snd := range sends {
		work <- snd
	}
	close(work)
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res
}

// post sends one signed request and returns the status, or 0.
func (s Sender) post(ctx context.Context, client *http.Client, url string, snd Send) int {
	hdr, err := krosai.SignStandard(Secret, snd.EventID, time.Now(), snd.Body)
	if err != nil {
		return 0
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(snd.Body))
	if err != nil {
		return 0
	}
	req.Header = hdr
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// Quantile returns the q-quantile of the latencies.
func (r Result) Quantile(q float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	l := slices.Clone(r.Latencies)
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	return l[min(len(l)-1, int(q*float64(len(l))))]
}

// Throughput is sends answered 2xx per second.
func (r Result) Throughput(sends int) float64 { return float64(sends) / r.Elapsed.Seconds() }
