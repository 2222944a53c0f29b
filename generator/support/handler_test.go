package support

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// eventJSON returns a webhook payload.
func eventJSON(typ, id, data string) string {
	return fmt.Sprintf(`{"event":%q,"id":%q,"timestamp":"2025-01-10T12:00:00Z","data":%s}`, typ, id, data)
}

// validData returns valid data for the event types the tests use; every
// other type is unknown to the package.
func validData(t EventType) string {
	switch t {
	case "call.completed":
		return `{"call_id":"call_abc123","duration":180}`
	case "call.failed":
		return `{"call_id":"call_abc123","error_code":"NETWORK_ERROR"}`
	case "payment.received":
		return `{"amount_cents":10000,"new_balance_cents":10500}`
	}
	return `{"anything":true}`
}

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

type errorBody struct {
	Status   string    `json:"status"`
	Error    string    `json:"error"`
	Problems []Problem `json:"problems"`
}

func decodeBody(t *testing.T, w *httptest.ResponseRecorder) errorBody {
	t.Helper()
	require.Equal(t, "application/json", w.Header().Get("Content-Type"))
	var b errorBody
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &b), w.Body.String())
	return b
}

func TestHandler_StatusCodes(t *testing.T) {
	valid := eventJSON("call.completed", "evt_004", validData("call.completed"))
	type counters struct{ typed, all atomic.Int32 }
	cases := []struct {
		name    string
		opts    []HandlerOption
		setup   func(h *Handler, c *counters)
		method  string
		body    string
		chunked bool // unknown Content-Length
		repeat  int  // send the request this many times (default 1); checks apply to the last
		want    int
		check   func(t *testing.T, w *httptest.ResponseRecorder, c *counters, logs string)
	}{
		{name: "GET is 405", method: http.MethodGet, want: http.StatusMethodNotAllowed,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				require.Equal(t, "POST", w.Header().Get("Allow"))
				require.NotEmpty(t, decodeBody(t, w).Error)
			}},
		{name: "PUT is 405", method: http.MethodPut, body: valid, want: http.StatusMethodNotAllowed,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				require.Equal(t, "POST", w.Header().Get("Allow"))
				require.Zero(t, c.typed.Load())
			}},
		{name: "body over limit is 413", opts: []HandlerOption{WithMaxBodyBytes(64)}, body: valid, want: http.StatusRequestEntityTooLarge},
		{name: "chunked body over limit is 413", opts: []HandlerOption{WithMaxBodyBytes(64)}, body: valid, chunked: true, want: http.StatusRequestEntityTooLarge,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, _ string) {
				require.Zero(t, c.typed.Load())
			}},
		{name: "body at limit is accepted", opts: []HandlerOption{WithMaxBodyBytes(int64(len(valid)))}, body: valid, chunked: true, want: http.StatusOK},
		{name: "verifier failure is 401",
			opts: []HandlerOption{WithVerifier(func(*http.Request, []byte) error { return errors.New("bad signature") })},
			body: valid, want: http.StatusUnauthorized,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, logs string) {
				require.Zero(t, c.typed.Load())
				require.NotContains(t, w.Body.String(), "bad signature", "cause is logged, not returned")
				require.Contains(t, logs, "bad signature")
			}},
		{name: "verifier sees the body",
			opts: []HandlerOption{WithVerifier(func(r *http.Request, body []byte) error {
				if r.Method != http.MethodPost || string(body) != valid {
					return errors.New("wrong input")
				}
				return nil
			})},
			body: valid, want: http.StatusOK},
		{name: "verifier panic is 500",
			opts: []HandlerOption{WithVerifier(func(*http.Request, []byte) error { panic("verifier bug") })},
			body: valid, want: http.StatusInternalServerError,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, logs string) {
				require.Zero(t, c.typed.Load())
				require.Contains(t, logs, "verifier bug")
			}},
		{name: "parser panic is 500 and logged with its stack", body: eventJSON(string(stubPanicEventType), "evt_p", `{}`), want: http.StatusInternalServerError,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, logs string) {
				require.Zero(t, c.all.Load())
				require.NotContains(t, w.Body.String(), "stub parser bug", "the cause is logged, not returned")
				require.Contains(t, logs, "level=ERROR")
				require.Contains(t, logs, "recovered panic")
				require.Contains(t, logs, "stub parser bug")
				require.Contains(t, logs, "stub_events.go", "stack is logged")
			}},
		{name: "malformed JSON is 400", body: `{"event": "call.completed",`, want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				b := decodeBody(t, w)
				require.Equal(t, "malformed JSON", b.Error)
				require.Len(t, b.Problems, 1)
				require.Equal(t, "", b.Problems[0].Pointer)
				require.Contains(t, b.Problems[0].Message, "offset")
			}},
		{name: "empty body is 400", body: "", want: http.StatusBadRequest},
		{name: "non-object is 400", body: `[1,2]`, want: http.StatusBadRequest},
		{name: "missing id is 400", body: `{"event":"call.completed","timestamp":"2025-01-10T12:00:00Z","data":{"call_id":"c"}}`, want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				b := decodeBody(t, w)
				require.Equal(t, "invalid payload", b.Error)
				require.Equal(t, []Problem{{Pointer: "/id", Message: "required"}}, b.Problems)
				require.Zero(t, c.typed.Load())
				require.Zero(t, c.all.Load())
			}},
		{name: "invalid data is 400", body: eventJSON("call.completed", "evt_1", `{"duration":3}`), want: http.StatusBadRequest,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				b := decodeBody(t, w)
				require.Len(t, b.Problems, 1)
				require.Equal(t, "/data/call_id", b.Problems[0].Pointer)
			}},
		{name: "handled is 200", body: valid, want: http.StatusOK,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				require.Equal(t, "handled", decodeBody(t, w).Status)
				require.EqualValues(t, 1, c.typed.Load())
				require.EqualValues(t, 1, c.all.Load())
			}},
		{name: "no handler is 200", setup: func(*Handler, *counters) {}, body: valid, want: http.StatusOK,
			check: func(t *testing.T, w *httptest.ResponseRecorder, _ *counters, _ string) {
				require.Equal(t, "ignored", decodeBody(t, w).Status)
			}},
		{name: "no matching handler is 200",
			setup: func(h *Handler, c *counters) {
				On(h, func(context.Context, *Event, *PaymentReceived) error { c.typed.Add(1); return nil })
			},
			body: valid, want: http.StatusOK,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				require.Zero(t, c.typed.Load())
				require.Equal(t, "ignored", decodeBody(t, w).Status)
			}},
		{name: "unknown event type is 200", body: eventJSON("call.transferred", "evt_x", `{"to":"+1"}`), want: http.StatusOK,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, _ string) {
				require.Zero(t, c.typed.Load())
				require.EqualValues(t, 1, c.all.Load())
			}},
		{name: "callback error is 500",
			setup: func(h *Handler, c *counters) {
				On(h, func(context.Context, *Event, *CallCompleted) error { c.typed.Add(1); return errors.New("db down") })
			},
			body: valid, want: http.StatusInternalServerError,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, logs string) {
				require.EqualValues(t, 1, c.typed.Load())
				require.NotContains(t, w.Body.String(), "db down")
				require.Contains(t, logs, "db down")
				require.Contains(t, logs, "evt_004")
			}},
		{name: "callback panic is 500 and logged",
			setup: func(h *Handler, c *counters) {
				On(h, func(context.Context, *Event, *CallCompleted) error { c.typed.Add(1); panic("boom") })
				require.NoError(t, h.OnPattern("*", func(context.Context, *Event) error { c.all.Add(1); return nil }))
			},
			body: valid, want: http.StatusInternalServerError,
			check: func(t *testing.T, _ *httptest.ResponseRecorder, c *counters, logs string) {
				require.EqualValues(t, 1, c.typed.Load())
				require.EqualValues(t, 1, c.all.Load(), "later callbacks still run")
				require.Contains(t, logs, "recovered panic")
				require.Contains(t, logs, "boom")
				require.Contains(t, logs, "handler_test.go", "stack is logged")
			}},
		{name: "duplicate id is 200 without calling again", body: valid, repeat: 3, want: http.StatusOK,
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				require.Equal(t, "duplicate", decodeBody(t, w).Status)
				require.EqualValues(t, 1, c.typed.Load())
				require.EqualValues(t, 1, c.all.Load())
			}},
		{name: "duplicate deduplicated by id, not body", body: valid, repeat: 2, want: http.StatusOK,
			setup: func(h *Handler, c *counters) {
				On(h, func(context.Context, *Event, *CallCompleted) error { c.typed.Add(1); return nil })
				// The first delivery uses a different body with the same id.
				w := post(h, eventJSON("call.completed", "evt_004", `{"call_id":"other"}`))
				require.Equal(t, http.StatusOK, w.Code)
			},
			check: func(t *testing.T, w *httptest.ResponseRecorder, c *counters, _ string) {
				require.EqualValues(t, 1, c.typed.Load())
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			var c counters
			h := NewHandler(append([]HandlerOption{WithLogger(testLogger(&logs))}, tc.opts...)...)
			if tc.setup != nil {
				tc.setup(h, &c)
			} else {
				On(h, func(_ context.Context, ev *Event, data *CallCompleted) error {
					if data == nil || data.CallID == "" || ev.Data != EventData(data) {
						return errors.New("bad data")
					}
					c.typed.Add(1)
					return nil
				})
				require.NoError(t, h.OnPattern("*", func(context.Context, *Event) error { c.all.Add(1); return nil }))
			}
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			repeat := max(tc.repeat, 1)
			var w *httptest.ResponseRecorder
			for range repeat {
				w = httptest.NewRecorder()
				r := httptest.NewRequest(method, "/webhooks", strings.NewReader(tc.body))
				if tc.chunked {
					r.ContentLength = -1
				}
				h.ServeHTTP(w, r)
			}
			require.Equal(t, tc.want, w.Code, w.Body.String())
			var b errorBody
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &b), "every response is JSON")
			if tc.want >= 400 {
				require.NotEmpty(t, b.Error)
			}
			if tc.check != nil {
				tc.check(t, w, &c, logs.String())
			}
		})
	}
}

