package krosai_test

// Field-by-field tests of the 18 documented examples, and specifications of
// Parse and Event behaviour. The payloads are typed here as in the KrosAI
// docs; TestFields_PayloadsAreTheDocumented checks them against the docs.

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

const docCallInitiated = `{
  "event": "call.initiated",
  "id": "evt_001",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "call_id": "call_abc123",
    "direction": "inbound",
    "from_number": "+14155551234",
    "to_number": "+2348012345678",
    "phone_number_id": "pn_123",
    "endpoint_id": "ep_456"
  }
}`

const docCallRinging = `{
  "event": "call.ringing",
  "id": "evt_002",
  "timestamp": "2025-01-10T12:00:01Z",
  "data": {
    "call_id": "call_abc123"
  }
}`

const docCallAnswered = `{
  "event": "call.answered",
  "id": "evt_003",
  "timestamp": "2025-01-10T12:00:05Z",
  "data": {
    "call_id": "call_abc123",
    "answered_at": "2025-01-10T12:00:05Z"
  }
}`

const docCallCompleted = `{
  "event": "call.completed",
  "id": "evt_004",
  "timestamp": "2025-01-10T12:03:05Z",
  "data": {
    "call_id": "call_abc123",
    "direction": "inbound",
    "from_number": "+14155551234",
    "to_number": "+2348012345678",
    "duration": 180,
    "cost_cents": 12,
    "hangup_cause": "normal_clearing",
    "recording_url": "https://storage.krosai.com/recordings/call_abc123.mp3",
    "transcript": "Hello, how can I help you today?...",
    "metadata": {
      "customer_id": "cust_123"
    }
  }
}`

const docCallFailed = `{
  "event": "call.failed",
  "id": "evt_005",
  "timestamp": "2025-01-10T12:00:30Z",
  "data": {
    "call_id": "call_abc123",
    "direction": "outbound",
    "from_number": "+2348012345678",
    "to_number": "+14155551234",
    "error_code": "NETWORK_ERROR",
    "error_message": "Failed to establish connection"
  }
}`

const docPhoneNumberPurchased = `{
  "event": "phone_number.purchased",
  "id": "evt_010",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "phone_number_id": "pn_abc123",
    "number": "+2348012345678",
    "country": "NG",
    "type": "local",
    "monthly_cost_cents": 500
  }
}`

const docPhoneNumberReleased = `{
  "event": "phone_number.released",
  "id": "evt_011",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "phone_number_id": "pn_abc123",
    "number": "+2348012345678"
  }
}`

const docPhoneNumberUpdated = `{
  "event": "phone_number.updated",
  "id": "evt_012",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "phone_number_id": "pn_abc123",
    "changes": {
      "endpoint_id": {
        "old": "ep_old",
        "new": "ep_new"
      }
    }
  }
}`

const docEndpointCreated = `{
  "event": "endpoint.created",
  "id": "evt_020",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "endpoint_id": "ep_abc123",
    "name": "Support Agent",
    "type": "agent",
    "provider": "elevenlabs"
  }
}`

const docEndpointUpdated = `{
  "event": "endpoint.updated",
  "id": "evt_021",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "endpoint_id": "ep_abc123",
    "changes": {
      "status": {
        "old": "active",
        "new": "inactive"
      }
    }
  }
}`

const docEndpointDeleted = `{
  "event": "endpoint.deleted",
  "id": "evt_022",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "endpoint_id": "ep_abc123"
  }
}`

const docRecordingReady = `{
  "event": "recording.ready",
  "id": "evt_030",
  "timestamp": "2025-01-10T12:05:00Z",
  "data": {
    "call_id": "call_abc123",
    "recording_url": "https://storage.krosai.com/recordings/call_abc123.mp3",
    "duration_seconds": 180,
    "size_bytes": 2160000
  }
}`

const docTranscriptReady = `{
  "event": "transcript.ready",
  "id": "evt_031",
  "timestamp": "2025-01-10T12:05:30Z",
  "data": {
    "call_id": "call_abc123",
    "transcript": "[Agent]: Hello...",
    "word_count": 156,
    "language": "en"
  }
}`

const docPortRequestSubmitted = `{
  "event": "port_request.submitted",
  "id": "evt_040",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "port_request_id": "pr_abc123",
    "phone_number": "+2348012345678",
    "current_carrier": "mtn"
  }
}`

