package support

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultMaxBodyBytes is the largest request body a Handler reads unless
// WithMaxBodyBytes says otherwise: 1 MiB.
const DefaultMaxBodyBytes int64 = 1 << 20

// DefaultDedupCapacity is the number of event ids the default
// deduplicator of NewHandler remembers.
const DefaultDedupCapacity = 10000

// Handler is an http.Handler that receives KrosAI webhook deliveries,
// verifies, parses and deduplicates them, and passes each event to the
// callbacks registered with On and OnPattern. Create it with NewHandler;
// a zero Handler works, with the defaults, except that it does not
// deduplicate.
//
// # Responses
//
// KrosAI delivers each event at least once and retries deliveries that do
// not get a 2xx answer, so the status code tells it whether to retry:
//
//   - 405 Method Not Allowed, with "Allow: POST", for any method but POST;
//   - 413 Request Entity Too Large for a body over the limit (WithMaxBodyBytes);
//   - 401 Unauthorized when the verifier (WithVerifier) rejects the request;
//   - 400 Bad Request for malformed JSON or a payload that breaks the
//     schema, with the body {"error": "...", "problems": [{"pointer": "...",
//     "message": "..."}]}; retrying would not help;
//   - 200 OK when every callback for the event returned nil, when no
//     callback is registered for it (the event is acknowledged, not
//     retried), and for a duplicate of an event already handled, whose
//     callbacks are not called again;
//   - 409 Conflict, with "Retry-After: 1", while another delivery of the
//     same event id is still being handled, so the sender retries later;
//   - 500 Internal Server Error when a callback returned an error or
//     panicked, the deduplicator failed, or the verifier or Parse panicked,
//     so that KrosAI retries. Panics are recovered and logged with their
//     stack.
//
// Error responses other than 400 say nothing about the cause, which is
// logged instead (see WithLogger): rejected requests (400, 401) at level
// Warn, callback errors, panics and deduplicator failures at level Error.
//
// # Callbacks
//
// All callbacks that match an event run one after another, on the
// request's goroutine, in registration order, whether typed (On) or by
// pattern (OnPattern). An error or panic in one does not stop the others:
// all run, their errors are joined and logged, and the response is 500.
// Since the whole delivery is then retried, callbacks that succeeded run
// again: callbacks must be idempotent. The context passed to callbacks is
// the request's.
//
// # Deduplication
//
// Events are deduplicated by id (see Deduplicator): an id is recorded as
// handled only after all its callbacks succeeded, so a failed delivery
// runs again when retried, and concurrent deliveries of one id never run
// callbacks twice at once.
//
// # Concurrency
//
// A Handler is safe for concurrent use. Callbacks may be registered at any
// time, also while requests are being served: registration is
// copy-on-write, and a delivery uses the callbacks registered when its
// dispatch began.
type Handler struct {
	maxBody int64
	verify  func(r *http.Request, body []byte) error
	dedup   Deduplicator
	logger  *slog.Logger // nil means slog.Default() at the time of logging
	regMu   sync.Mutex   // serialises registrations
	routes  atomic.Pointer[[]*webhookRoute]
}

// webhookRoute is one registered callback.
type webhookRoute struct {
	desc    string
	matches func(ev *Event) bool
	call    func(ctx context.Context, ev *Event) error
}

// HandlerOption configures a Handler.
type HandlerOption func(*Handler)

// WithMaxBodyBytes limits the request body to n bytes; larger requests
// are answered 413. A limit of zero or less restores DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(h *Handler) {
		if n <= 0 {
			n = DefaultMaxBodyBytes
		}
		h.maxBody = n
	}
}

// WithVerifier makes the Handler call verify with each POST request and
// its raw body, before parsing; a non-nil error is answered 401. Use it
// for signature checks, such as StandardVerifier.Verify. A nil verify
// removes verification.
func WithVerifier(verify func(r *http.Request, body []byte) error) HandlerOption {
	return func(h *Handler) { h.verify = verify }
}

// WithDeduplicator replaces the default deduplicator, for example with one
// shared by several server instances. A nil d turns deduplication off, so
// every delivery of an event runs its callbacks.
func WithDeduplicator(d Deduplicator) HandlerOption {
	return func(h *Handler) { h.dedup = d }
}