func TestHandler_OrderAndAllRun(t *testing.T) {
	h := NewHandler(WithLogger(nil))
	var mu sync.Mutex
	var calls []string
	var failC atomic.Bool
	failC.Store(true)
	rec := func(name string) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, name)
	}
	On(h, func(context.Context, *Event, *CallCompleted) error { rec("A"); return nil })
	require.NoError(t, h.OnPattern("*", func(context.Context, *Event) error { rec("B"); return nil }))
	require.NoError(t, h.OnPattern("call.*", func(context.Context, *Event) error {
		rec("C")
		if failC.Load() {
			return errors.New("C failed")
		}
		return nil
	}))
	On(h, func(context.Context, *Event, *CallFailed) error { rec("X"); return nil })
	require.NoError(t, h.OnPattern("payment.*", func(context.Context, *Event) error { rec("Y"); return nil }))
	On(h, func(context.Context, *Event, *CallCompleted) error { rec("D"); panic("D panicked") })
	require.NoError(t, h.OnPattern("call.completed", func(context.Context, *Event) error { rec("E"); return nil }))

	body := eventJSON("call.completed", "evt_order", validData("call.completed"))
	require.Equal(t, http.StatusInternalServerError, post(h, body).Code)
	require.Equal(t, []string{"A", "B", "C", "D", "E"}, calls, "all matching callbacks run, in registration order, despite errors")

	// The retry runs everything again, since the event was not recorded.
	calls = nil
	failC.Store(false)
	require.Equal(t, http.StatusInternalServerError, post(h, body).Code)
	require.Equal(t, []string{"A", "B", "C", "D", "E"}, calls)
}