const docPortRequestCompleted = `{
  "event": "port_request.completed",
  "id": "evt_041",
  "timestamp": "2025-01-25T10:00:00Z",
  "data": {
    "port_request_id": "pr_abc123",
    "phone_number_id": "pn_new123",
    "phone_number": "+2348012345678"
  }
}`

const docPortRequestFailed = `{
  "event": "port_request.failed",
  "id": "evt_042",
  "timestamp": "2025-01-15T14:00:00Z",
  "data": {
    "port_request_id": "pr_abc123",
    "reason": "Account name mismatch",
    "phone_number": "+2348012345678"
  }
}`

const docBalanceLow = `{
  "event": "balance.low",
  "id": "evt_050",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "current_balance_cents": 500,
    "threshold_cents": 1000
  }
}`

const docPaymentReceived = `{
  "event": "payment.received",
  "id": "evt_051",
  "timestamp": "2025-01-10T12:00:00Z",
  "data": {
    "amount_cents": 10000,
    "payment_method": "card",
    "new_balance_cents": 10500
  }
}`

// docPayloads are the payloads above, by event type.
var docPayloads = map[krosai.EventType]string{
	krosai.EventCallInitiated:        docCallInitiated,
	krosai.EventCallRinging:          docCallRinging,
	krosai.EventCallAnswered:         docCallAnswered,
	krosai.EventCallCompleted:        docCallCompleted,
	krosai.EventCallFailed:           docCallFailed,
	krosai.EventPhoneNumberPurchased: docPhoneNumberPurchased,
	krosai.EventPhoneNumberReleased:  docPhoneNumberReleased,
	krosai.EventPhoneNumberUpdated:   docPhoneNumberUpdated,
	krosai.EventEndpointCreated:      docEndpointCreated,
	krosai.EventEndpointUpdated:      docEndpointUpdated,
	krosai.EventEndpointDeleted:      docEndpointDeleted,
	krosai.EventRecordingReady:       docRecordingReady,
	krosai.EventTranscriptReady:      docTranscriptReady,
	krosai.EventPortRequestSubmitted: docPortRequestSubmitted,
	krosai.EventPortRequestCompleted: docPortRequestCompleted,
	krosai.EventPortRequestFailed:    docPortRequestFailed,
	krosai.EventBalanceLow:           docBalanceLow,
	krosai.EventPaymentReceived:      docPaymentReceived,
}

// docJSONBlocks reads the JSON example that follows each "### <type>"
// heading of the KrosAI events page (the copy in ../../schema/testdata).
func docJSONBlocks(t *testing.T) map[krosai.EventType]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "schema", "testdata", "krosai-webhook-events.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make(map[krosai.EventType]string)
	var current krosai.EventType
	var block []string
	inBlock := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### "):
			current = krosai.EventType(strings.ReplaceAll(strings.TrimPrefix(line, "### "), `\_`, "_"))
		case line == "```json" && current != "":
			inBlock, block = true, nil
		case line == "```" && inBlock:
			out[current] = strings.Join(block, "\n")
			inBlock, current = false, ""
		case inBlock:
			block = append(block, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// jsonEqual reports whether a and b are the same JSON value.
func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("%v in %s", err, a)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

func TestFields_PayloadsAreTheDocumented(t *testing.T) {
	blocks := docJSONBlocks(t)
	if len(docPayloads) != len(krosai.EventTypes()) || len(blocks) != len(krosai.EventTypes()) {
		t.Fatalf("%d payloads here, %d in the docs, %d event types", len(docPayloads), len(blocks), len(krosai.EventTypes()))
	}
	for _, et := range krosai.EventTypes() {
		if docPayloads[et] != blocks[et] {
			t.Errorf("%s: the payload here is not the docs' example:\n%s\ndocs:\n%s", et, docPayloads[et], blocks[et])
		}
		if !jsonEqual(t, docPayloads[et], string(examples(t)[et].Payload)) {
			t.Errorf("%s: the schema's example differs from the docs'", et)
		}
	}
}

// eq fails the test unless got == want.
func eq[T comparable](t *testing.T, field string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %#v, want %#v", field, got, want)
	}
}