// WithLogger sets the logger for callback errors, recovered panics and
// rejected requests. Without this option the Handler logs to
// slog.Default(), as it is at the time of logging, so that failures are
// never silent. A nil logger discards all logs.
func WithLogger(logger *slog.Logger) HandlerOption {
	return func(h *Handler) {
		if logger == nil {
			logger = slog.New(slog.DiscardHandler)
		}
		h.logger = logger
	}
}

// NewHandler returns a Handler with no callbacks, a body limit of
// DefaultMaxBodyBytes, no verifier, an in-memory deduplicator remembering
// DefaultDedupCapacity ids, and logging to slog.Default(), as changed by
// opts.
func NewHandler(opts ...HandlerOption) *Handler {
	h := &Handler{
		maxBody: DefaultMaxBodyBytes,
		dedup:   NewMemoryDeduplicator(DefaultDedupCapacity),
	}
	for _, opt := range opts {
		if opt != nil {
			opt(h)
		}
	}
	return h
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

// log returns the logger to use.
func (h *Handler) log() *slog.Logger {
	if h.logger != nil {
		return h.logger
	}
	return slog.Default()
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

// recoveredPanic is the error made from a panic in user code.
type recoveredPanic struct {
	value any
	stack []byte
}

// Error describes the panic value.
func (p *recoveredPanic) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// callRecovering calls fn, turning a panic into a *recoveredPanic error.
func callRecovering(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &recoveredPanic{value: v, stack: debug.Stack()}
		}
	}()
	return fn()
}

// logFailure logs err, with the stack if it is a recovered panic.
func (h *Handler) logFailure(ctx context.Context, msg string, err error, attrs ...slog.Attr) {
	var p *recoveredPanic
	if errors.As(err, &p) {
		attrs = append(attrs, slog.String("panic", fmt.Sprint(p.value)), slog.String("stack", string(p.stack)))
		msg += ": recovered panic"
	} else {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	h.log().LogAttrs(ctx, slog.LevelError, msg, attrs...)
}

// ServeHTTP handles one webhook delivery; see Handler for the responses.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h == nil {
		writeWebhookResponse(w, http.StatusInternalServerError, webhookResponse{Error: "webhook handler not configured"})
		return
	}
	ctx := r.Context()
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
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
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

	if h.verify != nil {
		if err := callRecovering(func() error { return h.verify(r, body) }); err != nil {
			var p *recoveredPanic
			if errors.As(err, &p) {
				h.logFailure(ctx, "webhook verifier failed", err)
				writeWebhookResponse(w, http.StatusInternalServerError, webhookResponse{Error: "internal error"})
				return
			}
			h.log().LogAttrs(ctx, slog.LevelWarn, "webhook verification failed", slog.String("error", err.Error()))
			writeWebhookResponse(w, http.StatusUnauthorized, webhookResponse{Error: "signature verification failed"})
			return
		}
	}

	var ev *Event
	err := callRecovering(func() error {
		var err error
		ev, err = Parse(body)
		return err
	})
	if p := (*recoveredPanic)(nil); errors.As(err, &p) {
		// A bug in this package, not a fault of the payload: answer as for
		// any internal failure, without telling the sender the cause.
		h.logFailure(ctx, "webhook payload parser failed", err)
		writeWebhookResponse(w, http.StatusInternalServerError, webhookResponse{Error: "internal error"})
		return
	}
	if err == nil && ev == nil {
		err = &ValidationError{Problems: []Problem{{Message: "no event"}}}
	}
	if err != nil {
		resp := webhookResponse{Error: "invalid payload"}
		var se *SyntaxError
		var ve *ValidationError
		switch {
		case errors.As(err, &se):
			resp.Error = "malformed JSON"
			resp.Problems = []Problem{{Pointer: "", Message: se.Error()}}
		case errors.As(err, &ve) && len(ve.Problems) > 0:
			resp.Problems = ve.Problems
		default:
			resp.Problems = []Problem{{Pointer: "", Message: err.Error()}}
		}
		h.log().LogAttrs(ctx, slog.LevelWarn, "webhook payload rejected", slog.String("error", err.Error()))
		writeWebhookResponse(w, http.StatusBadRequest, resp)
		return
	}

	attrs := []slog.Attr{slog.String("event_id", string(ev.ID)), slog.String("event_type", string(ev.Type))}
	dedup := h.dedup
	if ev.ID == "" {
		dedup = nil // nothing to deduplicate by; Parse normally rejects this
	}
	if dedup != nil {
		var status DedupStatus
		err := callRecovering(func() error {
			var err error
			status, err = dedup.Reserve(ctx, string(ev.ID))
			return err
		})
		switch {
		case err != nil:
			h.logFailure(ctx, "webhook deduplicator failed", err, attrs...)
			writeWebhookResponse(w, http.StatusInternalServerError, webhookResponse{Error: "internal error"})
			return
		case status == DedupDuplicate:
			writeWebhookResponse(w, http.StatusOK, webhookResponse{Status: "duplicate"})
			return
		case status == DedupInFlight:
			w.Header().Set("Retry-After", "1")
			writeWebhookResponse(w, http.StatusConflict, webhookResponse{Error: "a delivery of this event is in progress"})
			return
		case status != DedupReserved:
			h.logFailure(ctx, "webhook deduplicator failed", fmt.Errorf("unexpected status %d", int(status)), attrs...)
			writeWebhookResponse(w, http.StatusInternalServerError, webhookResponse{Error: "internal error"})
			return
		}
	}

	// From here on the reservation must be ended on every path.
	ended := false
	endCtx := context.WithoutCancel(ctx)
	if dedup != nil {
		defer func() {
			if !ended {
				h.release(endCtx, dedup, string(ev.ID), attrs)
			}
		}()
	}

	handled, err := h.dispatch(ctx, ev, attrs)
	if err != nil {
		if dedup != nil {
			ended = true
			h.release(endCtx, dedup, string(ev.ID), attrs)
		}
		writeWebhookResponse(w, http.StatusInternalServerError, webhookResponse{Error: "event handler failed"})
		return
	}
	if dedup != nil {
		ended = true
		if err := callRecovering(func() error { return dedup.Commit(endCtx, string(ev.ID)) }); err != nil {
			h.logFailure(ctx, "webhook deduplicator failed to record a handled event", err, attrs...)
		}
	}
	status := "handled"
	if !handled {
		status = "ignored"
	}
	writeWebhookResponse(w, http.StatusOK, webhookResponse{Status: status})
}

