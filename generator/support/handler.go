//go:build krosgen_template

package support

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxBodyBytes is the largest request body a Handler reads unless
// WithMaxBodyBytes says otherwise: 1 MiB.
const DefaultMaxBodyBytes int64 = 1 << 20

// Handler is an http.Handler that receives KrosAI webhook deliveries,
// verifies, parses and deduplicates them, and passes each event to the
// callbacks registered with On and OnPattern. Create it with NewHandler;
// a zero Handler works, with the defaults, except that it does not
// deduplicate. Process does the same for a Delivery received otherwise.
//
// # Responses
//
// KrosAI delivers each event at least once and retries deliveries that do
// not get a 2xx answer, so the status code tells it whether to retry:
//
//   - 405 Method Not Allowed, with "Allow: POST", for any method but POST;
//   - 413 Request Entity Too Large for a body over the limit (WithMaxBodyBytes);
//   - 401 Unauthorized when the verifier (WithVerifier) rejects the request;
//   - 400 Bad Request for malformed JSON, a payload that breaks the schema,
//     or a signed webhook-id that is not the event id, with the body
//     {"error": "...", "problems": [{"pointer": "...", "message": "..."}]};
//     retrying would not help;
//   - 200 OK when every callback for the event returned nil, when no
//     callback is registered for it (the event is acknowledged, not
//     retried), and for a duplicate of an event already handled, whose
//     callbacks are not called again;
//   - 202 Accepted, with an Enqueuer (WithEnqueuer), once the verified and
//     valid delivery is enqueued; and, under the quarantine policy
//     (WithOnInvalid), for an invalid payload once it is kept;
//   - 409 Conflict, with "Retry-After: 1", while another delivery of the
//     same event id holds a live lease, so the sender retries later;
//   - 500 Internal Server Error when a callback returned an error or
//     panicked, the deduplicator failed (also when recording the event as
//     handled: the lease was lost or the store is down), the quarantine
//     failed, or the verifier or Parse panicked, so that KrosAI retries;
//   - 503 Service Unavailable, with "Retry-After: 5", when the Enqueuer
//     failed.
//
// Error responses other than 400 say nothing about the cause, which goes
// to the Observer instead (by default LogObserver: rejected requests at
// level Warn, failures at level Error, panics with their stack).
//
// # Callbacks
//
// All callbacks that match an event run one after another, on the
// delivery's goroutine, in registration order, whether typed (On) or by
// pattern (OnPattern). An error or panic in one does not stop the others:
// all run, their errors are joined, and the delivery fails (500). Since
// the whole delivery is then retried, callbacks that succeeded run again:
// callbacks must be idempotent. The context passed to callbacks is the
// request's (or Process's), ending at the latest with the lease.
//
// # Deduplication
//
// Events are deduplicated by id (see Deduplicator): the id is claimed for
// a lease (WithLease) before the callbacks run, and recorded as handled,
// with the claim's fencing token, only after all of them succeeded; a
// failed delivery is released and runs again when retried. Concurrent
// deliveries of one id never run callbacks at once while the lease is
// live; after it expires (the holder crashed, or is stuck) a retry takes
// the id over, and the old holder can no longer record it.
//
// # Concurrency
//
// A Handler is safe for concurrent use. Callbacks may be registered at any
// time, also while requests are being served: registration is
// copy-on-write, and a delivery uses the callbacks registered when its
// dispatch began.
type Handler struct {
	maxBody    int64
	verify     func(r *http.Request, body []byte) error
	dedup      Deduplicator
	lease      time.Duration
	enqueuer   Enqueuer
	quarantine func(ctx context.Context, d Delivery, reason error) error
	observer   Observer                             // nil means LogObserver(logger)
	logger     *slog.Logger                         // nil means slog.Default() at the time of logging
	parse      func(payload []byte) (*Event, error) // nil means Parse; replaced by tests only
	regMu      sync.Mutex                           // serialises registrations
	routes     atomic.Pointer[[]*webhookRoute]
}

// webhookRoute is one registered callback.
type webhookRoute struct {
	desc    string
	matches func(ev *Event) bool
	call    func(ctx context.Context, ev *Event) error
}

// On registers fn for the events whose data has type D, such as
//
//	On(h, func(ctx context.Context, ev *Event, c *CallCompleted) error { ... })
//
// The event type is D's (the zero D's EventType()). With D = *UnknownEvent,
// fn receives every event of a type this package does not know; with an
// interface type D, such as EventData, fn receives every event whose data
// implements it. A nil h or fn registers nothing.
func On[D EventData](h *Handler, fn func(ctx context.Context, ev *Event, data D) error) {
	if h == nil || fn == nil {
		return
	}
	var zero D
	t := zeroEventType(zero)
	h.addRoute(&webhookRoute{
		desc: "On[" + strings.TrimPrefix(fmt.Sprintf("%T", (*D)(nil)), "*") + "]",
		matches: func(ev *Event) bool {
			if t != "" && ev.Type != t {
				return false
			}
			_, ok := ev.Data.(D)
			return ok
		},
		call: func(ctx context.Context, ev *Event) error {
			data, _ := ev.Data.(D)
			return fn(ctx, ev, data)
		},
	})
}