// parseAs parses payload, checks the envelope and returns the data as D.
func parseAs[D krosai.EventData](t *testing.T, payload string, et krosai.EventType, id string, ts time.Time) D {
	t.Helper()
	ev, err := krosai.Parse([]byte(payload))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	eq(t, "ev.Type", ev.Type, et)
	eq(t, "ev.ID", ev.ID, krosai.EventID(id))
	if !ev.Timestamp.Equal(ts) {
		t.Errorf("ev.Timestamp = %v, want %v", ev.Timestamp, ts)
	}
	d, ok := ev.Data.(D)
	if !ok {
		t.Fatalf("ev.Data is a %T, want %T", ev.Data, *new(D))
	}
	eq(t, "Data.EventType()", d.EventType(), et)
	mustNoErr(t, ev.Validate())
	return d
}

// fieldCount fails the test unless the struct *d has n exported fields, so
// that a field added to a schema is added to these tests too.
func fieldCount(t *testing.T, d any, n int) {
	t.Helper()
	got, st := 0, reflect.TypeOf(d).Elem()
	for i := range st.NumField() {
		if st.Field(i).IsExported() {
			got++
		}
	}
	if got != n {
		t.Errorf("%T has %d fields; the test checks %d: check the new ones", d, got, n)
	}
}

func utc(year int, month time.Month, day, hour, min, sec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, 0, time.UTC)
}

func TestFields_CallInitiated(t *testing.T) {
	d := parseAs[*krosai.CallInitiated](t, docCallInitiated, krosai.EventCallInitiated, "evt_001", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 6)
	eq(t, "CallID", d.CallID, krosai.CallID("call_abc123"))
	eq(t, "Direction", d.Direction, krosai.CallDirectionInbound)
	eq(t, "FromNumber", d.FromNumber, krosai.PhoneNumber("+14155551234"))
	eq(t, "ToNumber", d.ToNumber, krosai.PhoneNumber("+2348012345678"))
	eq(t, "PhoneNumberID", d.PhoneNumberID, krosai.PhoneNumberID("pn_123"))
	if d.EndpointID == nil {
		t.Fatal("EndpointID is nil")
	}
	eq(t, "*EndpointID", *d.EndpointID, krosai.EndpointID("ep_456"))
}

func TestFields_CallRinging(t *testing.T) {
	d := parseAs[*krosai.CallRinging](t, docCallRinging, krosai.EventCallRinging, "evt_002", utc(2025, 1, 10, 12, 0, 1))
	fieldCount(t, d, 1)
	eq(t, "CallID", d.CallID, "call_abc123")
}

func TestFields_CallAnswered(t *testing.T) {
	d := parseAs[*krosai.CallAnswered](t, docCallAnswered, krosai.EventCallAnswered, "evt_003", utc(2025, 1, 10, 12, 0, 5))
	fieldCount(t, d, 2)
	eq(t, "CallID", d.CallID, "call_abc123")
	if want := utc(2025, 1, 10, 12, 0, 5); !d.AnsweredAt.Equal(want) {
		t.Errorf("AnsweredAt = %v, want %v", d.AnsweredAt, want)
	}
}

func TestFields_CallCompleted(t *testing.T) {
	d := parseAs[*krosai.CallCompleted](t, docCallCompleted, krosai.EventCallCompleted, "evt_004", utc(2025, 1, 10, 12, 3, 5))
	fieldCount(t, d, 10)
	eq(t, "CallID", d.CallID, "call_abc123")
	eq(t, "Direction", d.Direction, krosai.CallDirectionInbound)
	eq(t, "FromNumber", d.FromNumber, "+14155551234")
	eq(t, "ToNumber", d.ToNumber, "+2348012345678")
	eq(t, "Duration", d.Duration, 180)
	eq(t, "CostCents", d.CostCents, 12)
	eq(t, "HangupCause", d.HangupCause, krosai.HangupCauseNormalClearing)
	eq(t, "HangupCause.Known()", d.HangupCause.Known(), true)
	if d.RecordingURL == nil || d.Transcript == nil || d.Metadata == nil {
		t.Fatalf("optional fields missing: %+v", d)
	}
	eq(t, "*RecordingURL", *d.RecordingURL, "https://storage.krosai.com/recordings/call_abc123.mp3")
	eq(t, "*Transcript", *d.Transcript, "Hello, how can I help you today?...")
	eq(t, "len(Metadata)", len(d.Metadata), 1)
	eq(t, `Metadata["customer_id"]`, d.Metadata["customer_id"], "cust_123")
}