func TestHandler_UnknownEvents(t *testing.T) {
	h := NewHandler(WithLogger(nil))
	var mu sync.Mutex
	got := map[string][]string{}
	rec := func(name string, ev *Event) {
		mu.Lock()
		defer mu.Unlock()
		got[string(ev.Type)] = append(got[string(ev.Type)], name)
	}
	On(h, func(_ context.Context, ev *Event, u *UnknownEvent) error {
		require.NotNil(t, u)
		require.Equal(t, ev.Type, u.Type)
		require.JSONEq(t, `{"x":1}`, string(u.Raw))
		rec("unknown", ev)
		return nil
	})
	On(h, func(_ context.Context, ev *Event, _ *CallCompleted) error { rec("completed", ev); return nil })
	On(h, func(_ context.Context, ev *Event, d EventData) error {
		require.Equal(t, ev.Data, d)
		rec("any", ev)
		return nil
	})
	require.NoError(t, h.OnPattern("*", func(_ context.Context, ev *Event) error {
		if _, ok := ev.Data.(*UnknownEvent); ok {
			rec("*unknown", ev)
		} else {
			rec("*", ev)
		}
		return nil
	}))
	require.NoError(t, h.OnPattern("call.*", func(_ context.Context, ev *Event) error { rec("call.*", ev); return nil }))

	require.Equal(t, http.StatusOK, post(h, eventJSON("call.transferred", "e1", `{"x":1}`)).Code)
	require.Equal(t, http.StatusOK, post(h, eventJSON("billing.refunded", "e2", `{"x":1}`)).Code)
	require.Equal(t, http.StatusOK, post(h, eventJSON("call.completed", "e3", validData("call.completed"))).Code)
	require.Equal(t, map[string][]string{
		"call.transferred": {"unknown", "any", "*unknown", "call.*"},
		"billing.refunded": {"unknown", "any", "*unknown"},
		"call.completed":   {"completed", "any", "*", "call.*"},
	}, got)
}

