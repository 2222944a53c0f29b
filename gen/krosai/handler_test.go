package krosai_test

// Tests of the webhook Handler against the generated event types. They use
// only the exported API and the standard library. The payloads are the
// documented examples, read from ../../schema/events at test time, so that
// the tests follow the schemas rather than a copy of them.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

// --- shared helpers (used by every test file of package krosai_test) ---

// example is the first documented example of one event schema.
type example struct {
	Type    krosai.EventType
	Payload []byte          // the example as in the schema
	Data    json.RawMessage // its "data" member
}

// loadExamples reads the first example of every schema in
// ../../schema/events, keyed by event type.
var loadExamples = sync.OnceValues(func() (map[krosai.EventType]example, error) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "schema", "events", "*.json"))
	if err != nil {
		return nil, err
	}
	out := make(map[krosai.EventType]example)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var s struct {
			Examples []json.RawMessage `json:"examples"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if len(s.Examples) == 0 {
			return nil, fmt.Errorf("%s: no examples", p)
		}
		var env struct {
			Event krosai.EventType `json:"event"`
			Data  json.RawMessage  `json:"data"`
		}
		if err := json.Unmarshal(s.Examples[0], &env); err != nil {
			return nil, fmt.Errorf("%s: example: %w", p, err)
		}
		if _, dup := out[env.Event]; dup {
			return nil, fmt.Errorf("%s: second example of %s", p, env.Event)
		}
		out[env.Event] = example{Type: env.Event, Payload: s.Examples[0], Data: env.Data}
	}
	return out, nil
})

// examples returns the documented examples, one per known event type.
func examples(t testing.TB) map[krosai.EventType]example {
	t.Helper()
	m, err := loadExamples()
	if err != nil {
		t.Fatalf("loading examples: %v", err)
	}
	if len(m) != len(krosai.EventTypes()) {
		t.Fatalf("%d examples for %d event types", len(m), len(krosai.EventTypes()))
	}
	for _, et := range krosai.EventTypes() {
		if _, ok := m[et]; !ok {
			t.Fatalf("no example for %s", et)
		}
	}
	return m
}

// validData returns valid data for event type et: the documented example's
// for a known type, any object for an unknown one.
func validData(t testing.TB, et krosai.EventType) string {
	t.Helper()
	if !et.Known() {
		return `{"anything":true}`
	}
	return string(examples(t)[et].Data)
}

// eventJSON returns a webhook payload.
func eventJSON(typ krosai.EventType, id, data string) string {
	return fmt.Sprintf(`{"event":%q,"id":%q,"timestamp":"2025-01-10T12:00:00Z","data":%s}`, typ, id, data)
}

// validEvent returns a valid payload of type et with the given id.
func validEvent(t testing.TB, et krosai.EventType, id string) string {
	t.Helper()
	return eventJSON(et, id, validData(t, et))
}

// post sends body to h as a POST and records the response.
func post(h http.Handler, body string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/webhooks", strings.NewReader(body)))
	return w
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testLogger(buf *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// responseBody is the JSON body of every Handler response.
type responseBody struct {
	Status   string           `json:"status"`
	Error    string           `json:"error"`
	Problems []krosai.Problem `json:"problems"`
}

// decodeBody checks that w holds a JSON response and decodes it.
func decodeBody(t testing.TB, w *httptest.ResponseRecorder) responseBody {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	var b responseBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("response body is not JSON: %v\n%s", err, w.Body.String())
	}
	return b
}

// wantCode fails the test unless w has the status code want.
func wantCode(t testing.TB, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("status %d, want %d; body: %s", w.Code, want, w.Body.String())
	}
}

// wantStatus fails the test unless w is a 200 whose body has the given status.
func wantStatus(t testing.TB, w *httptest.ResponseRecorder, status string) {
	t.Helper()
	wantCode(t, w, http.StatusOK)
	if got := decodeBody(t, w).Status; got != status {
		t.Fatalf("status %q, want %q", got, status)
	}
}

func wantCount[T ~int32 | ~int64](t testing.TB, name string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %d, want %d", name, got, want)
	}
}

func mustNoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// --- tests ---

func TestExamplesCoverEveryEventType(t *testing.T) {
	ex := examples(t)
	for _, et := range krosai.EventTypes() {
		ev, err := krosai.Parse(ex[et].Payload)
		if err != nil {
			t.Fatalf("%s: %v", et, err)
		}
		if ev.Type != et || ev.Data.EventType() != et {
			t.Fatalf("%s: parsed as %s with %T", et, ev.Type, ev.Data)
		}
	}
}

func TestHandler_StatusCodes(t *testing.T) {
	valid := validEvent(t, krosai.EventCallCompleted, "evt_004")
	// call.completed data without its call_id.
	var noCallID map[string]any
	mustNoErr(t, json.Unmarshal([]byte(validData(t, krosai.EventCallCompleted)), &noCallID))
	delete(noCallID, "call_id")
	noCallIDData, err := json.Marshal(noCallID)
	mustNoErr(t, err)

	type counters struct{ typed, all atomic.Int32 }
	cases := []struct {
		name    string
		opts    []krosai.HandlerOption
		setup   func(t *testing.T, h *krosai.Handler, c *counters)
		method  string
		body    string
		chunked bool // unknown Content-Length
		repeat  int  // send the request this many times (default 1); checks apply to the last
		want    int
		check   func(t *testing.T, w *httptest.ResponseRecorder, c *counters, logs string)
	}{
		{name: "GET is 405 with Allow", method: http.MethodGet, want: http.StatusMethodNotAllowed,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				if got := w.Header().Get("Allow"); got != "POST" {
					t.Errorf("Allow = %q, want POST", got)
				}
			}},
		{name: "PUT is 405 with Allow", method: http.MethodPut, body: valid, want: http.StatusMethodNotAllowed,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				if got := w.Header().Get("Allow"); got != "POST" {
					t.Errorf("Allow = %q, want POST", got)
				}
				wantCount(t, "typed calls", c.typed.Load(), 0)
			}},
		{name: "HEAD is 405", method: http.MethodHead, want: http.StatusMethodNotAllowed},
		{name: "body over limit is 413", opts: []krosai.HandlerOption{krosai.WithMaxBodyBytes(64)}, body: valid, want: http.StatusRequestEntityTooLarge,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, _ string) {
				wantCount(t, "typed calls", c.typed.Load(), 0)
			}},
		{name: "chunked body over limit is 413", opts: []krosai.HandlerOption{krosai.WithMaxBodyBytes(64)}, body: valid, chunked: true, want: http.StatusRequestEntityTooLarge,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, _ string) {
				wantCount(t, "typed calls", c.typed.Load(), 0)
			}},
		{name: "body one byte over limit is 413", opts: []krosai.HandlerOption{krosai.WithMaxBodyBytes(int64(len(valid) - 1))}, body: valid, chunked: true, want: http.StatusRequestEntityTooLarge},
		{name: "body at limit is accepted", opts: []krosai.HandlerOption{krosai.WithMaxBodyBytes(int64(len(valid)))}, body: valid, chunked: true, want: http.StatusOK},
		{name: "verifier failure is 401",
			opts: []krosai.HandlerOption{krosai.WithVerifier(func(*http.Request, []byte) error { return errors.New("bad signature") })},
			body: valid, want: http.StatusUnauthorized,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, logs string) {
				wantCount(t, "typed calls", c.typed.Load(), 0)
				if strings.Contains(w.Body.String(), "bad signature") {
					t.Error("the cause is returned to the sender; it should only be logged")
				}
				if !strings.Contains(logs, "bad signature") || !strings.Contains(logs, "level=WARN") {
					t.Errorf("cause not logged at WARN:\n%s", logs)
				}
			}},
		{name: "verifier sees the raw body",
			opts: []krosai.HandlerOption{krosai.WithVerifier(func(r *http.Request, body []byte) error {
				if r.Method != http.MethodPost || string(body) != valid {
					return errors.New("wrong input")
				}
				return nil
			})},
			body: valid, want: http.StatusOK},
		{name: "verifier panic is 500",
			opts: []krosai.HandlerOption{krosai.WithVerifier(func(*http.Request, []byte) error { panic("verifier bug") })},
			body: valid, want: http.StatusInternalServerError,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, logs string) {
				wantCount(t, "typed calls", c.typed.Load(), 0)
				if !strings.Contains(logs, "verifier bug") {
					t.Errorf("panic not logged:\n%s", logs)
				}
			}},
		{name: "malformed JSON is 400", body: `{"event": "call.completed",`, want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				b := decodeBody(t, w)
				if b.Error != "malformed JSON" || len(b.Problems) != 1 || b.Problems[0].Pointer != "" || !strings.Contains(b.Problems[0].Message, "offset") {
					t.Errorf("body %+v", b)
				}
			}},
		{name: "empty body is 400", body: "", want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				if b := decodeBody(t, w); b.Error != "malformed JSON" {
					t.Errorf("body %+v", b)
				}
			}},
		{name: "non-object is 400", body: `[1,2]`, want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				b := decodeBody(t, w)
				if len(b.Problems) != 1 || b.Problems[0].Pointer != "" {
					t.Errorf("body %+v", b)
				}
			}},
		{name: "missing id is 400",
			body: `{"event":"call.completed","timestamp":"2025-01-10T12:00:00Z","data":` + validData(t, krosai.EventCallCompleted) + `}`,
			want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, logs string) {
				b := decodeBody(t, w)
				if b.Error != "invalid payload" || len(b.Problems) != 1 || b.Problems[0].Pointer != "/id" || !strings.Contains(b.Problems[0].Message, "missing") {
					t.Errorf("body %+v", b)
				}
				wantCount(t, "typed calls", c.typed.Load(), 0)
				wantCount(t, "* calls", c.all.Load(), 0)
				if !strings.Contains(logs, "level=WARN") {
					t.Errorf("rejection not logged at WARN:\n%s", logs)
				}
			}},
		{name: "missing data field is 400 naming /data/call_id", body: eventJSON(krosai.EventCallCompleted, "evt_004", string(noCallIDData)), want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				b := decodeBody(t, w)
				if len(b.Problems) != 1 || b.Problems[0].Pointer != "/data/call_id" {
					t.Errorf("body %+v", b)
				}
			}},
		{name: "several problems are all listed in the 400 body",
			body: `{"event":"call.failed","id":"evt 5","timestamp":"2025-01-10T12:00:30Z","data":{"call_id":"call_abc123","direction":"sideways","from_number":"12345","to_number":"+14155551234","error_code":"NETWORK_ERROR","error_message":"x"}}`,
			want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				b := decodeBody(t, w)
				var ptrs []string
				for _, p := range b.Problems {
					ptrs = append(ptrs, p.Pointer)
					if p.Message == "" {
						t.Errorf("problem %q has no message", p.Pointer)
					}
				}
				if want := []string{"/id", "/data/direction", "/data/from_number"}; !reflect.DeepEqual(ptrs, want) {
					t.Errorf("pointers %q, want %q", ptrs, want)
				}
			}},
		{name: "handled is 200", body: valid, want: http.StatusOK,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				if got := decodeBody(t, w).Status; got != "handled" {
					t.Errorf("status %q", got)
				}
				wantCount(t, "typed calls", c.typed.Load(), 1)
				wantCount(t, "* calls", c.all.Load(), 1)
			}},
		{name: "no handler is 200 ignored", setup: func(*testing.T, *krosai.Handler, *counters) {}, body: valid, want: http.StatusOK,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				if got := decodeBody(t, w).Status; got != "ignored" {
					t.Errorf("status %q", got)
				}
			}},
		{name: "no matching handler is 200 ignored",
			setup: func(_ *testing.T, h *krosai.Handler, c *counters) {
				krosai.On(h, func(context.Context, *krosai.Event, *krosai.PaymentReceived) error { c.typed.Add(1); return nil })
				krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallFailed) error { c.typed.Add(1); return nil })
			},
			body: valid, want: http.StatusOK,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				wantCount(t, "typed calls", c.typed.Load(), 0)
				if got := decodeBody(t, w).Status; got != "ignored" {
					t.Errorf("status %q", got)
				}
			}},
		{name: "unknown event type is 200", body: eventJSON("call.transferred", "evt_x", `{"to":"+1"}`), want: http.StatusOK,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, _ string) {
				wantCount(t, "typed calls", c.typed.Load(), 0)
				wantCount(t, "* calls", c.all.Load(), 1)
			}},
		{name: "callback error is 500",
			setup: func(_ *testing.T, h *krosai.Handler, c *counters) {
				krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error {
					c.typed.Add(1)
					return errors.New("db down")
				})
			},
			body: valid, want: http.StatusInternalServerError,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, logs string) {
				wantCount(t, "typed calls", c.typed.Load(), 1)
				if strings.Contains(w.Body.String(), "db down") {
					t.Error("the cause is returned to the sender; it should only be logged")
				}
				for _, s := range []string{"db down", "evt_004", "level=ERROR", "On[*krosai.CallCompleted]"} {
					if !strings.Contains(logs, s) {
						t.Errorf("log lacks %q:\n%s", s, logs)
					}
				}
			}},
		{name: "callback panic is 500 and logged with its stack",
			setup: func(t *testing.T, h *krosai.Handler, c *counters) {
				krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { c.typed.Add(1); panic("boom") })
				mustNoErr(t, h.OnPattern("*", func(context.Context, *krosai.Event) error { c.all.Add(1); return nil }))
			},
			body: valid, want: http.StatusInternalServerError,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, logs string) {
				wantCount(t, "typed calls", c.typed.Load(), 1)
				wantCount(t, "* calls (later callbacks still run)", c.all.Load(), 1)
				for _, s := range []string{"recovered panic", "boom", "handler_test.go"} {
					if !strings.Contains(logs, s) {
						t.Errorf("log lacks %q:\n%s", s, logs)
					}
				}
			}},
		{name: "duplicate id is 200 without calling again", body: valid, repeat: 3, want: http.StatusOK,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				if got := decodeBody(t, w).Status; got != "duplicate" {
					t.Errorf("status %q", got)
				}
				wantCount(t, "typed calls", c.typed.Load(), 1)
				wantCount(t, "* calls", c.all.Load(), 1)
			}},
		{name: "duplicates are recognised by id, not body", body: valid, repeat: 2, want: http.StatusOK,
			setup: func(t *testing.T, h *krosai.Handler, c *counters) {
				krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { c.typed.Add(1); return nil })
				// The first delivery has the same id, different data.
				other := strings.Replace(validData(t, krosai.EventCallCompleted), "call_abc123", "call_other", 1)
				wantStatus(t, post(h, eventJSON(krosai.EventCallCompleted, "evt_004", other)), "handled")
			},
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				if got := decodeBody(t, w).Status; got != "duplicate" {
					t.Errorf("status %q", got)
				}
				wantCount(t, "typed calls", c.typed.Load(), 1)
			}},
		{name: "deduplicator failure is 500",
			opts: []krosai.HandlerOption{krosai.WithDeduplicator(failingDedup{})},
			body: valid, want: http.StatusInternalServerError,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, logs string) {
				wantCount(t, "typed calls", c.typed.Load(), 0)
				if !strings.Contains(logs, "store unavailable") {
					t.Errorf("cause not logged:\n%s", logs)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			var c counters
			h := krosai.NewHandler(append([]krosai.HandlerOption{krosai.WithLogger(testLogger(&logs))}, tc.opts...)...)
			if tc.setup != nil {
				tc.setup(t, h, &c)
			} else {
				krosai.On(h, func(_ context.Context, ev *krosai.Event, data *krosai.CallCompleted) error {
					if data == nil || data.CallID == "" || ev.Data != krosai.EventData(data) {
						return errors.New("bad data")
					}
					c.typed.Add(1)
					return nil
				})
				mustNoErr(t, h.OnPattern("*", func(context.Context, *krosai.Event) error { c.all.Add(1); return nil }))
			}
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			var w *httptest.ResponseRecorder
			for range max(tc.repeat, 1) {
				w = httptest.NewRecorder()
				r := httptest.NewRequest(method, "/webhooks", strings.NewReader(tc.body))
				if tc.chunked {
					r.ContentLength = -1
				}
				h.ServeHTTP(w, r)
			}
			wantCode(t, w, tc.want)
			if method != http.MethodHead {
				b := decodeBody(t, w) // every response is JSON
				if tc.want >= 400 && b.Error == "" {
					t.Errorf("error response without an error message: %s", w.Body.String())
				}
				if tc.want < 400 && b.Status == "" {
					t.Errorf("success response without a status: %s", w.Body.String())
				}
			}
			if tc.check != nil {
				tc.check(t, w, &c, logs.String())
			}
		})
	}
}

func TestHandler_ConflictWhileInFlight(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	var n atomic.Int32
	entered := make(chan struct{})
	release := make(chan struct{})
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error {
		if n.Add(1) == 1 {
			close(entered)
			<-release
		}
		return nil
	})
	body := validEvent(t, krosai.EventCallCompleted, "evt_004")
	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- post(h, body) }()
	<-entered

	// While the first delivery runs, a redelivery is refused with 409 and
	// Retry-After, so that KrosAI retries it later.
	w := post(h, body)
	wantCode(t, w, http.StatusConflict)
	if got := w.Header().Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	if b := decodeBody(t, w); b.Error == "" {
		t.Errorf("409 without an error message: %s", w.Body.String())
	}
	close(release)
	wantStatus(t, <-first, "handled")
	wantStatus(t, post(h, body), "duplicate")
	wantCount(t, "calls", n.Load(), 1)
}

// record is a goroutine-safe list of callback names.
type record struct {
	mu    sync.Mutex
	calls []string
}

func (r *record) add(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, name)
}

func (r *record) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.calls
	r.calls = nil
	return c
}

func TestHandler_OrderAndAllRun(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	var rec record
	var failC atomic.Bool
	failC.Store(true)
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { rec.add("A"); return nil })
	mustNoErr(t, h.OnPattern("*", func(context.Context, *krosai.Event) error { rec.add("B"); return nil }))
	mustNoErr(t, h.OnPattern("call.*", func(context.Context, *krosai.Event) error {
		rec.add("C")
		if failC.Load() {
			return errors.New("C failed")
		}
		return nil
	}))
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallFailed) error { rec.add("X"); return nil })
	mustNoErr(t, h.OnPattern("payment.*", func(context.Context, *krosai.Event) error { rec.add("Y"); return nil }))
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { rec.add("D"); panic("D panicked") })
	mustNoErr(t, h.OnPattern("call.completed", func(context.Context, *krosai.Event) error { rec.add("E"); return nil }))

	body := validEvent(t, krosai.EventCallCompleted, "evt_order")
	want := []string{"A", "B", "C", "D", "E"}
	wantCode(t, post(h, body), http.StatusInternalServerError)
	if got := rec.take(); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls %q, want %q: all matching callbacks run, in registration order, despite errors", got, want)
	}
	// The retry runs everything again, since the event was not recorded.
	failC.Store(false)
	wantCode(t, post(h, body), http.StatusInternalServerError)
	if got := rec.take(); !reflect.DeepEqual(got, want) {
		t.Fatalf("retry: calls %q, want %q", got, want)
	}
}

// onRecord registers a typed callback for D that records its name and
// checks that it got the event's data.
func onRecord[D krosai.EventData](t *testing.T, h *krosai.Handler, rec *record) {
	name := fmt.Sprintf("%T", *new(D))
	krosai.On(h, func(_ context.Context, ev *krosai.Event, d D) error {
		if any(d) == nil || krosai.EventData(d) != ev.Data {
			t.Errorf("%s: got %v for an event with data %v", name, d, ev.Data)
		}
		rec.add(name)
		return nil
	})
}

// onAllTypes registers a typed callback for each of the 18 event types.
func onAllTypes(t *testing.T, h *krosai.Handler, rec *record) {
	onRecord[*krosai.CallInitiated](t, h, rec)
	onRecord[*krosai.CallRinging](t, h, rec)
	onRecord[*krosai.CallAnswered](t, h, rec)
	onRecord[*krosai.CallCompleted](t, h, rec)
	onRecord[*krosai.CallFailed](t, h, rec)
	onRecord[*krosai.PhoneNumberPurchased](t, h, rec)
	onRecord[*krosai.PhoneNumberReleased](t, h, rec)
	onRecord[*krosai.PhoneNumberUpdated](t, h, rec)
	onRecord[*krosai.EndpointCreated](t, h, rec)
	onRecord[*krosai.EndpointUpdated](t, h, rec)
	onRecord[*krosai.EndpointDeleted](t, h, rec)
	onRecord[*krosai.RecordingReady](t, h, rec)
	onRecord[*krosai.TranscriptReady](t, h, rec)
	onRecord[*krosai.PortRequestSubmitted](t, h, rec)
	onRecord[*krosai.PortRequestCompleted](t, h, rec)
	onRecord[*krosai.PortRequestFailed](t, h, rec)
	onRecord[*krosai.BalanceLow](t, h, rec)
	onRecord[*krosai.PaymentReceived](t, h, rec)
}

func TestHandler_EveryTypeReachesItsTypedCallback(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	var rec record
	onAllTypes(t, h, &rec)
	for _, et := range krosai.EventTypes() {
		want, err := krosai.Parse(examples(t)[et].Payload)
		mustNoErr(t, err)
		// The typed callback gets exactly the data Parse gives.
		var got krosai.EventData
		krosai.On(h, func(_ context.Context, ev *krosai.Event, d krosai.EventData) error {
			if ev.Type == et {
				got = d
			}
			return nil
		})
		w := post(h, string(examples(t)[et].Payload))
		wantStatus(t, w, "handled")
		calls := rec.take()
		wantName := fmt.Sprintf("%T", want.Data)
		if len(calls) != 1 || calls[0] != wantName {
			t.Errorf("%s: typed callbacks %q, want [%s]", et, calls, wantName)
		}
		if !reflect.DeepEqual(got, want.Data) {
			t.Errorf("%s: callback got %#v, want %#v", et, got, want.Data)
		}
	}
}

func TestHandler_UnknownEvents(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	var mu sync.Mutex
	got := map[krosai.EventType][]string{}
	rec := func(name string, ev *krosai.Event) {
		mu.Lock()
		defer mu.Unlock()
		got[ev.Type] = append(got[ev.Type], name)
	}
	krosai.On(h, func(_ context.Context, ev *krosai.Event, u *krosai.UnknownEvent) error {
		if u == nil || u.Type != ev.Type || string(u.Raw) != `{"x":1}` {
			t.Errorf("unknown event data %#v", u)
		}
		rec("unknown", ev)
		return nil
	})
	krosai.On(h, func(_ context.Context, ev *krosai.Event, _ *krosai.CallCompleted) error {
		rec("completed", ev)
		return nil
	})
	krosai.On(h, func(_ context.Context, ev *krosai.Event, d krosai.EventData) error {
		if d != ev.Data {
			t.Errorf("EventData callback got %v, want %v", d, ev.Data)
		}
		rec("any", ev)
		return nil
	})
	mustNoErr(t, h.OnPattern("*", func(_ context.Context, ev *krosai.Event) error {
		if _, ok := ev.Data.(*krosai.UnknownEvent); ok {
			rec("*unknown", ev)
		} else {
			rec("*", ev)
		}
		return nil
	}))
	mustNoErr(t, h.OnPattern("call.*", func(_ context.Context, ev *krosai.Event) error { rec("call.*", ev); return nil }))

	wantStatus(t, post(h, eventJSON("call.transferred", "evt_1", `{"x":1}`)), "handled")
	wantStatus(t, post(h, eventJSON("billing.refunded", "evt_2", `{"x":1}`)), "handled")
	wantStatus(t, post(h, validEvent(t, krosai.EventCallCompleted, "evt_3")), "handled")
	want := map[krosai.EventType][]string{
		"call.transferred":        {"unknown", "any", "*unknown", "call.*"},
		"billing.refunded":        {"unknown", "any", "*unknown"},
		krosai.EventCallCompleted: {"completed", "any", "*", "call.*"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
}

func TestHandler_OnPatternErrors(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	noop := func(context.Context, *krosai.Event) error { return nil }
	for _, p := range []string{"", "call.", ".*", "call.**", "foo.*", "call.transferred", " *", "call.complete"} {
		err := h.OnPattern(p, noop)
		var pe *krosai.PatternError
		if !errors.As(err, &pe) {
			t.Errorf("OnPattern(%q) = %v, want a *PatternError", p, err)
		}
	}
	if err := h.OnPattern("*", nil); err == nil {
		t.Error("OnPattern with a nil callback succeeded")
	}
	var nilH *krosai.Handler
	if err := nilH.OnPattern("*", noop); err == nil {
		t.Error("OnPattern on a nil Handler succeeded")
	}
	krosai.On[*krosai.CallCompleted](nilH, nil) // no-op, no panic
	krosai.On[*krosai.CallCompleted](h, nil)
	// Nothing was registered.
	wantStatus(t, post(h, validEvent(t, krosai.EventCallCompleted, "evt_004")), "ignored")
}

func TestHandler_NilAndZero(t *testing.T) {
	var nilH *krosai.Handler
	wantCode(t, post(nilH, validEvent(t, krosai.EventCallCompleted, "evt_1")), http.StatusInternalServerError)

	// A zero Handler works with the defaults, without deduplication.
	var zero krosai.Handler
	var n atomic.Int32
	krosai.On(&zero, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { n.Add(1); return nil })
	body := validEvent(t, krosai.EventCallCompleted, "evt_1")
	wantStatus(t, post(&zero, body), "handled")
	wantStatus(t, post(&zero, body), "handled")
	wantCount(t, "calls", n.Load(), 2)
}

func TestHandler_LateRegistration(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil), krosai.WithDeduplicator(nil))
	var before, after atomic.Int64
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { before.Add(1); return nil })
	data := validData(t, krosai.EventCallCompleted)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for worker := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				w := post(h, eventJSON(krosai.EventCallCompleted, fmt.Sprintf("evt_%d_%d", worker, i), data))
				if w.Code != http.StatusOK {
					t.Errorf("status %d: %s", w.Code, w.Body.String())
					return
				}
			}
		}()
	}
	for range 50 {
		krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { after.Add(1); return nil })
		if err := h.OnPattern("call.*", func(context.Context, *krosai.Event) error { return nil }); err != nil {
			t.Error(err)
		}
		time.Sleep(100 * time.Microsecond)
	}
	close(stop)
	wg.Wait()
	if before.Load() == 0 {
		t.Fatal("no delivery ran during registration")
	}
	// Deliveries after registration see all 50 late callbacks.
	after.Store(0)
	wantStatus(t, post(h, eventJSON(krosai.EventCallCompleted, "evt_final", data)), "handled")
	wantCount(t, "late callbacks", after.Load(), 50)
}

func TestHandler_DefaultLogger(t *testing.T) {
	var logs syncBuffer
	old := slog.Default()
	slog.SetDefault(testLogger(&logs))
	defer slog.SetDefault(old)
	h := krosai.NewHandler()
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error {
		return errors.New("logged to default")
	})
	wantCode(t, post(h, validEvent(t, krosai.EventCallCompleted, "evt_1")), http.StatusInternalServerError)
	if !strings.Contains(logs.String(), "logged to default") {
		t.Fatalf("slog.Default did not get the failure:\n%s", logs.String())
	}
}

// --- deduplication ---

func TestDedup_SkipAfterSuccess(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	var n atomic.Int32
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.PaymentReceived) error { n.Add(1); return nil })
	body := validEvent(t, krosai.EventPaymentReceived, "evt_051")
	wantStatus(t, post(h, body), "handled")
	for range 3 {
		wantStatus(t, post(h, body), "duplicate")
	}
	wantCount(t, "calls", n.Load(), 1)
	// Another id runs.
	wantStatus(t, post(h, validEvent(t, krosai.EventPaymentReceived, "evt_052")), "handled")
	wantCount(t, "calls", n.Load(), 2)
}

func TestDedup_RetryAfterFailure(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	var n atomic.Int32
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallFailed) error {
		if n.Add(1) <= 2 {
			return errors.New("transient")
		}
		return nil
	})
	body := validEvent(t, krosai.EventCallFailed, "evt_005")
	wantCode(t, post(h, body), http.StatusInternalServerError)
	wantCode(t, post(h, body), http.StatusInternalServerError)
	wantStatus(t, post(h, body), "handled")
	wantStatus(t, post(h, body), "duplicate")
	wantCount(t, "calls", n.Load(), 3)

	// A panic, too, leaves the id unrecorded.
	var p atomic.Int32
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.PaymentReceived) error {
		if p.Add(1) == 1 {
			panic("first time")
		}
		return nil
	})
	body = validEvent(t, krosai.EventPaymentReceived, "evt_051")
	wantCode(t, post(h, body), http.StatusInternalServerError)
	wantStatus(t, post(h, body), "handled")
	wantStatus(t, post(h, body), "duplicate")
	wantCount(t, "calls", p.Load(), 2)
}

func TestDedup_ConcurrentRunOnce(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	var n atomic.Int32
	entered := make(chan struct{})
	release := make(chan struct{})
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error {
		if n.Add(1) == 1 {
			close(entered)
			<-release
		}
		return nil
	})
	body := validEvent(t, krosai.EventCallCompleted, "evt_c")
	first := make(chan int)
	go func() { first <- post(h, body).Code }()
	<-entered

	// While the first delivery is running, duplicates are refused with a
	// retryable status and do not run the callback.
	var wg sync.WaitGroup
	codes := make(chan int, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := post(h, body)
			if got := w.Header().Get("Retry-After"); got != "1" {
				t.Errorf("Retry-After = %q", got)
			}
			codes <- w.Code
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusConflict {
			t.Errorf("concurrent duplicate: status %d, want 409", c)
		}
	}
	close(release)
	if c := <-first; c != http.StatusOK {
		t.Fatalf("first delivery: status %d", c)
	}
	wantStatus(t, post(h, body), "duplicate")
	wantCount(t, "calls", n.Load(), 1)
}

func TestDedup_ConcurrentRaceRunOnce(t *testing.T) {
	// Many simultaneous deliveries of each id: each id runs exactly once,
	// when the losers retry on 409 as KrosAI would.
	h := krosai.NewHandler(krosai.WithLogger(nil))
	var mu sync.Mutex
	seen := map[string]int{}
	krosai.On(h, func(_ context.Context, ev *krosai.Event, _ *krosai.CallCompleted) error {
		mu.Lock()
		seen[string(ev.ID)]++
		mu.Unlock()
		return nil
	})
	var wg sync.WaitGroup
	for id := range 20 {
		body := validEvent(t, krosai.EventCallCompleted, fmt.Sprintf("evt_%d", id))
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					code := post(h, body).Code
					if code != http.StatusConflict {
						if code != http.StatusOK {
							t.Errorf("status %d", code)
						}
						return
					}
					time.Sleep(time.Millisecond)
				}
			}()
		}
	}
	wg.Wait()
	if len(seen) != 20 {
		t.Fatalf("%d ids handled, want 20", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s handled %d times", id, n)
		}
	}
}

func TestDedup_Disabled(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil), krosai.WithDeduplicator(nil))
	var n atomic.Int32
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { n.Add(1); return nil })
	body := validEvent(t, krosai.EventCallCompleted, "evt_d")
	for range 3 {
		wantStatus(t, post(h, body), "handled")
	}
	wantCount(t, "calls", n.Load(), 3)
}

// failingDedup is a Deduplicator whose store is unavailable.
type failingDedup struct{}

func (failingDedup) Claim(context.Context, string, time.Duration) (int64, bool, error) {
	return 0, false, errors.New("store unavailable")
}
func (failingDedup) Commit(context.Context, string, int64) error  { return nil }
func (failingDedup) Release(context.Context, string, int64) error { return nil }

// recordingDedup wraps MemoryDeduplicator and counts calls.
type recordingDedup struct {
	*krosai.MemoryDeduplicator
	commits, releases atomic.Int32
	failCommit        atomic.Bool
}

func (r *recordingDedup) Commit(ctx context.Context, id string, token int64) error {
	r.commits.Add(1)
	if r.failCommit.Load() {
		return errors.New("commit lost")
	}
	return r.MemoryDeduplicator.Commit(ctx, id, token)
}

func (r *recordingDedup) Release(ctx context.Context, id string, token int64) error {
	r.releases.Add(1)
	return r.MemoryDeduplicator.Release(ctx, id, token)
}

func TestDedup_CustomStore(t *testing.T) {
	var logs syncBuffer
	h := krosai.NewHandler(krosai.WithLogger(testLogger(&logs)), krosai.WithDeduplicator(failingDedup{}))
	var n atomic.Int32
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { n.Add(1); return nil })
	wantCode(t, post(h, validEvent(t, krosai.EventCallCompleted, "evt_1")), http.StatusInternalServerError)
	wantCount(t, "calls (callbacks do not run when the store is unavailable)", n.Load(), 0)
	if !strings.Contains(logs.String(), "store unavailable") {
		t.Errorf("cause not logged:\n%s", logs.String())
	}

	rd := &recordingDedup{MemoryDeduplicator: krosai.NewMemoryDeduplicator(0)}
	h = krosai.NewHandler(krosai.WithLogger(nil), krosai.WithDeduplicator(rd))
	var fail atomic.Bool
	fail.Store(true)
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error {
		n.Add(1)
		if fail.Load() {
			return errors.New("x")
		}
		return nil
	})
	n.Store(0)
	body := validEvent(t, krosai.EventCallCompleted, "evt_1")
	wantCode(t, post(h, body), http.StatusInternalServerError)
	wantCount(t, "commits", rd.commits.Load(), 0)
	wantCount(t, "releases", rd.releases.Load(), 1)
	fail.Store(false)
	wantStatus(t, post(h, body), "handled")
	wantCount(t, "commits", rd.commits.Load(), 1)
	wantCount(t, "releases", rd.releases.Load(), 1)
	wantStatus(t, post(h, body), "duplicate")
	wantCount(t, "commits (duplicates neither commit nor release)", rd.commits.Load(), 1)
	wantCount(t, "releases (duplicates neither commit nor release)", rd.releases.Load(), 1)

	// A commit that fails (the store is down, or the lease was lost to a
	// take-over) is 500: the sender retries, and finds the event done or
	// runs it again; it is never acknowledged unrecorded.
	rd.failCommit.Store(true)
	body = validEvent(t, krosai.EventCallCompleted, "evt_2")
	wantCode(t, post(h, body), http.StatusInternalServerError)
	rd.failCommit.Store(false)
	wantStatus(t, post(h, body), "handled")
	wantCount(t, "calls", n.Load(), 4)
}

// claim claims id on m for lease.
func claim(t *testing.T, m *krosai.MemoryDeduplicator, id string, lease time.Duration) (int64, bool) {
	t.Helper()
	token, done, err := m.Claim(context.Background(), id, lease)
	mustNoErr(t, err)
	return token, done
}

func TestMemoryDeduplicator(t *testing.T) {
	ctx := context.Background()
	m := krosai.NewMemoryDeduplicator(time.Hour)
	a, done := claim(t, m, "a", time.Hour)
	if a == 0 || done {
		t.Fatalf("first claim: token %d, done %v", a, done)
	}
	if tok, done := claim(t, m, "a", time.Hour); tok != 0 || done {
		t.Fatalf("claim while held: token %d, done %v; want in flight", tok, done)
	}
	mustNoErr(t, m.Release(ctx, "a", a))
	a2, _ := claim(t, m, "a", time.Hour)
	if a2 == 0 || a2 == a {
		t.Fatalf("claim after release: token %d (first was %d)", a2, a)
	}
	if err := m.Commit(ctx, "a", a); !errors.Is(err, krosai.ErrLeaseLost) {
		t.Fatalf("commit with the released token: %v, want ErrLeaseLost", err)
	}
	mustNoErr(t, m.Commit(ctx, "a", a2))
	mustNoErr(t, m.Commit(ctx, "a", a2)) // idempotent
	if tok, done := claim(t, m, "a", time.Hour); tok != 0 || !done {
		t.Fatalf("claim after commit: token %d, done %v; want done", tok, done)
	}
	if err := m.Release(ctx, "a", a2); !errors.Is(err, krosai.ErrLeaseLost) {
		t.Fatalf("release after commit: %v, want ErrLeaseLost", err)
	}
	if tok, done := claim(t, m, "a", time.Hour); tok != 0 || !done {
		t.Fatal("a release after commit undid the commit")
	}

	// A zero MemoryDeduplicator works; a nil one fails without panicking.
	var zero krosai.MemoryDeduplicator
	z, _ := claim(t, &zero, "z", 0)
	mustNoErr(t, zero.Commit(ctx, "z", z))
	if tok, done := claim(t, &zero, "z", 0); tok != 0 || !done {
		t.Fatal("zero value forgot a commit")
	}
	var nilM *krosai.MemoryDeduplicator
	if _, _, err := nilM.Claim(ctx, "a", time.Second); err == nil {
		t.Error("nil Claim succeeded")
	}
	if nilM.Commit(ctx, "a", 1) == nil || nilM.Release(ctx, "a", 1) == nil {
		t.Error("nil Commit or Release succeeded")
	}
	h := krosai.NewHandler(krosai.WithLogger(nil), krosai.WithDeduplicator(nilM))
	wantCode(t, post(h, validEvent(t, krosai.EventCallCompleted, "evt_1")), http.StatusInternalServerError)
}

func TestMemoryDeduplicator_LeaseAndRetention(t *testing.T) {
	// The full lease and retention suite runs against this store and the
	// PostgreSQL one in the adapters module; this is its core, kept here so
	// the generated package tests itself.
	ctx := context.Background()
	m := krosai.NewMemoryDeduplicator(150 * time.Millisecond)
	old, _ := claim(t, m, "x", 50*time.Millisecond)
	time.Sleep(80 * time.Millisecond)
	taker, done := claim(t, m, "x", time.Hour)
	if taker == 0 || done || taker == old {
		t.Fatalf("claim after the lease expired: token %d, done %v (old %d); want a take-over", taker, done, old)
	}
	if err := m.Commit(ctx, "x", old); !errors.Is(err, krosai.ErrLeaseLost) {
		t.Fatalf("the old holder's commit: %v, want ErrLeaseLost", err)
	}
	if err := m.Release(ctx, "x", old); !errors.Is(err, krosai.ErrLeaseLost) {
		t.Fatalf("the old holder's release: %v, want ErrLeaseLost", err)
	}
	mustNoErr(t, m.Commit(ctx, "x", taker))
	if tok, done := claim(t, m, "x", time.Hour); tok != 0 || !done {
		t.Fatal("committed id not done within its retention")
	}
	time.Sleep(200 * time.Millisecond)
	if tok, done := claim(t, m, "x", time.Hour); tok == 0 || done {
		t.Fatalf("after the retention: token %d, done %v; want a new claim", tok, done)
	}
}

func TestMemoryDeduplicator_ConcurrentClaim(t *testing.T) {
	m := krosai.NewMemoryDeduplicator(0)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if tok, _, _ := m.Claim(context.Background(), "same", time.Minute); tok != 0 {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	wantCount(t, "winning claims", wins.Load(), 1)
}
