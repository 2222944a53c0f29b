//go:build krosgen_template

package support

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Outcome is what became of one delivery.
type Outcome int

const (
	// OutcomeHandled means every callback for the event returned nil.
	OutcomeHandled Outcome = iota + 1
	// OutcomeIgnored means no callback is registered for the event; it is
	// acknowledged all the same.
	OutcomeIgnored
	// OutcomeDuplicate means the event id was handled before; no callback ran.
	OutcomeDuplicate
	// OutcomeInFlight means another delivery of the event id holds a live lease.
	OutcomeInFlight
	// OutcomeInvalid means the payload is malformed or breaks the schema.
	OutcomeInvalid
	// OutcomeUnverified means the verifier rejected the delivery, or its
	// signed webhook-id is not the event id.
	OutcomeUnverified
	// OutcomeEnqueued means the delivery was handed to the Enqueuer.
	OutcomeEnqueued
	// OutcomeQuarantined means an invalid delivery was kept (WithOnInvalid).
	OutcomeQuarantined
	// OutcomeFailed means a callback, the store, the queue or the
	// verifier failed, or a panic was recovered; a retry can succeed.
	OutcomeFailed
)

// String names the outcome: "handled", "in flight", ...
func (o Outcome) String() string {
	switch o {
	case OutcomeHandled:
		return "handled"
	case OutcomeIgnored:
		return "ignored"
	case OutcomeDuplicate:
		return "duplicate"
	case OutcomeInFlight:
		return "in flight"
	case OutcomeInvalid:
		return "invalid"
	case OutcomeUnverified:
		return "unverified"
	case OutcomeEnqueued:
		return "enqueued"
	case OutcomeQuarantined:
		return "quarantined"
	case OutcomeFailed:
		return "failed"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Observation reports one delivery to an Observer.
type Observation struct {
	// Outcome is what became of the delivery.
	Outcome Outcome
	// EventID and EventType are the envelope's; empty when the payload
	// could not be parsed.
	EventID   string
	EventType EventType
	// Err says why, for every outcome but handled, ignored, duplicate and
	// enqueued; for OutcomeFailed it may hold a recovered panic, whose
	// stack LogObserver logs.
	Err error
	// CallbackLatency is the time the callbacks took; zero when none ran.
	CallbackLatency time.Duration
	// Lag is the delivery's received time minus the event's timestamp:
	// how late the event reached this receiver. Zero when the payload
	// could not be parsed.
	Lag time.Duration
}

// Observer is told about every delivery a Handler receives or processes,
// once, when its outcome is known: for metrics, tracing or logs. It is
// called on the delivery's goroutine and should return quickly.
type Observer interface {
	Observe(ctx context.Context, o Observation)
}

// ObserverFunc adapts a function to an Observer.
type ObserverFunc func(ctx context.Context, o Observation)

// Observe calls f.
func (f ObserverFunc) Observe(ctx context.Context, o Observation) { f(ctx, o) }

// Observers returns an Observer that tells each of observers in turn; nil
// entries are skipped.
func Observers(observers ...Observer) Observer {
	return ObserverFunc(func(ctx context.Context, o Observation) {
		for _, obs := range observers {
			if obs != nil {
				obs.Observe(ctx, o)
			}
		}
	})
}

// LogObserver returns the Observer a Handler uses unless WithObserver says
// otherwise: it logs rejected deliveries (invalid, unverified) at level
// Warn, failures at level Error (with the stack of a recovered panic), and
// every other outcome at level Debug, to logger, or to slog.Default() as
// it is at the time of logging when logger is nil.
func LogObserver(logger *slog.Logger) Observer {
	return ObserverFunc(func(ctx context.Context, o Observation) {
		l := logger
		if l == nil {
			l = slog.Default()
		}
		level := slog.LevelDebug
		switch o.Outcome {
		case OutcomeInvalid, OutcomeUnverified, OutcomeQuarantined:
			level = slog.LevelWarn
		case OutcomeFailed:
			level = slog.LevelError
		}
		if !l.Enabled(ctx, level) {
			return
		}
		msg := "webhook delivery " + o.Outcome.String()
		switch o.Outcome {
		case OutcomeInvalid:
			msg = "webhook payload rejected"
		case OutcomeUnverified:
			msg = "webhook verification failed"
		case OutcomeQuarantined:
			msg = "webhook payload quarantined"
		}
		attrs := make([]slog.Attr, 0, 7)
		if o.EventID != "" {
			attrs = append(attrs, slog.String("event_id", o.EventID), slog.String("event_type", string(o.EventType)))
		}
		if o.Err != nil {
			attrs = append(attrs, slog.String("error", o.Err.Error()))
			var p *recoveredPanic
			if errors.As(o.Err, &p) {
				msg += ": recovered panic"
				attrs = append(attrs, slog.String("panic", fmt.Sprint(p.value)), slog.String("stack", string(p.stack)))
			}
		}
		if o.CallbackLatency > 0 {
			attrs = append(attrs, slog.Duration("callback_latency", o.CallbackLatency))
		}
		if o.Lag != 0 {
			attrs = append(attrs, slog.Duration("lag", o.Lag))
		}
		l.LogAttrs(ctx, level, msg, attrs...)
	})
}