func TestHandler_OnPatternErrors(t *testing.T) {
	h := NewHandler(WithLogger(nil))
	noop := func(context.Context, *Event) error { return nil }
	for _, p := range []string{"", "call.", ".*", "call.**", "foo.*", "call.transferred", " *"} {
		err := h.OnPattern(p, noop)
		var pe *PatternError
		require.True(t, errors.As(err, &pe), "%q: %v", p, err)
	}
	require.Error(t, h.OnPattern("*", nil))
	var nilH *Handler
	require.Error(t, nilH.OnPattern("*", noop))
	On[*CallCompleted](nilH, nil) // no-op, no panic
	On[*CallCompleted](h, nil)
	require.Equal(t, "ignored", decodeBody(t, post(h, eventJSON("call.completed", "e", validData("call.completed")))).Status)
}

func TestHandler_LateRegistration(t *testing.T) {
	h := NewHandler(WithLogger(nil), WithDeduplicator(nil))
	var before, after atomic.Int64
	On(h, func(context.Context, *Event, *CallCompleted) error { before.Add(1); return nil })
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
				resp := post(h, eventJSON("call.completed", fmt.Sprintf("e%d-%d", worker, i), validData("call.completed")))
				if resp.Code != http.StatusOK {
					t.Errorf("status %d", resp.Code)
					return
				}
			}
		}()
	}
	for range 50 {
		On(h, func(context.Context, *Event, *CallCompleted) error { after.Add(1); return nil })
		if err := h.OnPattern("call.*", func(context.Context, *Event) error { return nil }); err != nil {
			t.Error(err)
		}
		time.Sleep(100 * time.Microsecond)
	}
	close(stop)
	wg.Wait()
	n := before.Load()
	require.Positive(t, n)
	// Deliveries after registration see all 50 late callbacks.
	after.Store(0)
	require.Equal(t, http.StatusOK, post(h, eventJSON("call.completed", "final", validData("call.completed"))).Code)
	require.EqualValues(t, 50, after.Load())
}

func TestHandler_DefaultLogger(t *testing.T) {
	var logs syncBuffer
	old := slog.Default()
	slog.SetDefault(testLogger(&logs))
	defer slog.SetDefault(old)
	h := NewHandler()
	On(h, func(context.Context, *Event, *CallCompleted) error { return errors.New("logged to default") })
	require.Equal(t, http.StatusInternalServerError, post(h, eventJSON("call.completed", "e", validData("call.completed"))).Code)
	require.Contains(t, logs.String(), "logged to default")
}