// zeroEventType returns the event type of the zero value of a data type,
// or "" if it has none (an interface type, or a type whose EventType needs
// a non-nil receiver, such as *UnknownEvent).
func zeroEventType(d EventData) (t EventType) {
	defer func() {
		if recover() != nil {
			t = ""
		}
	}()
	if d == nil {
		return ""
	}
	return d.EventType()
}

// OnPattern registers fn for the events whose type pattern covers (see
// Match): an exact event type, "<category>.*" or "*". The pattern must
// pass ValidatePattern, whose error OnPattern returns, registering
// nothing; this catches typos such as "call.complete". Events of a type
// this package does not know reach "*" callbacks and, if the category is
// known, "<category>.*" callbacks, with *UnknownEvent data.
func (h *Handler) OnPattern(pattern string, fn func(ctx context.Context, ev *Event) error) error {
	p, err := validatePattern(pattern)
	if err != nil {
		return err
	}
	if h == nil {
		return errors.New("OnPattern: nil Handler")
	}
	if fn == nil {
		return errors.New("OnPattern: nil callback for pattern " + pattern)
	}
	h.addRoute(&webhookRoute{
		desc:    "OnPattern(" + pattern + ")",
		matches: func(ev *Event) bool { return p.matches(ev.Type) },
		call:    fn,
	})
	return nil
}

// addRoute appends rt to a copy of the routes.
func (h *Handler) addRoute(rt *webhookRoute) {
	h.regMu.Lock()
	defer h.regMu.Unlock()
	var routes []*webhookRoute
	if old := h.routes.Load(); old != nil {
		routes = make([]*webhookRoute, len(*old), len(*old)+1)
		copy(routes, *old)
	}
	routes = append(routes, rt)
	h.routes.Store(&routes)
}

// webhookResponse is the JSON body of every response.
type webhookResponse struct {
	Status   string    `json:"status,omitempty"`
	Error    string    `json:"error,omitempty"`
	Problems []Problem `json:"problems,omitempty"`
}

// writeWebhookResponse writes resp as JSON with the given status code.
func writeWebhookResponse(w http.ResponseWriter, code int, resp webhookResponse) {
	body, err := json.Marshal(resp)
	if err != nil {
		body = []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write(append(body, '\n'))
}

// ServeHTTP handles one webhook delivery; see Handler for the responses.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h == nil {
		writeWebhookResponse(w, http.StatusInternalServerError, webhookResponse{Error: "webhook handler not configured"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeWebhookResponse(w, http.StatusMethodNotAllowed, webhookResponse{Error: "method not allowed; use POST"})
		return
	}
	limit := h.maxBody
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if r.ContentLength > limit {
		writeWebhookResponse(w, http.StatusRequestEntityTooLarge, webhookResponse{Error: "request body too large"})
		return
	}
	d := Delivery{Header: r.Header, ReceivedAt: time.Now()}
	if r.Body != nil {
		var err error
		d.Body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeWebhookResponse(w, http.StatusRequestEntityTooLarge, webhookResponse{Error: "request body too large"})
				return
			}
			writeWebhookResponse(w, http.StatusBadRequest, webhookResponse{Error: "could not read request body"})
			return
		}
	}

	ctx := r.Context()
	var v verdict
	if h.enqueuer == nil {
		v = h.process(ctx, d, r)
	} else {
		v = h.enqueue(ctx, d, r)
	}
	h.observe(ctx, v)
	switch v.code {
	case http.StatusConflict:
		w.Header().Set("Retry-After", "1")
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", retryAfterUnavailable)
	}
	if v.code < 300 {
		writeWebhookResponse(w, v.code, webhookResponse{Status: v.status})
		return
	}
	writeWebhookResponse(w, v.code, webhookResponse{Error: v.reason, Problems: v.problems})
}

// retryAfterUnavailable is the Retry-After, in seconds, of a 503.
const retryAfterUnavailable = "5"

// enqueue accepts d and hands it to the Enqueuer instead of processing it.
func (h *Handler) enqueue(ctx context.Context, d Delivery, r *http.Request) verdict {
	ev, v, ok := h.accept(ctx, &d, r)
	if !ok {
		return v
	}
	obs := Observation{EventID: string(ev.ID), EventType: ev.Type, Lag: d.ReceivedAt.Sub(ev.Timestamp)}
	if err := callRecovering(func() error { return h.enqueuer.Enqueue(ctx, d) }); err != nil {
		v := failed(obs, fmt.Errorf("enqueuer: %w", err))
		v.code, v.reason = http.StatusServiceUnavailable, "could not accept the delivery now"
		return v
	}
	obs.Outcome = OutcomeEnqueued
	return verdict{obs: obs, code: http.StatusAccepted, status: "enqueued"}
}

// dispatch runs every matching callback in registration order, reporting
// whether any matched and the joined errors of those that failed.
func (h *Handler) dispatch(ctx context.Context, ev *Event) (ran bool, err error) {
	routes := h.routes.Load()
	if routes == nil {
		return false, nil
	}
	var errs []error
	for _, rt := range *routes {
		if !rt.matches(ev) {
			continue
		}
		ran = true
		if err := callRecovering(func() error { return rt.call(ctx, ev) }); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", rt.desc, err))
		}
	}
	return ran, errors.Join(errs...)
}
