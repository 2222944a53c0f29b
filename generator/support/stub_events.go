package support

// This file stands in for the code krosgen generates, so that package
// support compiles and can be tested on its own. It is not copied into
// generated packages (its name starts with "stub_"); the generated package
// defines every name below itself, with one concrete type per event.
//
// Stub limitation: only call.completed, call.failed and payment.received
// have concrete types here; the other known event types parse to
// *UnknownEvent. Tests must use only those three types (plus genuinely
// unknown types) so that they keep passing against generated code.

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"
)

// EventType names a kind of webhook event, such as "call.completed".
type EventType string

// EventTypes returns every known event type, in documentation order.
func EventTypes() []EventType {
	return []EventType{
		"call.initiated",
		"call.ringing",
		"call.answered",
		"call.completed",
		"call.failed",
		"phone_number.purchased",
		"phone_number.released",
		"phone_number.updated",
		"endpoint.created",
		"endpoint.updated",
		"endpoint.deleted",
		"recording.ready",
		"transcript.ready",
		"port_request.submitted",
		"port_request.completed",
		"port_request.failed",
		"balance.low",
		"payment.received",
	}
}

// Event is one webhook delivery: the envelope and its typed data.
type Event struct {
	// Type is the event type, from the "event" member.
	Type EventType
	// ID identifies the event; redeliveries carry the same ID.
	ID string
	// Timestamp is when the event happened.
	Timestamp time.Time
	// Data is the event-specific payload.
	Data EventData
}

// EventData is implemented by the data type of every event.
type EventData interface {
	// EventType names the event type the data belongs to.
	EventType() EventType
	// Validate reports whether the data satisfies its schema.
	Validate() error
}

// UnknownEvent is the data of an event whose type this package does not know.
type UnknownEvent struct {
	// Type is the event type as received.
	Type EventType
	// Raw is the "data" member as received.
	Raw json.RawMessage
}

// EventType returns the event type as received.
func (u *UnknownEvent) EventType() EventType { return u.Type }

// Validate accepts any data: nothing is known about it.
func (u *UnknownEvent) Validate() error { return nil }

// CallCompleted is the data of a call.completed event.
type CallCompleted struct {
	// CallID identifies the call.
	CallID string `json:"call_id"`
	// Duration is the call's length in seconds.
	Duration int `json:"duration"`
}

// EventType returns "call.completed".
func (*CallCompleted) EventType() EventType { return "call.completed" }

// Validate requires a call_id.
func (c *CallCompleted) Validate() error {
	if c.CallID == "" {
		return &ValidationError{Problems: []Problem{{Pointer: "/data/call_id", Message: "required"}}}
	}
	return nil
}

// CallFailed is the data of a call.failed event.
type CallFailed struct {
	// CallID identifies the call.
	CallID string `json:"call_id"`
	// ErrorCode says why the call failed.
	ErrorCode string `json:"error_code"`
}

// EventType returns "call.failed".
func (*CallFailed) EventType() EventType { return "call.failed" }

// Validate requires a call_id.
func (c *CallFailed) Validate() error {
	if c.CallID == "" {
		return &ValidationError{Problems: []Problem{{Pointer: "/data/call_id", Message: "required"}}}
	}
	return nil
}

// PaymentReceived is the data of a payment.received event.
type PaymentReceived struct {
	// AmountCents is the amount paid.
	AmountCents int64 `json:"amount_cents"`
	// NewBalanceCents is the balance after the payment.
	NewBalanceCents int64 `json:"new_balance_cents"`
}

// EventType returns "payment.received".
func (*PaymentReceived) EventType() EventType { return "payment.received" }

// Validate requires a positive amount.
func (p *PaymentReceived) Validate() error {
	if p.AmountCents <= 0 {
		return &ValidationError{Problems: []Problem{{Pointer: "/data/amount_cents", Message: "must be positive"}}}
	}
	return nil
}

// stubPanicEventType makes the stub Parse panic, standing in for a bug in
// generated code, so that tests can check how the Handler copes.
const stubPanicEventType EventType = "stub.parse_panic"

// Parse decodes and validates one webhook payload. It returns a
// *SyntaxError for malformed JSON and a *ValidationError for a payload
// that breaks the schema.
func Parse(payload []byte) (*Event, error) {
	if err := syntaxCheck(payload); err != nil {
		return nil, err
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(payload, &env); err != nil || env == nil {
		return nil, &ValidationError{Problems: []Problem{{Pointer: "", Message: "expected an object"}}}
	}
	var probs []Problem
	var ev Event
	str := func(name string) string {
		raw, ok := env[name]
		if !ok {
			probs = append(probs, Problem{Pointer: "/" + name, Message: "required"})
			return ""
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || s == "" {
			probs = append(probs, Problem{Pointer: "/" + name, Message: "expected a non-empty string"})
			return ""
		}
		return s
	}
	ev.Type = EventType(str("event"))
	if ev.Type == stubPanicEventType {
		panic("stub parser bug")
	}
	ev.ID = str("id")
	if ts := str("timestamp"); ts != "" {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			probs = append(probs, Problem{Pointer: "/timestamp", Message: "expected an RFC 3339 date-time"})
		}
		ev.Timestamp = t
	}
	raw, ok := env["data"]
	if !ok || len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '{' {
		probs = append(probs, Problem{Pointer: "/data", Message: "expected an object"})
	} else if ev.Type != "" {
		var data EventData
		switch ev.Type {
		case "call.completed":
			data = new(CallCompleted)
		case "call.failed":
			data = new(CallFailed)
		case "payment.received":
			data = new(PaymentReceived)
		default:
			data = &UnknownEvent{Type: ev.Type, Raw: append(json.RawMessage(nil), raw...)}
		}
		if _, unknown := data.(*UnknownEvent); !unknown {
			if err := json.Unmarshal(raw, data); err != nil {
				probs = append(probs, Problem{Pointer: "/data", Message: err.Error()})
			} else if err := data.Validate(); err != nil {
				var ve *ValidationError
				if errors.As(err, &ve) {
					probs = append(probs, ve.Problems...)
				} else {
					probs = append(probs, Problem{Pointer: "/data", Message: err.Error()})
				}
			}
		}
		ev.Data = data
	}
	if len(probs) > 0 {
		return nil, &ValidationError{Problems: probs}
	}
	return &ev, nil
}

func syntaxCheck(payload []byte) error {
	var v any
	err := json.Unmarshal(payload, &v)
	var se *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return &SyntaxError{Offset: int(se.Offset), Msg: se.Error()}
	default:
		return &SyntaxError{Offset: len(payload), Msg: err.Error()}
	}
}
