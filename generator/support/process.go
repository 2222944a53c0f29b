//go:build krosgen_template

package support

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"
)

// Delivery is one webhook delivery as received: the raw headers and body,
// so that whoever processes it (ServeHTTP, a queue worker, a replay) can
// verify and parse it again.
type Delivery struct {
	// ID is the event id the delivery is deduplicated by: the envelope's
	// "id". It may be empty, in which case Process takes it from the body;
	// otherwise Process refuses a body with another id.
	ID string
	// Header holds the request headers, with the signature ones.
	Header http.Header
	// Body is the raw request body.
	Body []byte
	// ReceivedAt is when the delivery arrived. A verifier checks the
	// signature's timestamp against it (see ReceivedAt), so a queued
	// delivery can be verified again when it is processed. Zero means now.
	ReceivedAt time.Time
}

// ErrPermanent is in the chain of every error of Process that retrying the
// same delivery cannot cure: a bad signature, a malformed or invalid
// payload, a signed webhook-id or Delivery.ID other than the event id.
// Test for it with errors.Is; code in another module can also look for an
// error with a method Permanent() bool, without importing this package.
// Every other error of Process (a callback, the deduplicator or a panic) is
// temporary.
var ErrPermanent = errors.New("permanent delivery failure")

// ErrInFlight is returned by Process while another delivery of the same
// event id holds a live lease; retry later.
var ErrInFlight = errors.New("another delivery of this event is in progress")

// permanentError marks err as one that retrying cannot cure.
type permanentError struct{ err error }

func (e *permanentError) Error() string        { return e.err.Error() }
func (e *permanentError) Unwrap() error        { return e.err }
func (e *permanentError) Is(target error) bool { return target == ErrPermanent }

// Permanent reports that the error is permanent, for code that cannot
// import this package (errors.As with an interface{ Permanent() bool }).
func (e *permanentError) Permanent() bool { return true }

// receivedAtKey is the context key of ReceivedAt.
type receivedAtKey struct{}

// ReceivedAt returns the received time of the delivery a verifier is
// called for by Process, so that a signature timestamp is checked against
// it rather than against the current time; ok is false when ctx carries
// none (ServeHTTP verifies as the request arrives).
func ReceivedAt(ctx context.Context) (t time.Time, ok bool) {
	t, ok = ctx.Value(receivedAtKey{}).(time.Time)
	return t, ok
}

// Process verifies (when a verifier is set), parses, deduplicates and
// dispatches one delivery, exactly as ServeHTTP does without an Enqueuer:
// a nil error means the event is handled, was handled before, or has no
// callback. Use it to process deliveries outside HTTP: from a queue
// (WithEnqueuer), or to replay kept ones.
//
// errors.Is(err, ErrPermanent) reports whether retrying cannot help.
// Invalid payloads are kept instead of refused under WithOnInvalid.
func (h *Handler) Process(ctx context.Context, d Delivery) error {
	if h == nil {
		return errors.New("Process: nil Handler")
	}
	return h.observe(ctx, h.process(ctx, d, nil)).err
}

// verdict is what became of a delivery: what to observe and what to answer.
type verdict struct {
	obs      Observation
	code     int    // the HTTP status
	status   string // the "status" of a 2xx answer
	reason   string // the "error" of any other answer
	problems []Problem
	err      error // what Process returns
}

// observe reports v to the observer and returns it.
func (h *Handler) observe(ctx context.Context, v verdict) verdict {
	obs := h.observer
	if obs == nil {
		obs = LogObserver(h.logger)
	}
	_ = callRecovering(func() error { obs.Observe(ctx, v.obs); return nil }) // an Observer's panic must not change the answer
	return v
}

// process runs the whole pipeline; r is the HTTP request, if any.
func (h *Handler) process(ctx context.Context, d Delivery, r *http.Request) verdict {
	ev, v, ok := h.accept(ctx, &d, r)
	if !ok {
		return v
	}
	return h.handle(ctx, d, ev)
}