func TestFields_CallFailed(t *testing.T) {
	d := parseAs[*krosai.CallFailed](t, docCallFailed, krosai.EventCallFailed, "evt_005", utc(2025, 1, 10, 12, 0, 30))
	fieldCount(t, d, 6)
	eq(t, "CallID", d.CallID, "call_abc123")
	eq(t, "Direction", d.Direction, krosai.CallDirectionOutbound)
	eq(t, "FromNumber", d.FromNumber, "+2348012345678")
	eq(t, "ToNumber", d.ToNumber, "+14155551234")
	eq(t, "ErrorCode", d.ErrorCode, krosai.CallErrorCodeNetworkError)
	eq(t, "ErrorCode.Known()", d.ErrorCode.Known(), true)
	eq(t, "ErrorMessage", d.ErrorMessage, "Failed to establish connection")
}

func TestFields_PhoneNumberPurchased(t *testing.T) {
	d := parseAs[*krosai.PhoneNumberPurchased](t, docPhoneNumberPurchased, krosai.EventPhoneNumberPurchased, "evt_010", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 5)
	eq(t, "PhoneNumberID", d.PhoneNumberID, "pn_abc123")
	eq(t, "Number", d.Number, "+2348012345678")
	eq(t, "Country", d.Country, "NG")
	eq(t, "Type", d.Type, krosai.PhoneNumberTypeLocal)
	eq(t, "MonthlyCostCents", d.MonthlyCostCents, 500)
}

func TestFields_PhoneNumberReleased(t *testing.T) {
	d := parseAs[*krosai.PhoneNumberReleased](t, docPhoneNumberReleased, krosai.EventPhoneNumberReleased, "evt_011", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 2)
	eq(t, "PhoneNumberID", d.PhoneNumberID, "pn_abc123")
	eq(t, "Number", d.Number, "+2348012345678")
}

// wantChanges checks a Changes map holding the single change key: old → new,
// each a JSON value as received.
func wantChanges(t *testing.T, c krosai.Changes, key, old, new string) {
	t.Helper()
	eq(t, "len(Changes)", len(c), 1)
	ch, ok := c[key]
	if !ok {
		t.Fatalf("Changes has no %q: %v", key, c)
	}
	eq(t, "Changes["+key+"].Old", string(ch.Old), old)
	eq(t, "Changes["+key+"].New", string(ch.New), new)
	if !reflect.DeepEqual(ch, krosai.Change{Old: json.RawMessage(old), New: json.RawMessage(new)}) {
		t.Errorf("Changes[%q] = %#v", key, ch)
	}
	var s string
	mustNoErr(t, json.Unmarshal(ch.New, &s))
}

func TestFields_PhoneNumberUpdated(t *testing.T) {
	d := parseAs[*krosai.PhoneNumberUpdated](t, docPhoneNumberUpdated, krosai.EventPhoneNumberUpdated, "evt_012", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 2)
	eq(t, "PhoneNumberID", d.PhoneNumberID, "pn_abc123")
	wantChanges(t, d.Changes, "endpoint_id", `"ep_old"`, `"ep_new"`)
}

func TestFields_EndpointCreated(t *testing.T) {
	d := parseAs[*krosai.EndpointCreated](t, docEndpointCreated, krosai.EventEndpointCreated, "evt_020", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 4)
	eq(t, "EndpointID", d.EndpointID, "ep_abc123")
	eq(t, "Name", d.Name, "Support Agent")
	eq(t, "Type", d.Type, krosai.EndpointTypeAgent)
	eq(t, "Provider", d.Provider, krosai.VoiceProviderElevenlabs)
}

func TestFields_EndpointUpdated(t *testing.T) {
	d := parseAs[*krosai.EndpointUpdated](t, docEndpointUpdated, krosai.EventEndpointUpdated, "evt_021", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 2)
	eq(t, "EndpointID", d.EndpointID, "ep_abc123")
	wantChanges(t, d.Changes, "status", `"active"`, `"inactive"`)
}

func TestFields_EndpointDeleted(t *testing.T) {
	d := parseAs[*krosai.EndpointDeleted](t, docEndpointDeleted, krosai.EventEndpointDeleted, "evt_022", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 1)
	eq(t, "EndpointID", d.EndpointID, "ep_abc123")
}

func TestFields_RecordingReady(t *testing.T) {
	d := parseAs[*krosai.RecordingReady](t, docRecordingReady, krosai.EventRecordingReady, "evt_030", utc(2025, 1, 10, 12, 5, 0))
	fieldCount(t, d, 4)
	eq(t, "CallID", d.CallID, "call_abc123")
	eq(t, "RecordingURL", d.RecordingURL, "https://storage.krosai.com/recordings/call_abc123.mp3")
	eq(t, "DurationSeconds", d.DurationSeconds, 180)
	eq(t, "SizeBytes", d.SizeBytes, 2160000)
}