// --- deduplication ---

func TestDedup_SkipAfterSuccess(t *testing.T) {
	h := NewHandler(WithLogger(nil))
	var n atomic.Int32
	On(h, func(context.Context, *Event, *PaymentReceived) error { n.Add(1); return nil })
	body := eventJSON("payment.received", "evt_051", validData("payment.received"))
	require.Equal(t, "handled", decodeBody(t, post(h, body)).Status)
	for range 3 {
		w := post(h, body)
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, "duplicate", decodeBody(t, w).Status)
	}
	require.EqualValues(t, 1, n.Load())
	// Another id runs.
	require.Equal(t, http.StatusOK, post(h, eventJSON("payment.received", "evt_052", validData("payment.received"))).Code)
	require.EqualValues(t, 2, n.Load())
}

func TestDedup_RetryAfterFailure(t *testing.T) {
	h := NewHandler(WithLogger(nil))
	var n atomic.Int32
	On(h, func(context.Context, *Event, *CallFailed) error {
		if n.Add(1) <= 2 {
			return errors.New("transient")
		}
		return nil
	})
	body := eventJSON("call.failed", "evt_005", validData("call.failed"))
	require.Equal(t, http.StatusInternalServerError, post(h, body).Code)
	require.Equal(t, http.StatusInternalServerError, post(h, body).Code)
	require.Equal(t, http.StatusOK, post(h, body).Code)
	require.Equal(t, "duplicate", decodeBody(t, post(h, body)).Status)
	require.EqualValues(t, 3, n.Load())

	// A panic, too, leaves the id unrecorded.
	var p atomic.Int32
	On(h, func(context.Context, *Event, *PaymentReceived) error {
		if p.Add(1) == 1 {
			panic("first time")
		}
		return nil
	})
	body = eventJSON("payment.received", "evt_p", validData("payment.received"))
	require.Equal(t, http.StatusInternalServerError, post(h, body).Code)
	require.Equal(t, http.StatusOK, post(h, body).Code)
	require.Equal(t, http.StatusOK, post(h, body).Code)
	require.EqualValues(t, 2, p.Load())
}

func TestDedup_ConcurrentRunOnce(t *testing.T) {
	h := NewHandler(WithLogger(nil))
	var n atomic.Int32
	entered := make(chan struct{})
	release := make(chan struct{})
	On(h, func(context.Context, *Event, *CallCompleted) error {
		if n.Add(1) == 1 {
			close(entered)
			<-release
		}
		return nil
	})
	body := eventJSON("call.completed", "evt_c", validData("call.completed"))
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
		require.Equal(t, http.StatusConflict, c)
	}
	close(release)
	require.Equal(t, http.StatusOK, <-first)
	require.Equal(t, "duplicate", decodeBody(t, post(h, body)).Status)
	require.EqualValues(t, 1, n.Load())
}