// accept verifies and parses d: ok is false when v says why it goes no
// further (unverified, invalid, quarantined, failed).
func (h *Handler) accept(ctx context.Context, d *Delivery, r *http.Request) (ev *Event, v verdict, ok bool) {
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = time.Now()
	}
	if h.verify != nil {
		if r == nil {
			r = (&http.Request{Method: http.MethodPost, Header: d.Header}).WithContext(context.WithValue(ctx, receivedAtKey{}, d.ReceivedAt))
		}
		if err := callRecovering(func() error { return h.verify(r, d.Body) }); err != nil {
			if isPanic(err) {
				return nil, failed(Observation{}, fmt.Errorf("verifier: %w", err)), false
			}
			return nil, unverified(Observation{}, err), false
		}
	}
	parse := h.parse
	if parse == nil {
		parse = Parse
	}
	err := callRecovering(func() error {
		var err error
		ev, err = parse(d.Body)
		return err
	})
	if err == nil && ev == nil {
		err = &ValidationError{Problems: []Problem{{Message: "no event"}}}
	}
	switch {
	case isPanic(err):
		// A bug in this package, not a fault of the payload: answer as for
		// any internal failure, without telling the sender the cause.
		return nil, failed(Observation{}, fmt.Errorf("parser: %w", err)), false
	case err != nil:
		return nil, h.invalid(ctx, *d, err), false
	}
	obs := Observation{EventID: string(ev.ID), EventType: ev.Type, Lag: d.ReceivedAt.Sub(ev.Timestamp)}
	if h.verify != nil {
		if signed := d.Header.Get(HeaderWebhookID); signed != "" && signed != string(ev.ID) {
			// The signature covers webhook-id and the body; the two ids must
			// agree, or a signed delivery could be replayed under another
			// deduplication key.
			return nil, idMismatch(obs, fmt.Errorf("signed %s %q is not the event id %q", HeaderWebhookID, signed, string(ev.ID))), false
		}
	}
	if d.ID == "" {
		d.ID = string(ev.ID)
	} else if d.ID != string(ev.ID) {
		return nil, idMismatch(obs, fmt.Errorf("delivery id %q is not the event id %q", d.ID, string(ev.ID))), false
	}
	return ev, verdict{obs: obs}, true
}

// invalid answers a payload that Parse refused: 400, or 202 once kept by
// the quarantine of WithOnInvalid.
func (h *Handler) invalid(ctx context.Context, d Delivery, err error) verdict {
	v := verdict{obs: Observation{Outcome: OutcomeInvalid, Err: err}, code: http.StatusBadRequest, reason: "invalid payload", err: &permanentError{err}}
	var se *SyntaxError
	var ve *ValidationError
	switch {
	case errors.As(err, &se):
		v.reason = "malformed JSON"
		v.problems = []Problem{{Message: se.Error()}}
	case errors.As(err, &ve) && len(ve.Problems) > 0:
		v.problems = ve.Problems
	default:
		v.problems = []Problem{{Message: err.Error()}}
	}
	if h.quarantine == nil {
		return v
	}
	if qerr := callRecovering(func() error { return h.quarantine(ctx, d, err) }); qerr != nil {
		return failed(v.obs, fmt.Errorf("quarantine: %w", qerr))
	}
	return verdict{obs: Observation{Outcome: OutcomeQuarantined, Err: err}, code: http.StatusAccepted, status: "quarantined"}
}