func TestFields_TranscriptReady(t *testing.T) {
	d := parseAs[*krosai.TranscriptReady](t, docTranscriptReady, krosai.EventTranscriptReady, "evt_031", utc(2025, 1, 10, 12, 5, 30))
	fieldCount(t, d, 4)
	eq(t, "CallID", d.CallID, "call_abc123")
	eq(t, "Transcript", d.Transcript, "[Agent]: Hello...")
	eq(t, "WordCount", d.WordCount, 156)
	eq(t, "Language", d.Language, krosai.LanguageEn)
}

func TestFields_PortRequestSubmitted(t *testing.T) {
	d := parseAs[*krosai.PortRequestSubmitted](t, docPortRequestSubmitted, krosai.EventPortRequestSubmitted, "evt_040", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 3)
	eq(t, "PortRequestID", d.PortRequestID, "pr_abc123")
	eq(t, "PhoneNumber", d.PhoneNumber, "+2348012345678")
	eq(t, "CurrentCarrier", d.CurrentCarrier, krosai.CarrierMtn)
}

func TestFields_PortRequestCompleted(t *testing.T) {
	d := parseAs[*krosai.PortRequestCompleted](t, docPortRequestCompleted, krosai.EventPortRequestCompleted, "evt_041", utc(2025, 1, 25, 10, 0, 0))
	fieldCount(t, d, 3)
	eq(t, "PortRequestID", d.PortRequestID, "pr_abc123")
	eq(t, "PhoneNumberID", d.PhoneNumberID, "pn_new123")
	eq(t, "PhoneNumber", d.PhoneNumber, "+2348012345678")
}

func TestFields_PortRequestFailed(t *testing.T) {
	d := parseAs[*krosai.PortRequestFailed](t, docPortRequestFailed, krosai.EventPortRequestFailed, "evt_042", utc(2025, 1, 15, 14, 0, 0))
	fieldCount(t, d, 3)
	eq(t, "PortRequestID", d.PortRequestID, "pr_abc123")
	eq(t, "Reason", d.Reason, "Account name mismatch")
	eq(t, "PhoneNumber", d.PhoneNumber, "+2348012345678")
}

func TestFields_BalanceLow(t *testing.T) {
	d := parseAs[*krosai.BalanceLow](t, docBalanceLow, krosai.EventBalanceLow, "evt_050", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 2)
	eq(t, "CurrentBalanceCents", d.CurrentBalanceCents, 500)
	eq(t, "ThresholdCents", d.ThresholdCents, 1000)
}

func TestFields_PaymentReceived(t *testing.T) {
	d := parseAs[*krosai.PaymentReceived](t, docPaymentReceived, krosai.EventPaymentReceived, "evt_051", utc(2025, 1, 10, 12, 0, 0))
	fieldCount(t, d, 3)
	eq(t, "AmountCents", d.AmountCents, 10000)
	eq(t, "PaymentMethod", d.PaymentMethod, krosai.PaymentMethodCard)
	eq(t, "NewBalanceCents", d.NewBalanceCents, 10500)
}

// --- behaviour ---

// problemsOf returns the problems of a *ValidationError, failing the test
// for any other error.
func problemsOf(t *testing.T, err error) []krosai.Problem {
	t.Helper()
	var ve *krosai.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T), want a *krosai.ValidationError", err, err)
	}
	return ve.Problems
}

func pointers(ps []krosai.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Pointer
	}
	return out
}

func TestParse_NullRequiredStringIsInvalid(t *testing.T) {
	payload := strings.Replace(docCallRinging, `"call_id": "call_abc123"`, `"call_id": null`, 1)
	ev, err := krosai.Parse([]byte(payload))
	if ev != nil {
		t.Errorf("Parse returned an event with the error: %+v", ev)
	}
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].Pointer != "/data/call_id" || !strings.Contains(ps[0].Message, "null") {
		t.Fatalf("problems %v, want one at /data/call_id about null", ps)
	}

	// An optional property must also be a string when present: null is not
	// "absent".
	payload = strings.Replace(docCallInitiated, `"endpoint_id": "ep_456"`, `"endpoint_id": null`, 1)
	_, err = krosai.Parse([]byte(payload))
	if got := pointers(problemsOf(t, err)); !reflect.DeepEqual(got, []string{"/data/endpoint_id"}) {
		t.Fatalf("null optional: problems at %q", got)
	}
}