// release ends a reservation without recording the event as handled.
func (h *Handler) release(ctx context.Context, d Deduplicator, id string, attrs []slog.Attr) {
	if err := callRecovering(func() error { return d.Release(ctx, id) }); err != nil {
		h.logFailure(ctx, "webhook deduplicator failed to release an event", err, attrs...)
	}
}

// dispatch runs every matching callback in registration order, reporting
// whether any matched and the joined errors of those that failed.
func (h *Handler) dispatch(ctx context.Context, ev *Event, attrs []slog.Attr) (handled bool, err error) {
	routes := h.routes.Load()
	if routes == nil {
		return false, nil
	}
	var errs []error
	for _, rt := range *routes {
		if !rt.matches(ev) {
			continue
		}
		handled = true
		if err := callRecovering(func() error { return rt.call(ctx, ev) }); err != nil {
			h.logFailure(ctx, "webhook callback failed", err, append(attrs, slog.String("callback", rt.desc))...)
			errs = append(errs, fmt.Errorf("%s: %w", rt.desc, err))
		}
	}
	return handled, errors.Join(errs...)
}

// DedupStatus is the outcome of Deduplicator.Reserve.
type DedupStatus int

const (
	// DedupReserved means the caller now holds the claim on the id and must
	// end it with exactly one Commit or Release.
	DedupReserved DedupStatus = iota
	// DedupDuplicate means the id was committed before: the event was
	// already handled.
	DedupDuplicate
	// DedupInFlight means another delivery holds the claim on the id.
	DedupInFlight
)