// handle claims the event id, runs the callbacks and ends the claim.
func (h *Handler) handle(ctx context.Context, d Delivery, ev *Event) verdict {
	obs := Observation{EventID: string(ev.ID), EventType: ev.Type, Lag: d.ReceivedAt.Sub(ev.Timestamp)}
	dedup := h.dedup
	if ev.ID == "" {
		dedup = nil // nothing to deduplicate by; Parse normally rejects this
	}
	lease := h.lease
	if lease <= 0 {
		lease = DefaultLease
	}
	var token int64
	if dedup != nil {
		var done bool
		err := callRecovering(func() error {
			var err error
			token, done, err = dedup.Claim(ctx, string(ev.ID), lease)
			return err
		})
		switch {
		case err != nil:
			return failed(obs, fmt.Errorf("deduplicator: %w", err))
		case token == 0 && done:
			obs.Outcome = OutcomeDuplicate
			return verdict{obs: obs, code: http.StatusOK, status: "duplicate"}
		case token == 0:
			obs.Outcome, obs.Err = OutcomeInFlight, ErrInFlight
			return verdict{obs: obs, code: http.StatusConflict, reason: ErrInFlight.Error(), err: ErrInFlight}
		}
	}

	// The callbacks stop when the lease ends: by then another delivery may
	// have taken the event over.
	cbCtx, cancel := context.WithTimeout(ctx, lease)
	start := time.Now()
	ran, err := h.dispatch(cbCtx, ev)
	cancel()
	if ran {
		obs.CallbackLatency = time.Since(start)
	}
	endCtx := context.WithoutCancel(ctx)
	if err != nil {
		if dedup != nil {
			if rerr := callRecovering(func() error { return dedup.Release(endCtx, string(ev.ID), token) }); rerr != nil {
				err = errors.Join(err, fmt.Errorf("deduplicator release: %w", rerr))
			}
		}
		v := failed(obs, err)
		v.reason = "event handler failed"
		return v
	}
	if dedup != nil {
		if err := callRecovering(func() error { return dedup.Commit(endCtx, string(ev.ID), token) }); err != nil {
			// The callbacks ran, but the event is not recorded as handled
			// (the store failed, or the lease was lost to a take-over): the
			// sender must retry, to find it done or run it again. Releasing
			// spares the retry the wait for the lease; it fails harmlessly
			// when the lease is lost.
			_ = callRecovering(func() error { return dedup.Release(endCtx, string(ev.ID), token) })
			return failed(obs, fmt.Errorf("deduplicator commit: %w", err))
		}
	}
	obs.Outcome = OutcomeHandled
	if !ran {
		obs.Outcome = OutcomeIgnored
	}
	return verdict{obs: obs, code: http.StatusOK, status: obs.Outcome.String()}
}

// unverified is the verdict on a delivery whose signature does not hold.
func unverified(obs Observation, err error) verdict {
	obs.Outcome, obs.Err = OutcomeUnverified, err
	return verdict{obs: obs, code: http.StatusUnauthorized, reason: "signature verification failed", err: &permanentError{err}}
}

// idMismatch is the verdict on a delivery whose id is not its event's.
func idMismatch(obs Observation, err error) verdict {
	obs.Outcome, obs.Err = OutcomeInvalid, err
	return verdict{obs: obs, code: http.StatusBadRequest, reason: "invalid payload", problems: []Problem{{Pointer: "/id", Message: err.Error()}}, err: &permanentError{err}}
}

// failed is the verdict on a delivery that a retry may get through.
func failed(obs Observation, err error) verdict {
	obs.Outcome, obs.Err = OutcomeFailed, err
	return verdict{obs: obs, code: http.StatusInternalServerError, reason: "internal error", err: err}
}

// recoveredPanic is the error made from a panic in user code.
type recoveredPanic struct {
	value any
	stack []byte
}

// Error describes the panic value.
func (p *recoveredPanic) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// isPanic reports whether err holds a recovered panic.
func isPanic(err error) bool {
	var p *recoveredPanic
	return errors.As(err, &p)
}

// callRecovering calls fn, turning a panic into a *recoveredPanic error.
func callRecovering(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &recoveredPanic{value: v, stack: debug.Stack()}
		}
	}()
	return fn()
}