func TestParse_AbsentOptionalIsNil(t *testing.T) {
	var m map[string]any
	mustNoErr(t, json.Unmarshal([]byte(docCallCompleted), &m))
	data := m["data"].(map[string]any)
	delete(data, "recording_url")
	delete(data, "transcript")
	delete(data, "metadata")
	payload, err := json.Marshal(m)
	mustNoErr(t, err)

	ev, err := krosai.Parse(payload)
	mustNoErr(t, err)
	d := ev.Data.(*krosai.CallCompleted)
	if d.RecordingURL != nil || d.Transcript != nil || d.Metadata != nil {
		t.Fatalf("absent optionals are not nil: %+v", d)
	}
	eq(t, "Duration", d.Duration, 180) // the required ones are still there
	// They stay absent when encoded.
	out, err := json.Marshal(ev)
	mustNoErr(t, err)
	for _, name := range []string{"recording_url", "transcript", "metadata"} {
		if strings.Contains(string(out), name) {
			t.Errorf("Marshal wrote %s: %s", name, out)
		}
	}

	payload = []byte(strings.Replace(docCallInitiated, `,
    "endpoint_id": "ep_456"`, "", 1))
	ev, err = krosai.Parse(payload)
	mustNoErr(t, err)
	if ci := ev.Data.(*krosai.CallInitiated); ci.EndpointID != nil {
		t.Fatalf("absent endpoint_id is %q, want nil", *ci.EndpointID)
	}

	// An empty metadata object is present, not absent.
	payload = []byte(strings.Replace(docCallCompleted, `"customer_id": "cust_123"`, "", 1))
	ev, err = krosai.Parse(payload)
	mustNoErr(t, err)
	if md := ev.Data.(*krosai.CallCompleted).Metadata; md == nil || len(md) != 0 {
		t.Fatalf("empty metadata = %#v, want an empty non-nil map", md)
	}
}

func TestParse_DataBeforeEvent(t *testing.T) {
	// The envelope in reverse order: data first, event last.
	reordered := `{
  "data": {
    "amount_cents": 10000,
    "payment_method": "card",
    "new_balance_cents": 10500
  },
  "timestamp": "2025-01-10T12:00:00Z",
  "id": "evt_051",
  "event": "payment.received"
}`
	got, err := krosai.Parse([]byte(reordered))
	mustNoErr(t, err)
	want, err := krosai.Parse([]byte(docPaymentReceived))
	mustNoErr(t, err)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("data first: %+v (%+v)\nwant %+v (%+v)", got, got.Data, want, want.Data)
	}

	// Problems in data that comes first are found, with their pointers.
	bad := strings.Replace(reordered, `"amount_cents": 10000`, `"amount_cents": -1`, 1)
	_, err = krosai.Parse([]byte(bad))
	if got := pointers(problemsOf(t, err)); !reflect.DeepEqual(got, []string{"/data/amount_cents"}) {
		t.Fatalf("problems at %q, want /data/amount_cents", got)
	}
}

func TestParse_UnknownEventIsNotAnError(t *testing.T) {
	payload := `{"event":"call.transferred","id":"evt_900","timestamp":"2025-01-10T12:00:00Z","data":{"call_id":"call_abc123","to_number":"+14155551234","extra":[1,{"a":null}]}}`
	ev, err := krosai.Parse([]byte(payload))
	mustNoErr(t, err)
	eq(t, "ev.Type", ev.Type, "call.transferred")
	eq(t, "ev.Type.Known()", ev.Type.Known(), false)
	eq(t, "ev.ID", ev.ID, krosai.EventID("evt_900"))
	u, ok := ev.Data.(*krosai.UnknownEvent)
	if !ok {
		t.Fatalf("Data is a %T, want *krosai.UnknownEvent", ev.Data)
	}
	eq(t, "UnknownEvent.Type", u.Type, "call.transferred")
	eq(t, "UnknownEvent.EventType()", u.EventType(), "call.transferred")
	eq(t, "UnknownEvent.Raw", string(u.Raw), `{"call_id":"call_abc123","to_number":"+14155551234","extra":[1,{"a":null}]}`)
	mustNoErr(t, ev.Validate())
	out, err := json.Marshal(ev)
	mustNoErr(t, err)
	if !jsonEqual(t, string(out), payload) {
		t.Errorf("round trip: %s\nwant %s", out, payload)
	}

	// The envelope of an unknown event is still checked.
	_, err = krosai.Parse([]byte(`{"event":"call.transferred","id":"nope","timestamp":"2025-01-10T12:00:00Z","data":[]}`))
	if got := pointers(problemsOf(t, err)); !reflect.DeepEqual(got, []string{"/id", "/data"}) {
		t.Errorf("unknown event with a bad envelope: problems at %q", got)
	}
}