// String names the status.
func (s DedupStatus) String() string {
	switch s {
	case DedupReserved:
		return "reserved"
	case DedupDuplicate:
		return "duplicate"
	case DedupInFlight:
		return "in flight"
	}
	return fmt.Sprintf("DedupStatus(%d)", int(s))
}

// Deduplicator remembers which event ids have been handled, so that
// redeliveries of an event (webhooks are delivered at least once) do not
// run its callbacks again. A Handler calls Reserve when an event arrives;
// if that returns DedupReserved, it calls Commit after all callbacks
// succeeded, or Release if any failed, so that a retried delivery runs
// again. Between Reserve and Commit or Release, other deliveries of the id
// get DedupInFlight, so concurrent duplicates never both run callbacks.
//
// The three methods map onto a shared store, such as Redis: Reserve is
// "set id to pending if absent", Commit "set id to done (with an expiry)",
// Release "delete id if pending". Implementations must be safe for
// concurrent use.
type Deduplicator interface {
	// Reserve claims id for one delivery, or reports why it cannot.
	Reserve(ctx context.Context, id string) (DedupStatus, error)
	// Commit records id as handled, ending the claim.
	Commit(ctx context.Context, id string) error
	// Release ends the claim without recording id as handled.
	Release(ctx context.Context, id string) error
}

// MemoryDeduplicator is an in-memory Deduplicator for a single process.
// It remembers a bounded number of committed ids and forgets the oldest
// committed first; ids being handled (reserved, not yet committed or
// released) are not counted and never forgotten. It is safe for
// concurrent use.
type MemoryDeduplicator struct {
	mu       sync.Mutex
	capacity int
	done     map[string]bool // true: committed; false: reserved
	ring     []string        // committed ids, oldest at next once full
	next     int
}

// errNilMemoryDeduplicator is returned by the methods of a nil *MemoryDeduplicator.
var errNilMemoryDeduplicator = errors.New("nil *MemoryDeduplicator")

// NewMemoryDeduplicator returns a MemoryDeduplicator that remembers up to
// capacity committed ids; a capacity of zero or less means
// DefaultDedupCapacity.
func NewMemoryDeduplicator(capacity int) *MemoryDeduplicator {
	if capacity <= 0 {
		capacity = DefaultDedupCapacity
	}
	return &MemoryDeduplicator{capacity: capacity, done: make(map[string]bool)}
}

// Reserve claims id unless it is committed (DedupDuplicate) or already
// claimed (DedupInFlight). It returns an error only for a nil receiver.
func (m *MemoryDeduplicator) Reserve(_ context.Context, id string) (DedupStatus, error) {
	if m == nil {
		return 0, errNilMemoryDeduplicator
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.done == nil {
		m.init()
	}
	if committed, ok := m.done[id]; ok {
		if committed {
			return DedupDuplicate, nil
		}
		return DedupInFlight, nil
	}
	m.done[id] = false
	return DedupReserved, nil
}

// Commit records id as handled, forgetting the oldest committed id if the
// capacity is reached. Committing an id that was not reserved records it
// too. It returns an error only for a nil receiver.
func (m *MemoryDeduplicator) Commit(_ context.Context, id string) error {
	if m == nil {
		return errNilMemoryDeduplicator
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.done == nil {
		m.init()
	}
	if m.done[id] {
		return nil
	}
	if len(m.ring) < m.capacity {
		m.ring = append(m.ring, id)
	} else {
		if old := m.ring[m.next]; m.done[old] {
			delete(m.done, old)
		}
		m.ring[m.next] = id
		m.next = (m.next + 1) % m.capacity
	}
	m.done[id] = true
	return nil
}

// Release forgets a reservation of id; a committed id stays committed. It
// returns an error only for a nil receiver.
func (m *MemoryDeduplicator) Release(_ context.Context, id string) error {
	if m == nil {
		return errNilMemoryDeduplicator
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if committed, ok := m.done[id]; ok && !committed {
		delete(m.done, id)
	}
	return nil
}

// init makes a zero MemoryDeduplicator usable, with the default capacity.
func (m *MemoryDeduplicator) init() {
	m.done = make(map[string]bool)
	if m.capacity <= 0 {
		m.capacity = DefaultDedupCapacity
	}
}
