package krosai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

// loadDelivery is one callback run for one event.
type loadDelivery struct{ callback, id string }

// loadRecorder counts callback runs.
type loadRecorder struct {
	mu  sync.Mutex
	got map[loadDelivery]int
}

func (r *loadRecorder) add(callback, id string) {
	r.mu.Lock()
	r.got[loadDelivery{callback, id}]++
	r.mu.Unlock()
}

// onLoad registers a typed callback for D that records its runs and checks
// that it got the documented example's data, which every valid delivery of
// a known type carries.
func onLoad[D krosai.EventData](t *testing.T, h *krosai.Handler, rec *loadRecorder, want map[krosai.EventType]krosai.EventData) {
	name := fmt.Sprintf("%T", *new(D))
	krosai.On(h, func(_ context.Context, ev *krosai.Event, d D) error {
		if w, known := want[ev.Type]; known && !reflect.DeepEqual(krosai.EventData(d), w) {
			t.Errorf("%s got %#v for %s, want %#v", name, d, ev.ID, w)
		}
		rec.add(name, string(ev.ID))
		return nil
	})
}

// TestHandler_Load sends a mix of valid events of all 18 types (and two
// unknown ones), invalid payloads and duplicate deliveries over loopback
// HTTP from concurrent workers, and checks that every valid event reaches
// each matching callback exactly once, every invalid payload is answered
// 400 with its problems, and no goroutine is left behind.
func TestHandler_Load(t *testing.T) {
	total, workers := 20000, 32
	if testing.Short() {
		total = 2000
	}
	goroutinesBefore := runtime.NumGoroutine()

	// The data of every valid event is the documented example's.
	ex := examples(t)
	wantData := make(map[krosai.EventType]krosai.EventData)
	typedName := make(map[krosai.EventType]string)
	for _, et := range krosai.EventTypes() {
		ev, err := krosai.Parse(ex[et].Payload)
		mustNoErr(t, err)
		wantData[et] = ev.Data
		typedName[et] = fmt.Sprintf("%T", ev.Data)
	}

	h := krosai.NewHandler(krosai.WithLogger(nil))
	rec := &loadRecorder{got: make(map[loadDelivery]int)}
	onLoad[*krosai.CallInitiated](t, h, rec, wantData)
	onLoad[*krosai.CallRinging](t, h, rec, wantData)
	onLoad[*krosai.CallAnswered](t, h, rec, wantData)
	onLoad[*krosai.CallCompleted](t, h, rec, wantData)
	onLoad[*krosai.CallFailed](t, h, rec, wantData)
	onLoad[*krosai.PhoneNumberPurchased](t, h, rec, wantData)
	onLoad[*krosai.PhoneNumberReleased](t, h, rec, wantData)
	onLoad[*krosai.PhoneNumberUpdated](t, h, rec, wantData)
	onLoad[*krosai.EndpointCreated](t, h, rec, wantData)
	onLoad[*krosai.EndpointUpdated](t, h, rec, wantData)
	onLoad[*krosai.EndpointDeleted](t, h, rec, wantData)
	onLoad[*krosai.RecordingReady](t, h, rec, wantData)
	onLoad[*krosai.TranscriptReady](t, h, rec, wantData)
	onLoad[*krosai.PortRequestSubmitted](t, h, rec, wantData)
	onLoad[*krosai.PortRequestCompleted](t, h, rec, wantData)
	onLoad[*krosai.PortRequestFailed](t, h, rec, wantData)
	onLoad[*krosai.BalanceLow](t, h, rec, wantData)
	onLoad[*krosai.PaymentReceived](t, h, rec, wantData)
	onLoad[*krosai.UnknownEvent](t, h, rec, wantData)
	patterns := []string{"call.*", "*"}
	for _, p := range patterns {
		mustNoErr(t, h.OnPattern(p, func(_ context.Context, ev *krosai.Event) error {
			rec.add(p, string(ev.ID))
			return nil
		}))
	}
	expectedCallbacks := func(et krosai.EventType) []string {
		out := []string{"*krosai.UnknownEvent"}
		if et.Known() {
			out = []string{typedName[et]}
		}
		for _, p := range patterns {
			if krosai.Match(p, et) {
				out = append(out, p)
			}
		}
		return out
	}

	// The event types: all 18, and two the package does not know, one of
	// them in a known category.
	types := append(krosai.EventTypes(), "call.transferred", "billing.refunded")
	// Invalid payloads, each for a different reason.
	completed := string(ex[krosai.EventCallCompleted].Payload)
	invalid := []string{
		completed[:len(completed)/2], // truncated
		`not json`,
		``,
		`[]`,
		`null`,
		`{"event":"call.completed","timestamp":"2025-01-10T12:00:00Z","data":` + string(ex[krosai.EventCallCompleted].Data) + `}`, // no id
		eventJSON(krosai.EventCallCompleted, "evt-bad", string(ex[krosai.EventCallCompleted].Data)),                               // id pattern
		`{"event":"payment.received","id":"evt_bad_ts","timestamp":"yesterday","data":` + string(ex[krosai.EventPaymentReceived].Data) + `}`,
		eventJSON(krosai.EventCallRinging, "evt_bad_null", `{"call_id":null}`),
		eventJSON(krosai.EventCallInitiated, "evt_bad_phone", strings.Replace(string(ex[krosai.EventCallInitiated].Data), "+14155551234", "14155551234", 1)),
		eventJSON(krosai.EventBalanceLow, "evt_bad_float", `{"current_balance_cents":1.5,"threshold_cents":1000}`),
		eventJSON("call.transferred", "evt_bad_unknown", `[1]`),
	}
	for _, et := range krosai.EventTypes() {
		// Every event type has required data properties.
		invalid = append(invalid, eventJSON(et, "evt_bad_empty", `{}`))
	}
	for _, body := range invalid {
		if _, err := krosai.Parse([]byte(body)); err == nil {
			t.Fatalf("invalid payload parses: %s", body)
		}
	}

	// Build the request mix: 60% new valid events, 20% invalid payloads,
	// 20% redeliveries of a recent valid event.
	type job struct {
		body  string
		valid bool
	}
	type event struct {
		id  string
		typ krosai.EventType
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var jobs []job
	var events []event
	for i := range total {
		switch r := rng.IntN(10); {
		case r < 2 && len(events) > 0:
			// Half the redeliveries follow their event closely, so that
			// some arrive while it is still being handled.
			window := 500
			if r == 0 {
				window = 2
			}
			ev := events[len(events)-1-rng.IntN(min(len(events), window))]
			jobs = append(jobs, job{validEvent(t, ev.typ, ev.id), true})
		case r < 4:
			jobs = append(jobs, job{invalid[rng.IntN(len(invalid))], false})
		default:
			ev := event{fmt.Sprintf("evt_load_%d", i), types[rng.IntN(len(types))]}
			events = append(events, ev)
			jobs = append(jobs, job{validEvent(t, ev.typ, ev.id), true})
		}
	}
	seenTypes := make(map[krosai.EventType]bool)
	for _, ev := range events {
		seenTypes[ev.typ] = true
	}
	if len(seenTypes) != len(types) {
		t.Fatalf("the mix has %d event types, want %d", len(seenTypes), len(types))
	}

	srv := httptest.NewServer(h)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server at %s, want loopback", srv.URL)
	}
	transport := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	var ok, bad, conflicts, requests atomic.Int64
	queue := make(chan job)
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				for {
					requests.Add(1)
					resp, err := client.Post(srv.URL, "application/json", strings.NewReader(j.body))
					if err != nil {
						t.Errorf("POST: %v", err)
						break
					}
					respBody, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					if err != nil {
						t.Errorf("reading response: %v", err)
						break
					}
					if resp.StatusCode == http.StatusConflict && j.valid {
						// Another delivery of this id is in flight: retry, as KrosAI would.
						conflicts.Add(1)
						time.Sleep(time.Millisecond)
						continue
					}
					want := http.StatusOK
					if !j.valid {
						want = http.StatusBadRequest
					}
					if resp.StatusCode != want {
						t.Errorf("status %d, want %d, for %s: %s", resp.StatusCode, want, j.body, respBody)
					}
					switch resp.StatusCode {
					case http.StatusOK:
						ok.Add(1)
					case http.StatusBadRequest:
						bad.Add(1)
						var b responseBody
						if err := json.Unmarshal(respBody, &b); err != nil || b.Error == "" || len(b.Problems) == 0 {
							t.Errorf("400 without problems for %s: %s", j.body, respBody)
						}
					}
					break
				}
			}
		}()
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()
	elapsed := time.Since(start)

	transport.CloseIdleConnections()
	srv.Close()

	var wantOK, wantBad int64
	for _, j := range jobs {
		if j.valid {
			wantOK++
		} else {
			wantBad++
		}
	}
	if ok.Load() != wantOK || bad.Load() != wantBad {
		t.Errorf("%d answered 200 and %d answered 400; want %d and %d", ok.Load(), bad.Load(), wantOK, wantBad)
	}

	want := make(map[loadDelivery]int)
	for _, ev := range events {
		for _, cb := range expectedCallbacks(ev.typ) {
			want[loadDelivery{cb, ev.id}] = 1
		}
	}
	rec.mu.Lock()
	got := rec.got
	rec.mu.Unlock()
	var wrong int
	for d, n := range got {
		if want[d] != n {
			if wrong++; wrong <= 10 {
				t.Errorf("%s ran %d times for %s, want %d", d.callback, n, d.id, want[d])
			}
		}
	}
	for d := range want {
		if got[d] == 0 {
			if wrong++; wrong <= 10 {
				t.Errorf("%s never ran for %s", d.callback, d.id)
			}
		}
	}
	if wrong > 0 {
		t.Fatalf("%d callback runs wrong: every valid event must reach each matching callback exactly once", wrong)
	}

	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutinesBefore {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before, %d after:\n%s", goroutinesBefore, n, buf[:runtime.Stack(buf, true)])
	}

	t.Logf("%d deliveries (%d unique events of %d types, %d duplicates, %d invalid; %d requests incl. %d retries after 409; %d callback runs) by %d workers in %v: %.0f requests/s",
		len(jobs), len(events), len(seenTypes), wantOK-int64(len(events)), wantBad, requests.Load(), conflicts.Load(), len(want), workers,
		elapsed.Round(time.Millisecond), float64(requests.Load())/elapsed.Seconds())
}