func TestParse_ReportsEveryProblem(t *testing.T) {
	payload := `{
  "event": "call.completed",
  "id": "bad",
  "timestamp": "yesterday",
  "data": {
    "call_id": "x",
    "direction": "sideways",
    "from_number": "123",
    "to_number": null,
    "duration": -1,
    "cost_cents": 1.5,
    "hangup_cause": 7,
    "recording_url": "not a uri",
    "metadata": {"customer_id": 1}
  }
}`
	ev, err := krosai.Parse([]byte(payload))
	if ev != nil {
		t.Errorf("Parse returned an event with the error: %+v", ev)
	}
	ps := problemsOf(t, err)
	want := []string{
		"/id", "/timestamp",
		"/data/call_id", "/data/direction", "/data/from_number", "/data/to_number",
		"/data/duration", "/data/cost_cents", "/data/hangup_cause", "/data/recording_url",
		"/data/metadata/customer_id",
	}
	if got := pointers(ps); !reflect.DeepEqual(got, want) {
		t.Fatalf("problems at\n%q\nwant\n%q", got, want)
	}
	for _, p := range ps {
		if p.Message == "" {
			t.Errorf("%s: empty message", p.Pointer)
		}
		if !strings.Contains(err.Error(), p.String()) {
			t.Errorf("Error() does not list %q:\n%v", p, err)
		}
	}
}

func TestParse_MalformedJSONNamesOffset(t *testing.T) {
	for _, tc := range []struct {
		payload string
		at      string // the text at the offset
	}{
		{`{"event": "call.completed", "id": evt_004}`, "evt_004}"},
		{`{"event": "call.completed" "id": "evt_004"}`, `"id"`},
		{`{"event": "call.completed", "id": "evt_004",`, ""},
		{docCallRinging + ` trailing`, "trailing"},
		{strings.Replace(docCallRinging, `"call_abc123"`, `"call_\x"`, 1), `\x"`},
	} {
		ev, err := krosai.Parse([]byte(tc.payload))
		var se *krosai.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, %v; want a *krosai.SyntaxError", tc.payload, ev, err)
			continue
		}
		if se.Offset < 0 || se.Offset > len(tc.payload) || !strings.HasPrefix(tc.payload[se.Offset:], tc.at) || (tc.at == "" && se.Offset != len(tc.payload)) {
			t.Errorf("Parse(%q): offset %d, want the offset of %q", tc.payload, se.Offset, tc.at)
		}
		if !strings.Contains(err.Error(), "offset") || se.Msg == "" {
			t.Errorf("Parse(%q): error %q does not name the offset and fault", tc.payload, err)
		}
		var ve *krosai.ValidationError
		if errors.As(err, &ve) {
			t.Errorf("a syntax error is also a ValidationError: %v", err)
		}
	}
}