func TestDedup_ConcurrentRaceRunOnce(t *testing.T) {
	// Many simultaneous deliveries of each id: each id runs exactly once,
	// when the losers retry on 409 as KrosAI would.
	h := NewHandler(WithLogger(nil))
	var mu sync.Mutex
	seen := map[string]int{}
	On(h, func(_ context.Context, ev *Event, _ *CallCompleted) error {
		mu.Lock()
		seen[ev.ID]++
		mu.Unlock()
		return nil
	})
	var wg sync.WaitGroup
	for id := range 20 {
		body := eventJSON("call.completed", fmt.Sprintf("evt_%d", id), validData("call.completed"))
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
	require.Len(t, seen, 20)
	for id, n := range seen {
		require.Equal(t, 1, n, id)
	}
}

func TestDedup_Disabled(t *testing.T) {
	h := NewHandler(WithLogger(nil), WithDeduplicator(nil))
	var n atomic.Int32
	On(h, func(context.Context, *Event, *CallCompleted) error { n.Add(1); return nil })
	body := eventJSON("call.completed", "evt_d", validData("call.completed"))
	for range 3 {
		require.Equal(t, "handled", decodeBody(t, post(h, body)).Status)
	}
	require.EqualValues(t, 3, n.Load())
}

// failingDedup is a Deduplicator whose store is unavailable.
type failingDedup struct{ released, committed atomic.Int32 }

func (f *failingDedup) Reserve(context.Context, string) (DedupStatus, error) {
	return 0, errors.New("store unavailable")
}
func (f *failingDedup) Commit(context.Context, string) error  { f.committed.Add(1); return nil }
func (f *failingDedup) Release(context.Context, string) error { f.released.Add(1); return nil }

// recordingDedup wraps MemoryDeduplicator and counts calls.
type recordingDedup struct {
	*MemoryDeduplicator
	commits, releases atomic.Int32
}

func (r *recordingDedup) Commit(ctx context.Context, id string) error {
	r.commits.Add(1)
	return r.MemoryDeduplicator.Commit(ctx, id)
}

func (r *recordingDedup) Release(ctx context.Context, id string) error {
	r.releases.Add(1)
	return r.MemoryDeduplicator.Release(ctx, id)
}

func TestDedup_CustomStore(t *testing.T) {
	var logs syncBuffer
	f := &failingDedup{}
	h := NewHandler(WithLogger(testLogger(&logs)), WithDeduplicator(f))
	var n atomic.Int32
	On(h, func(context.Context, *Event, *CallCompleted) error { n.Add(1); return nil })
	require.Equal(t, http.StatusInternalServerError, post(h, eventJSON("call.completed", "e", validData("call.completed"))).Code)
	require.Zero(t, n.Load(), "callbacks do not run when the store is unavailable")
	require.Contains(t, logs.String(), "store unavailable")

	rd := &recordingDedup{MemoryDeduplicator: NewMemoryDeduplicator(10)}
	h = NewHandler(WithLogger(nil), WithDeduplicator(rd))
	fail := true
	On(h, func(context.Context, *Event, *CallCompleted) error {
		if fail {
			return errors.New("x")
		}
		return nil
	})
	body := eventJSON("call.completed", "e", validData("call.completed"))
	require.Equal(t, http.StatusInternalServerError, post(h, body).Code)
	require.EqualValues(t, 0, rd.commits.Load())
	require.EqualValues(t, 1, rd.releases.Load())
	fail = false
	require.Equal(t, http.StatusOK, post(h, body).Code)
	require.EqualValues(t, 1, rd.commits.Load())
	require.EqualValues(t, 1, rd.releases.Load())
	require.Equal(t, http.StatusOK, post(h, body).Code)
	require.EqualValues(t, 1, rd.commits.Load(), "duplicates neither commit nor release")
	require.EqualValues(t, 1, rd.releases.Load())
}

func TestMemoryDeduplicator(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryDeduplicator(3)
	reserve := func(id string) DedupStatus {
		s, err := m.Reserve(ctx, id)
		require.NoError(t, err)
		return s
	}
	require.Equal(t, DedupReserved, reserve("a"))
	require.Equal(t, DedupInFlight, reserve("a"))
	require.NoError(t, m.Release(ctx, "a"))
	require.Equal(t, DedupReserved, reserve("a"), "released ids can be reserved again")
	require.NoError(t, m.Commit(ctx, "a"))
	require.Equal(t, DedupDuplicate, reserve("a"))
	require.NoError(t, m.Release(ctx, "a"))
	require.Equal(t, DedupDuplicate, reserve("a"), "release does not undo a commit")
	require.NoError(t, m.Release(ctx, "never-seen"))

	require.Equal(t, "reserved", DedupReserved.String())
	require.Equal(t, "duplicate", DedupDuplicate.String())
	require.Equal(t, "in flight", DedupInFlight.String())
	require.Equal(t, "DedupStatus(7)", DedupStatus(7).String())
}

func TestMemoryDeduplicator_CapacityEvictsOldest(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryDeduplicator(3)
	status := func(id string) DedupStatus {
		s, err := m.Reserve(ctx, id)
		require.NoError(t, err)
		if s == DedupReserved {
			require.NoError(t, m.Release(ctx, id))
		}
		return s
	}
	for _, id := range []string{"a", "b", "c"} {
		require.Equal(t, DedupReserved, status(id))
		require.NoError(t, m.Commit(ctx, id))
	}
	require.Equal(t, DedupDuplicate, status("a"))
	require.NoError(t, m.Commit(ctx, "d")) // evicts a, the oldest
	require.Equal(t, DedupReserved, status("a"))
	for _, id := range []string{"b", "c", "d"} {
		require.Equal(t, DedupDuplicate, status(id), id)
	}
	require.NoError(t, m.Commit(ctx, "d")) // re-committing does not take a slot
	require.NoError(t, m.Commit(ctx, "e")) // evicts b
	require.Equal(t, DedupReserved, status("b"))
	for _, id := range []string{"c", "d", "e"} {
		require.Equal(t, DedupDuplicate, status(id), id)
	}

	// In-flight reservations are neither counted nor evicted.
	require.Equal(t, DedupReserved, mustReserve(t, m, "held"))
	for i := range 10 {
		require.NoError(t, m.Commit(ctx, fmt.Sprint("x", i)))
	}
	require.Equal(t, DedupInFlight, mustReserve(t, m, "held"))
	require.Len(t, m.done, 4) // 3 committed + 1 held

	// A nil deduplicator fails cleanly, and the Handler answers 500.
	var nilM *MemoryDeduplicator
	_, err := nilM.Reserve(ctx, "a")
	require.Error(t, err)
	require.Error(t, nilM.Commit(ctx, "a"))
	require.Error(t, nilM.Release(ctx, "a"))
	h := NewHandler(WithLogger(nil), WithDeduplicator(nilM))
	require.Equal(t, http.StatusInternalServerError, post(h, eventJSON("call.completed", "e", validData("call.completed"))).Code)

	// Defaults.
	require.Equal(t, DefaultDedupCapacity, NewMemoryDeduplicator(0).capacity)
	require.Equal(t, DefaultDedupCapacity, NewMemoryDeduplicator(-5).capacity)
	var zero MemoryDeduplicator
	require.Equal(t, DedupReserved, mustReserve(t, &zero, "z"))
	require.NoError(t, zero.Commit(ctx, "z"))
	require.Equal(t, DedupDuplicate, mustReserve(t, &zero, "z"))
}

func mustReserve(t *testing.T, m *MemoryDeduplicator, id string) DedupStatus {
	t.Helper()
	s, err := m.Reserve(context.Background(), id)
	require.NoError(t, err)
	return s
}

func TestMemoryDeduplicator_ConcurrentReserve(t *testing.T) {
	m := NewMemoryDeduplicator(100)
	var winners atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			s, _ := m.Reserve(context.Background(), "same")
			if s == DedupReserved {
				winners.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	require.EqualValues(t, 1, winners.Load())
}

// discardResponse drains and closes a response body so the connection is reused.
func discardResponse(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

// TestHandler_Load sends a mix of valid events, invalid payloads and
// duplicate deliveries over loopback HTTP from concurrent workers, and
// checks that every valid event reaches each matching callback exactly
// once, every invalid payload is answered 400, and no goroutine is left.
func TestHandler_Load(t *testing.T) {
	total, workers := 20000, 32
	if testing.Short() {
		total = 2000
	}
	goroutinesBefore := runtime.NumGoroutine()

	h := NewHandler(WithLogger(nil))
	type delivery struct{ callback, id string }
	var mu sync.Mutex
	got := map[delivery]int{}
	rec := func(callback string, ev *Event) error {
		mu.Lock()
		got[delivery{callback, ev.ID}]++
		mu.Unlock()
		return nil
	}
	On(h, func(_ context.Context, ev *Event, d *CallCompleted) error { return rec("*CallCompleted", ev) })
	On(h, func(_ context.Context, ev *Event, d *CallFailed) error { return rec("*CallFailed", ev) })
	On(h, func(_ context.Context, ev *Event, d *PaymentReceived) error { return rec("*PaymentReceived", ev) })
	On(h, func(_ context.Context, ev *Event, d *UnknownEvent) error { return rec("*UnknownEvent", ev) })
	patterns := []string{"*", "call.*", "payment.received", "phone_number.*"}
	for _, p := range patterns {
		require.NoError(t, h.OnPattern(p, func(_ context.Context, ev *Event) error { return rec(p, ev) }))
	}
	known := map[EventType]bool{}
	for _, et := range EventTypes() {
		known[et] = true
	}
	expectedCallbacks := func(et EventType) []string {
		var out []string
		switch {
		case !known[et]:
			out = append(out, "*UnknownEvent")
		case et == (*CallCompleted)(nil).EventType():
			out = append(out, "*CallCompleted")
		case et == (*CallFailed)(nil).EventType():
			out = append(out, "*CallFailed")
		case et == (*PaymentReceived)(nil).EventType():
			out = append(out, "*PaymentReceived")
		}
		for _, p := range patterns {
			if Match(p, et) {
				out = append(out, p)
			}
		}
		return out
	}

	// Build the request mix: 60% new valid events, 20% invalid payloads,
	// 20% redeliveries of a recent valid event.
	types := []EventType{"call.completed", "call.failed", "payment.received", "call.transferred", "billing.refunded"}
	invalid := []string{
		`{"event":"call.completed","id":"evt_bad"`,
		`not json`,
		`{"event":"call.completed","timestamp":"2025-01-10T12:00:00Z","data":{"call_id":"c"}}`,
		eventJSON("call.completed", "evt_bad_data", `{"duration":1}`),
		`{"event":"payment.received","id":"evt_bad_ts","timestamp":"yesterday","data":{"amount_cents":1}}`,
		`[]`,
	}
	type job struct {
		body  string
		valid bool
	}
	type event struct {
		id  string
		typ EventType
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
			jobs = append(jobs, job{eventJSON(string(ev.typ), ev.id, validData(ev.typ)), true})
		case r < 4:
			jobs = append(jobs, job{invalid[rng.IntN(len(invalid))], false})
		default:
			ev := event{fmt.Sprintf("evt_load_%d", i), types[rng.IntN(len(types))]}
			events = append(events, ev)
			jobs = append(jobs, job{eventJSON(string(ev.typ), ev.id, validData(ev.typ)), true})
		}
	}

	srv := httptest.NewServer(h)
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
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
					discardResponse(resp)
					if resp.StatusCode == http.StatusConflict && j.valid {
						conflicts.Add(1) // another delivery of this id is in flight: retry, as KrosAI would
						time.Sleep(time.Millisecond)
						continue
					}
					want := http.StatusOK
					if !j.valid {
						want = http.StatusBadRequest
					}
					if resp.StatusCode != want {
						t.Errorf("status %d, want %d, for %s", resp.StatusCode, want, j.body)
					}
					if resp.StatusCode == http.StatusOK {
						ok.Add(1)
					} else if resp.StatusCode == http.StatusBadRequest {
						bad.Add(1)
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
	require.Equal(t, wantOK, ok.Load())
	require.Equal(t, wantBad, bad.Load())

	want := map[delivery]int{}
	for _, ev := range events {
		cbs := expectedCallbacks(ev.typ)
		require.NotEmpty(t, cbs)
		for _, cb := range cbs {
			want[delivery{cb, ev.id}] = 1
		}
	}
	mu.Lock()
	require.Equal(t, want, got, "every valid event reaches each matching callback exactly once")
	mu.Unlock()

	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutinesBefore {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before, %d after:\n%s", goroutinesBefore, n, buf[:runtime.Stack(buf, true)])
	}

	t.Logf("%d deliveries (%d unique events, %d duplicates, %d invalid; %d requests incl. %d retries after 409) by %d workers in %v: %.0f requests/s",
		len(jobs), len(events), wantOK-int64(len(events)), wantBad, requests.Load(), conflicts.Load(), workers,
		elapsed.Round(time.Millisecond), float64(requests.Load())/elapsed.Seconds())
}
