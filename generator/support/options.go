//go:build krosgen_template

package support

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// HandlerOption configures a Handler.
type HandlerOption func(*Handler)

// NewHandler returns a Handler with no callbacks, a body limit of
// DefaultMaxBodyBytes, no verifier, an in-memory deduplicator keeping ids
// for DefaultRetention, leases of DefaultLease, and LogObserver logging to
// slog.Default(), as changed by opts.
func NewHandler(opts ...HandlerOption) *Handler {
	h := &Handler{
		maxBody: DefaultMaxBodyBytes,
		dedup:   NewMemoryDeduplicator(DefaultRetention),
		lease:   DefaultLease,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(h)
		}
	}
	return h
}

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

// WithVerifier makes the Handler call verify with each delivery and its
// raw body, before parsing; a non-nil error is answered 401 (and is
// permanent for Process). Use it for signature checks, such as
// StandardVerifier.Verify. Process passes a request that carries only the
// delivery's headers, and a context holding its received time (see
// ReceivedAt). A nil verify removes verification.
func WithVerifier(verify func(r *http.Request, body []byte) error) HandlerOption {
	return func(h *Handler) { h.verify = verify }
}

// WithDeduplicator replaces the default in-memory deduplicator, for
// example with one shared by several replicas (a PostgreSQL store). A nil
// d turns deduplication off, so every delivery of an event runs its
// callbacks.
func WithDeduplicator(d Deduplicator) HandlerOption {
	return func(h *Handler) { h.dedup = d }
}

// WithLease sets how long a delivery holds the claim on its event id
// while its callbacks run; they are cancelled when it ends, and a retry
// may then take the event over. Choose it longer than the slowest
// callback. Zero or less restores DefaultLease.
func WithLease(d time.Duration) HandlerOption {
	return func(h *Handler) {
		if d <= 0 {
			d = DefaultLease
		}
		h.lease = d
	}
}

// Enqueuer hands an accepted delivery to a durable queue, whose worker
// calls Handler.Process with it. Enqueueing a delivery whose ID was
// enqueued before must not be an error; Process runs its callbacks once
// in any case, since it deduplicates. It must be safe for concurrent use.
type Enqueuer interface {
	Enqueue(ctx context.Context, d Delivery) error
}

// EnqueuerFunc adapts a function to an Enqueuer.
type EnqueuerFunc func(ctx context.Context, d Delivery) error

// Enqueue calls f.
func (f EnqueuerFunc) Enqueue(ctx context.Context, d Delivery) error { return f(ctx, d) }

// WithEnqueuer makes ServeHTTP answer fast: it verifies and parses each
// delivery (401, 400 and 413 as without it), passes it to e, with its ID
// set, and answers 202 Accepted, or 503 Service Unavailable with
// Retry-After when e fails. No callback runs on the request; the queue's
// worker runs them through Process. A nil e restores processing on the
// request.
func WithEnqueuer(e Enqueuer) HandlerOption {
	return func(h *Handler) { h.enqueuer = e }
}

// InvalidPolicy says what a Handler does with a delivery whose payload is
// malformed or breaks the schema.
type InvalidPolicy struct {
	keep func(ctx context.Context, d Delivery, reason error) error
}

// RejectInvalid is the default policy: an invalid delivery is answered
// 400, and Process returns a permanent error.
func RejectInvalid() InvalidPolicy { return InvalidPolicy{} }

// QuarantineInvalid keeps invalid deliveries for replay instead of losing
// them: keep receives the delivery and the reason (a *SyntaxError or
// *ValidationError, with every problem), and once it returns nil the
// sender gets 202 Accepted, so that it stops retrying, and Process returns
// nil. An error from keep is answered 500, so the sender retries. Use it
// when KrosAI may send payloads that drift from the schema; a nil keep
// means RejectInvalid.
func QuarantineInvalid(keep func(ctx context.Context, d Delivery, reason error) error) InvalidPolicy {
	return InvalidPolicy{keep: keep}
}

// WithOnInvalid sets the policy for invalid payloads (RejectInvalid by
// default). It never applies to deliveries that fail verification.
func WithOnInvalid(p InvalidPolicy) HandlerOption {
	return func(h *Handler) { h.quarantine = p.keep }
}

// WithObserver replaces the default LogObserver: o is told the outcome of
// every delivery. To keep the logs as well, pass
// Observers(LogObserver(logger), o). A nil o restores the default.
func WithObserver(o Observer) HandlerOption {
	return func(h *Handler) { h.observer = o }
}

// WithLogger sets the logger of the default observer (see LogObserver).
// Without this option the Handler logs to slog.Default(), as it is at the
// time of logging, so that failures are never silent. A nil logger
// discards all logs.
func WithLogger(logger *slog.Logger) HandlerOption {
	return func(h *Handler) {
		if logger == nil {
			logger = slog.New(slog.DiscardHandler)
		}
		h.logger = logger
	}
}