func TestEvent_ValidateBuiltInCode(t *testing.T) {
	ev := krosai.Event{
		Type:      krosai.EventCallFailed,
		ID:        "evt_900",
		Timestamp: utc(2025, 1, 10, 12, 0, 30),
		Data: &krosai.CallFailed{
			CallID:       "call_abc123",
			Direction:    krosai.CallDirectionOutbound,
			FromNumber:   "2348012345678", // no "+": not E.164
			ToNumber:     "+14155551234",
			ErrorCode:    krosai.CallErrorCodeNetworkError,
			ErrorMessage: "Failed to establish connection",
		},
	}
	ps := problemsOf(t, ev.Validate())
	if len(ps) != 1 || ps[0].Pointer != "/data/from_number" {
		t.Fatalf("problems %v, want one at /data/from_number", ps)
	}
	ev.Data.(*krosai.CallFailed).FromNumber = "+2348012345678"
	mustNoErr(t, ev.Validate())
	unknown := krosai.Event{Type: "call.transferred", ID: "evt_1", Data: &krosai.UnknownEvent{Type: "call.transferred", Raw: []byte(`{}`)}}
	mustNoErr(t, unknown.Validate())

	// The data alone reports pointers relative to itself.
	bad := &krosai.CallCompleted{CallID: "call_1", Direction: "sideways", FromNumber: "+1", ToNumber: "+14155551234", Duration: -1}
	if got := pointers(problemsOf(t, bad.Validate())); !reflect.DeepEqual(got, []string{"/direction", "/from_number", "/duration"}) {
		t.Errorf("CallCompleted.Validate: problems at %q", got)
	}

	// The envelope: id, missing data, data of another type.
	for _, tc := range []struct {
		ev   krosai.Event
		want []string
	}{
		{krosai.Event{Type: krosai.EventCallRinging, ID: "evt-1", Data: &krosai.CallRinging{CallID: "call_1"}}, []string{"/id"}},
		{krosai.Event{Type: krosai.EventCallRinging, ID: "evt_1"}, []string{"/data"}},
		{krosai.Event{Type: krosai.EventCallFailed, ID: "evt_1", Data: &krosai.CallRinging{CallID: "call_1"}}, []string{"/event"}},
		// A known type must carry its own struct, not raw data.
		{krosai.Event{Type: krosai.EventCallRinging, ID: "evt_1", Data: &krosai.UnknownEvent{Type: krosai.EventCallRinging, Raw: []byte(`{}`)}}, []string{"/data"}},
	} {
		if got := pointers(problemsOf(t, tc.ev.Validate())); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Validate(%+v): problems at %q, want %q", tc.ev, got, tc.want)
		}
	}
}

func TestEvent_MarshalRoundTrip(t *testing.T) {
	// Every documented example survives Parse, Marshal, Parse.
	for _, et := range krosai.EventTypes() {
		ev, err := krosai.Parse([]byte(docPayloads[et]))
		mustNoErr(t, err)
		out, err := json.Marshal(ev)
		mustNoErr(t, err)
		if !jsonEqual(t, string(out), docPayloads[et]) {
			t.Errorf("%s: Marshal gives %s\nwant %s", et, out, docPayloads[et])
		}
		again, err := krosai.Parse(out)
		mustNoErr(t, err)
		if !reflect.DeepEqual(again, ev) {
			t.Errorf("%s: Parse(Marshal(ev)) = %+v, want %+v", et, again, ev)
		}
	}

	// An event built in Go encodes as KrosAI sends it, and json.Unmarshal
	// into an Event parses and validates it.
	recording := "https://storage.krosai.com/recordings/call_xyz.mp3"
	built := krosai.Event{
		Type:      krosai.EventCallCompleted,
		ID:        "evt_901",
		Timestamp: utc(2025, 2, 1, 9, 30, 0),
		Data: &krosai.CallCompleted{
			CallID:       "call_xyz",
			Direction:    krosai.CallDirectionOutbound,
			FromNumber:   "+2348012345678",
			ToNumber:     "+14155551234",
			Duration:     42,
			CostCents:    3,
			HangupCause:  "user_busy", // not documented, still valid
			RecordingURL: &recording,
			Metadata:     map[string]string{"a": "b"},
		},
	}
	mustNoErr(t, built.Validate())
	out, err := json.Marshal(built)
	mustNoErr(t, err)
	want := `{"event":"call.completed","id":"evt_901","timestamp":"2025-02-01T09:30:00Z","data":{"call_id":"call_xyz","direction":"outbound","from_number":"+2348012345678","to_number":"+14155551234","duration":42,"cost_cents":3,"hangup_cause":"user_busy","recording_url":"https://storage.krosai.com/recordings/call_xyz.mp3","metadata":{"a":"b"}}}`
	if !jsonEqual(t, string(out), want) {
		t.Errorf("Marshal(built) = %s\nwant %s", out, want)
	}
	var decoded krosai.Event
	mustNoErr(t, json.Unmarshal(out, &decoded))
	if decoded.Type != built.Type || decoded.ID != built.ID || !decoded.Timestamp.Equal(built.Timestamp) || !reflect.DeepEqual(decoded.Data, built.Data) {
		t.Errorf("Unmarshal(Marshal(built)) = %+v (%+v)\nwant %+v (%+v)", decoded, decoded.Data, built, built.Data)
	}

	// Unmarshal validates, as Parse does.
	err = json.Unmarshal([]byte(strings.Replace(string(out), `"duration":42`, `"duration":-42`, 1)), &decoded)
	if got := pointers(problemsOf(t, err)); !reflect.DeepEqual(got, []string{"/data/duration"}) {
		t.Errorf("Unmarshal of an invalid event: problems at %q", got)
	}
}
