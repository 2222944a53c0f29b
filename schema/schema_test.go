package schema_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krosgen/krosgen/schema"
)

// docsFile is a copy of KrosAI's webhook events page, the documentation the
// schemas transcribe.
const docsFile = "testdata/krosai-webhook-events.md"

// optional lists, by event, the documented properties of data that KrosAI
// may leave out. Every other documented property is required.
var optional = map[string][]string{
	"call.completed": {"recording_url", "transcript", "metadata"},
	"call.initiated": {"endpoint_id"},
}

func defaultSet(t *testing.T) *schema.Set {
	t.Helper()
	s, err := schema.Default()
	require.NoError(t, err)
	return s
}

func event(t *testing.T, s *schema.Set, typ string) *schema.Event {
	t.Helper()
	for _, ev := range s.Events {
		if ev.Type == typ {
			return ev
		}
	}
	t.Fatalf("no event %q in the schema set", typ)
	return nil
}

// docEvent is one event as the documentation page shows it.
type docEvent struct {
	Type    string
	Example []byte // the first ```json block after the heading
}

var (
	docHeading   = regexp.MustCompile(`^###\s+(.+?)\s*$`)
	docEventType = regexp.MustCompile(`^[a-z_]+\.[a-z_]+$`)
)

// docEvents reads the "### <event>" headings of the documentation page, in
// order, with the JSON example under each. Headings that do not name an event
// ("### Event Wildcards") are skipped.
func docEvents(t *testing.T) []docEvent {
	t.Helper()
	raw, err := os.ReadFile(docsFile)
	require.NoError(t, err)
	var out []docEvent
	var cur *docEvent
	var block *bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case block != nil && strings.HasPrefix(line, "```"):
			cur.Example = block.Bytes()
			cur, block = nil, nil
		case block != nil:
			block.WriteString(line + "\n")
		case docHeading.MatchString(line):
			name := strings.ReplaceAll(docHeading.FindStringSubmatch(line)[1], `\_`, "_")
			cur = nil
			if docEventType.MatchString(name) {
				out = append(out, docEvent{Type: name})
				cur = &out[len(out)-1]
			}
		case cur != nil && cur.Example == nil && strings.HasPrefix(line, "```json"):
			block = &bytes.Buffer{}
		}
	}
	require.NoError(t, sc.Err())
	return out
}

func TestEventsInDocumentationOrder(t *testing.T) {
	s := defaultSet(t)
	docs := docEvents(t)
	require.Len(t, docs, 18, "events documented in %s", docsFile)

	var want, got []string
	for _, d := range docs {
		want = append(want, d.Type)
	}
	for _, ev := range s.Events {
		got = append(got, ev.Type)
	}
	require.Len(t, s.Events, 18)
	assert.Equal(t, want, got, "schema events must follow the documentation order")

	for i, ev := range s.Events {
		assert.Equal(t, i+1, ev.Order, "x-order of %s", ev.Type)
		assert.Equal(t, "events/"+ev.Type+".json", ev.Name)
	}
}

func TestExamplesMatchDocumentation(t *testing.T) {
	s := defaultSet(t)
	for _, d := range docEvents(t) {
		t.Run(d.Type, func(t *testing.T) {
			require.NotEmpty(t, d.Example, "no JSON example under the heading")
			ev := event(t, s, d.Type)
			require.NotEmpty(t, ev.Examples)
			assert.JSONEq(t, string(d.Example), string(ev.Examples[0]))
		})
	}
}

func TestExamplesValidate(t *testing.T) {
	s := defaultSet(t)
	require.Len(t, s.Events, 18)
	for _, ev := range s.Events {
		t.Run(ev.Type, func(t *testing.T) {
			require.NotEmpty(t, ev.Examples, "every event needs a documented example")
			for i, ex := range ev.Examples {
				var env struct{ Event string }
				require.NoError(t, json.Unmarshal(ex, &env))
				assert.Equal(t, ev.Type, env.Event, "example %d names another event", i)
				assert.NoError(t, ev.Validate(ex), "example %d against %s", i, ev.Name)
				assert.NoError(t, s.Validate(ex), "example %d against webhook", i)
				assert.NoError(t, schema.Validate(ex), "example %d against the bundled webhook", i)
			}
		})
	}
}

func TestWebhookJSONUpToDate(t *testing.T) {
	s := defaultSet(t)
	committed, err := fs.ReadFile(schema.FS(), schema.WebhookFile)
	require.NoError(t, err)
	if !bytes.Equal(committed, s.WebhookDocument()) {
		assert.Equal(t, string(s.WebhookDocument()), string(committed), "webhook.json is stale: run krosgen generate")
	}
}

// edit changes a decoded payload.
type edit func(t *testing.T, doc map[string]any)

// set sets the value at a slash-separated path ("data/call_id"); the parent
// must exist. A json.RawMessage value is written as is.
func set(path string, v any) edit {
	return func(t *testing.T, doc map[string]any) {
		parent, key := walk(t, doc, path)
		parent[key] = v
	}
}

// del deletes the property at a slash-separated path; it must exist, so that
// a typo does not make a case pass for the wrong reason.
func del(path string) edit {
	return func(t *testing.T, doc map[string]any) {
		parent, key := walk(t, doc, path)
		_, ok := parent[key]
		require.True(t, ok, "nothing to delete at %s", path)
		delete(parent, key)
	}
}

func walk(t *testing.T, doc map[string]any, path string) (map[string]any, string) {
	t.Helper()
	parts := strings.Split(path, "/")
	cur := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		require.True(t, ok, "%s: %q is not an object", path, p)
		cur = next
	}
	return cur, parts[len(parts)-1]
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// mutate returns the first documented example of the event with the edits
// applied.
func mutate(t *testing.T, s *schema.Set, typ string, edits ...edit) []byte {
	t.Helper()
	ev := event(t, s, typ)
	require.NotEmpty(t, ev.Examples)
	dec := json.NewDecoder(bytes.NewReader(ev.Examples[0]))
	dec.UseNumber()
	var doc map[string]any
	require.NoError(t, dec.Decode(&doc))
	for _, e := range edits {
		e(t, doc)
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// requireProblemAt asserts err is a *schema.ValidationError that lists a
// problem at pointer, and that no problem comes without a message.
func requireProblemAt(t *testing.T, err error, pointer string, payload []byte) {
	t.Helper()
	require.Error(t, err, "payload accepted: %s", payload)
	var ve *schema.ValidationError
	require.True(t, errors.As(err, &ve), "want *schema.ValidationError, got %T: %v", err, err)
	require.NotEmpty(t, ve.Problems)
	var ptrs []string
	for _, p := range ve.Problems {
		ptrs = append(ptrs, p.Pointer)
		assert.NotEmpty(t, p.Message, "problem at %q has no message", p.Pointer)
	}
	assert.Contains(t, ptrs, pointer, "problems: %v\npayload: %s", ve.Problems, payload)
}

const (
	maxSafe    = "9007199254740991"  // 2^53-1
	aboveSafe  = "9007199254740992"  // 2^53
	belowSafe  = "-9007199254740992" // -(2^53)
	bigInteger = "100000000000000000000000000000"
)

func TestRejected(t *testing.T) {
	s := defaultSet(t)
	cases := []struct {
		name  string
		event string // whose documented example is edited
		edits []edit
		want  string // a pointer among the problems reported against webhook.json
		// own is the pointer expected against the event's own schema,
		// when it differs from want.
		own string
	}{
		// Envelope.
		{"missing event", "call.ringing", []edit{del("event")}, "/event", ""},
		{"missing id", "call.ringing", []edit{del("id")}, "/id", ""},
		{"missing timestamp", "call.ringing", []edit{del("timestamp")}, "/timestamp", ""},
		{"missing data", "call.ringing", []edit{del("data")}, "/data", ""},
		{"event not a string", "call.ringing", []edit{set("event", 42)}, "/event", ""},
		{"id null", "call.ringing", []edit{set("id", nil)}, "/id", ""},
		{"id a number", "call.ringing", []edit{set("id", 2)}, "/id", ""},
		{"timestamp null", "call.ringing", []edit{set("timestamp", nil)}, "/timestamp", ""},
		{"data a string", "call.ringing", []edit{set("data", "call_abc123")}, "/data", ""},
		{"data an array", "call.ringing", []edit{set("data", []any{})}, "/data", ""},
		{"data null", "call.ringing", []edit{set("data", nil)}, "/data", ""},
		{"unknown event type", "call.ringing", []edit{set("event", "call.transferred")}, "/event", ""},
		{"event type in another case", "call.ringing", []edit{set("event", "Call.Ringing")}, "/event", ""},
		{"event const of another event", "call.completed", []edit{set("event", "call.failed")}, "/data/error_code", "/event"},

		// Ids: the documented prefix, then letters, digits or underscores.
		{"evt_ prefix missing", "call.ringing", []edit{set("id", "event_002")}, "/id", ""},
		{"evt_ prefix alone", "call.ringing", []edit{set("id", "evt_")}, "/id", ""},
		{"evt_ prefix upper-case", "call.ringing", []edit{set("id", "EVT_002")}, "/id", ""},
		{"evt_ id with a dash", "call.ringing", []edit{set("id", "evt_0-2")}, "/id", ""},
		{"call_ prefix wrong", "call.completed", []edit{set("data/call_id", "cal_abc123")}, "/data/call_id", ""},
		{"call_ prefix of another kind", "recording.ready", []edit{set("data/call_id", "evt_abc123")}, "/data/call_id", ""},
		{"call_ id with a space", "transcript.ready", []edit{set("data/call_id", "call_abc 123")}, "/data/call_id", ""},
		{"pn_ prefix wrong", "call.initiated", []edit{set("data/phone_number_id", "phone_123")}, "/data/phone_number_id", ""},
		{"pn_ prefix wrong on a port", "port_request.completed", []edit{set("data/phone_number_id", "pr_new123")}, "/data/phone_number_id", ""},
		{"ep_ prefix wrong", "call.initiated", []edit{set("data/endpoint_id", "endpoint_456")}, "/data/endpoint_id", ""},
		{"ep_ prefix alone", "endpoint.deleted", []edit{set("data/endpoint_id", "ep_")}, "/data/endpoint_id", ""},
		{"pr_ prefix wrong", "port_request.submitted", []edit{set("data/port_request_id", "port_abc123")}, "/data/port_request_id", ""},
		{"pr_ id not a string", "port_request.failed", []edit{set("data/port_request_id", 123)}, "/data/port_request_id", ""},

		// Phone numbers: E.164.
		{"E.164 leading 0", "call.completed", []edit{set("data/from_number", "+04155551234")}, "/data/from_number", ""},
		{"E.164 too long", "call.completed", []edit{set("data/to_number", "+2348012345678901")}, "/data/to_number", ""},
		{"E.164 too short", "call.initiated", []edit{set("data/to_number", "+2")}, "/data/to_number", ""},
		{"E.164 no plus", "call.failed", []edit{set("data/from_number", "2348012345678")}, "/data/from_number", ""},
		{"E.164 with spaces", "phone_number.purchased", []edit{set("data/number", "+234 801 234 5678")}, "/data/number", ""},
		{"E.164 with a dash", "phone_number.released", []edit{set("data/number", "+1-415-555-1234")}, "/data/number", ""},
		{"E.164 not a string", "port_request.submitted", []edit{set("data/phone_number", 2348012345678)}, "/data/phone_number", ""},

		// Country: ISO 3166-1 alpha-2.
		{"country lower-case", "phone_number.purchased", []edit{set("data/country", "ng")}, "/data/country", ""},
		{"country alpha-3", "phone_number.purchased", []edit{set("data/country", "NGA")}, "/data/country", ""},

		// Date-times: RFC 3339, format asserted.
		{"timestamp without offset", "call.ringing", []edit{set("timestamp", "2025-01-10T12:00:01")}, "/timestamp", ""},
		{"timestamp with a space", "call.ringing", []edit{set("timestamp", "2025-01-10 12:00:01Z")}, "/timestamp", ""},
		{"timestamp month 13", "call.ringing", []edit{set("timestamp", "2025-13-10T12:00:01Z")}, "/timestamp", ""},
		{"timestamp offset out of range", "call.ringing", []edit{set("timestamp", "2025-01-10T12:00:01+99:99")}, "/timestamp", ""},
		{"timestamp a date only", "call.ringing", []edit{set("timestamp", "2025-01-10")}, "/timestamp", ""},
		{"timestamp as Unix seconds", "call.ringing", []edit{set("timestamp", 1736510401)}, "/timestamp", ""},
		{"answered_at hour 25", "call.answered", []edit{set("data/answered_at", "2025-01-10T25:00:05Z")}, "/data/answered_at", ""},
		{"answered_at not a date", "call.answered", []edit{set("data/answered_at", "yesterday")}, "/data/answered_at", ""},
		{"answered_at February 30", "call.answered", []edit{set("data/answered_at", "2025-02-30T12:00:05Z")}, "/data/answered_at", ""},

		// recording_url: an absolute URI, format asserted.
		{"recording_url relative", "call.completed", []edit{set("data/recording_url", "/recordings/call_abc123.mp3")}, "/data/recording_url", ""},
		{"recording_url no scheme", "call.completed", []edit{set("data/recording_url", "storage.krosai.com/recordings/call_abc123.mp3")}, "/data/recording_url", ""},
		{"recording_url with a space", "recording.ready", []edit{set("data/recording_url", "https://storage.krosai.com/recordings/call abc123.mp3")}, "/data/recording_url", ""},
		{"recording_url bad percent-escape", "recording.ready", []edit{set("data/recording_url", "https://storage.krosai.com/%zz.mp3")}, "/data/recording_url", ""},
		{"recording_url empty", "recording.ready", []edit{set("data/recording_url", "")}, "/data/recording_url", ""},

		// direction: exactly inbound or outbound.
		{"direction sideways", "call.completed", []edit{set("data/direction", "sideways")}, "/data/direction", ""},
		{"direction capitalised", "call.initiated", []edit{set("data/direction", "Inbound")}, "/data/direction", ""},
		{"direction null", "call.failed", []edit{set("data/direction", nil)}, "/data/direction", ""},

		// Open sets of strings: any string, but a string.
		{"hangup_cause a number", "call.completed", []edit{set("data/hangup_cause", 16)}, "/data/hangup_cause", ""},
		{"error_code null", "call.failed", []edit{set("data/error_code", nil)}, "/data/error_code", ""},
		{"language an array", "transcript.ready", []edit{set("data/language", []any{"en"})}, "/data/language", ""},

		// Wrong types and null for required strings.
		{"call_id a number", "call.ringing", []edit{set("data/call_id", 123)}, "/data/call_id", ""},
		{"error_message null", "call.failed", []edit{set("data/error_message", nil)}, "/data/error_message", ""},
		{"name null", "endpoint.created", []edit{set("data/name", nil)}, "/data/name", ""},
		{"reason a number", "port_request.failed", []edit{set("data/reason", 1)}, "/data/reason", ""},
		{"transcript an object", "transcript.ready", []edit{set("data/transcript", map[string]any{})}, "/data/transcript", ""},
		{"optional transcript null", "call.completed", []edit{set("data/transcript", nil)}, "/data/transcript", ""},
		{"metadata an array", "call.completed", []edit{set("data/metadata", []any{"cust_123"})}, "/data/metadata", ""},
		{"metadata value a number", "call.completed", []edit{set("data/metadata/customer_id", 123)}, "/data/metadata/customer_id", ""},
		{"changes an array", "endpoint.updated", []edit{set("data/changes", []any{})}, "/data/changes", ""},
		{"changes record a string", "endpoint.updated", []edit{set("data/changes/status", "inactive")}, "/data/changes/status", ""},
		{"changes record without new", "endpoint.updated", []edit{del("data/changes/status/new")}, "/data/changes/status/new", ""},
		{"changes record without old", "phone_number.updated", []edit{del("data/changes/endpoint_id/old")}, "/data/changes/endpoint_id/old", ""},

		// Counts, durations, sizes and costs: integers from 0 to 2^53-1.
		{"duration negative", "call.completed", []edit{set("data/duration", -1)}, "/data/duration", ""},
		{"cost_cents negative", "call.completed", []edit{set("data/cost_cents", -12)}, "/data/cost_cents", ""},
		{"monthly_cost_cents negative", "phone_number.purchased", []edit{set("data/monthly_cost_cents", -500)}, "/data/monthly_cost_cents", ""},
		{"duration_seconds negative", "recording.ready", []edit{set("data/duration_seconds", -180)}, "/data/duration_seconds", ""},
		{"size_bytes negative", "recording.ready", []edit{set("data/size_bytes", -1)}, "/data/size_bytes", ""},
		{"word_count negative", "transcript.ready", []edit{set("data/word_count", -156)}, "/data/word_count", ""},
		{"threshold_cents negative", "balance.low", []edit{set("data/threshold_cents", -1000)}, "/data/threshold_cents", ""},
		{"amount_cents negative", "payment.received", []edit{set("data/amount_cents", -1)}, "/data/amount_cents", ""},
		{"duration 1.5", "call.completed", []edit{set("data/duration", raw("1.5"))}, "/data/duration", ""},
		{"size_bytes 0.5", "recording.ready", []edit{set("data/size_bytes", raw("0.5"))}, "/data/size_bytes", ""},
		{"current_balance_cents 1.25", "balance.low", []edit{set("data/current_balance_cents", raw("1.25"))}, "/data/current_balance_cents", ""},
		{"word_count 1e-3", "transcript.ready", []edit{set("data/word_count", raw("1e-3"))}, "/data/word_count", ""},
		{"duration a string", "call.completed", []edit{set("data/duration", "180")}, "/data/duration", ""},
		{"cost_cents null", "call.completed", []edit{set("data/cost_cents", nil)}, "/data/cost_cents", ""},
		{"duration above 2^53-1", "call.completed", []edit{set("data/duration", raw(aboveSafe))}, "/data/duration", ""},
		{"size_bytes far above 2^53-1", "recording.ready", []edit{set("data/size_bytes", raw(bigInteger))}, "/data/size_bytes", ""},
		{"amount_cents above 2^53-1 as 1e16", "payment.received", []edit{set("data/amount_cents", raw("1e16"))}, "/data/amount_cents", ""},
		{"current_balance_cents above 2^53-1", "balance.low", []edit{set("data/current_balance_cents", raw(aboveSafe))}, "/data/current_balance_cents", ""},
		{"new_balance_cents below -(2^53-1)", "payment.received", []edit{set("data/new_balance_cents", raw(belowSafe))}, "/data/new_balance_cents", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			payload := mutate(t, s, c.event, c.edits...)
			requireProblemAt(t, s.Validate(payload), c.want, payload)
			own := c.own
			if own == "" {
				own = c.want
			}
			requireProblemAt(t, event(t, s, c.event).Validate(payload), own, payload)
		})
	}
	t.Logf("%d hand-written cases", len(cases))
}

// TestRequiredProperties removes, one at a time, each property of each
// documented example: every one is required but the few KrosAI may omit,
// and the missing one is reported at its own pointer.
func TestRequiredProperties(t *testing.T) {
	s := defaultSet(t)
	n := 0
	for _, ev := range s.Events {
		var doc struct{ Data map[string]json.RawMessage }
		require.NoError(t, json.Unmarshal(ev.Examples[0], &doc))
		require.NotEmpty(t, doc.Data, ev.Type)
		for name := range doc.Data {
			n++
			t.Run(ev.Type+"/"+name, func(t *testing.T) {
				payload := mutate(t, s, ev.Type, del("data/"+name))
				for _, opt := range optional[ev.Type] {
					if opt == name {
						assert.NoError(t, s.Validate(payload))
						assert.NoError(t, ev.Validate(payload))
						return
					}
				}
				requireProblemAt(t, s.Validate(payload), "/data/"+name, payload)
				requireProblemAt(t, ev.Validate(payload), "/data/"+name, payload)
			})
		}
	}
	for typ, props := range optional {
		ev := event(t, s, typ)
		var doc struct{ Data map[string]json.RawMessage }
		require.NoError(t, json.Unmarshal(ev.Examples[0], &doc))
		for _, p := range props {
			assert.Contains(t, doc.Data, p, "the example of %s should show the optional %s", typ, p)
		}
	}
	t.Logf("%d generated cases", n)
}

// TestExtraPropertiesAccepted adds unknown properties to the top level and to
// data of every documented example.
func TestExtraPropertiesAccepted(t *testing.T) {
	s := defaultSet(t)
	for _, ev := range s.Events {
		t.Run(ev.Type, func(t *testing.T) {
			payload := mutate(t, s, ev.Type,
				set("api_version", "2025-01-10"),
				set("delivery_attempt", 2),
				set("data/x_unknown", map[string]any{"nested": []any{1, "two", nil}}),
				set("data/region", "eu-west-1"))
			assert.NoError(t, s.Validate(payload))
			assert.NoError(t, ev.Validate(payload))
		})
	}
}

func TestAccepted(t *testing.T) {
	s := defaultSet(t)
	cases := []struct {
		name  string
		event string
		edits []edit
	}{
		{"extra property at top level", "call.completed", []edit{set("livemode", true)}},
		{"extra property in data", "call.completed", []edit{set("data/queue", "support")}},
		{"extra property in a changes record", "endpoint.updated", []edit{set("data/changes/status/changed_by", "user_1")}},
		{"extra property in a phone number changes record", "phone_number.updated", []edit{set("data/changes/endpoint_id/at", "2025-01-10T12:00:00Z")}},
		{"call.completed without recording_url, transcript and metadata", "call.completed",
			[]edit{del("data/recording_url"), del("data/transcript"), del("data/metadata")}},
		{"call.completed with empty metadata", "call.completed", []edit{set("data/metadata", map[string]any{})}},
		{"call.initiated without endpoint_id", "call.initiated", []edit{del("data/endpoint_id")}},
		{"outbound call.initiated", "call.initiated", []edit{set("data/direction", "outbound")}},
		{"unlisted hangup_cause", "call.completed", []edit{set("data/hangup_cause", "user_busy")}},
		{"empty hangup_cause", "call.completed", []edit{set("data/hangup_cause", "")}},
		{"unlisted error_code", "call.failed", []edit{set("data/error_code", "NO_ANSWER")}},
		{"unlisted provider", "endpoint.created", []edit{set("data/provider", "openai")}},
		{"unlisted endpoint type", "endpoint.created", []edit{set("data/type", "sip_trunk")}},
		{"unlisted phone number type", "phone_number.purchased", []edit{set("data/type", "toll_free")}},
		{"unlisted payment_method", "payment.received", []edit{set("data/payment_method", "bank_transfer")}},
		{"unlisted language", "transcript.ready", []edit{set("data/language", "yo")}},
		{"unlisted current_carrier", "port_request.submitted", []edit{set("data/current_carrier", "airtel")}},
		{"negative current_balance_cents", "balance.low", []edit{set("data/current_balance_cents", -500)}},
		{"negative new_balance_cents", "payment.received", []edit{set("data/new_balance_cents", -1)}},
		{"current_balance_cents at -(2^53-1)", "balance.low", []edit{set("data/current_balance_cents", raw("-"+maxSafe))}},
		{"duration at 2^53-1", "call.completed", []edit{set("data/duration", raw(maxSafe))}},
		{"zero cost and duration", "call.completed", []edit{set("data/duration", 0), set("data/cost_cents", 0)}},
		{"changes with null old", "phone_number.updated", []edit{set("data/changes/endpoint_id/old", nil)}},
		{"changes with null new", "endpoint.updated", []edit{set("data/changes/status/new", nil)}},
		{"changes with non-string values", "endpoint.updated", []edit{set("data/changes/volume", map[string]any{"old": 3, "new": []any{1}})}},
		{"empty changes", "endpoint.updated", []edit{set("data/changes", map[string]any{})}},
		{"duration 180.0", "call.completed", []edit{set("data/duration", raw("180.0"))}},
		{"size_bytes 2.16e6", "recording.ready", []edit{set("data/size_bytes", raw("2.16e6"))}},
		{"timestamp with an offset and fraction", "call.ringing", []edit{set("timestamp", "2025-01-10T13:00:01.250+01:00")}},
		{"answered_at at a leap second", "call.answered", []edit{set("data/answered_at", "2016-12-31T23:59:60Z")}},
		{"recording_url with query and fragment", "recording.ready", []edit{set("data/recording_url", "https://storage.krosai.com/r/call_abc123.mp3?sig=a%2Fb#t=10")}},
		{"E.164 at 15 digits", "call.completed", []edit{set("data/to_number", "+234801234567890")}},
		{"E.164 at 2 digits", "call.completed", []edit{set("data/to_number", "+12")}},
		{"ids with underscores", "call.initiated", []edit{set("id", "evt_2025_01_10_A"), set("data/call_id", "call_A_1"), set("data/phone_number_id", "pn__"), set("data/endpoint_id", "ep_X")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			payload := mutate(t, s, c.event, c.edits...)
			assert.NoError(t, s.Validate(payload), "payload: %s", payload)
			assert.NoError(t, event(t, s, c.event).Validate(payload), "payload: %s", payload)
		})
	}
	t.Logf("%d cases", len(cases))
}

func TestMalformedJSON(t *testing.T) {
	s := defaultSet(t)
	example := []byte(event(t, s, "call.completed").Examples[0])
	cases := []struct {
		name    string
		payload []byte
		// the offset the error must report lies in [min, max]
		min, max int
	}{
		{"empty", []byte{}, 0, 0},
		{"whitespace only", []byte(" \n\t"), 0, 3},
		{"truncated", example[:len(example)/2], len(example) / 4, len(example) / 2},
		{"truncated after the opening brace", []byte("{"), 1, 1},
		{"truncated inside a string", []byte(`{"event": "call.compl`), 10, 21},
		{"trailing garbage", append(append([]byte{}, example...), " garbage"...), len(example), len(example) + 8},
		{"two values", append(append([]byte{}, example...), example...), len(example), 2 * len(example)},
		{"trailing comma", []byte(`{"event": "call.ringing",}`), 24, 26},
		{"bad literal", []byte(`{"event": tru}`), 10, 14},
		{"single quotes", []byte(`{'event': 'call.ringing'}`), 1, 2},
		{"unquoted key", []byte(`{event: "call.ringing"}`), 1, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, validate := range []func([]byte) error{s.Validate, event(t, s, "call.completed").Validate, schema.Validate} {
				err := validate(c.payload)
				var se *schema.SyntaxError
				require.True(t, errors.As(err, &se), "want *schema.SyntaxError, got %T: %v", err, err)
				assert.GreaterOrEqual(t, se.Offset, c.min, "offset in %q: %v", c.payload, se)
				assert.LessOrEqual(t, se.Offset, c.max, "offset in %q: %v", c.payload, se)
				assert.NotEmpty(t, se.Msg)
			}
		})
	}
}

func TestNotAnObject(t *testing.T) {
	s := defaultSet(t)
	for _, payload := range []string{`[]`, `[1]`, `"x"`, `42`, `null`, `true`, `-0.5`} {
		t.Run(payload, func(t *testing.T) {
			requireProblemAt(t, s.Validate([]byte(payload)), "", []byte(payload))
			requireProblemAt(t, event(t, s, "call.ringing").Validate([]byte(payload)), "", []byte(payload))
		})
	}
	t.Run("{}", func(t *testing.T) {
		err := s.Validate([]byte(`{}`))
		for _, p := range []string{"/event", "/id", "/timestamp", "/data"} {
			requireProblemAt(t, err, p, []byte(`{}`))
		}
	})
}

// mapFS copies the bundled schema directory into a MapFS to be modified.
func mapFS(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(schema.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(schema.FS(), name)
		if err != nil {
			return err
		}
		out[name] = &fstest.MapFile{Data: b, Mode: 0o644}
		return nil
	})
	require.NoError(t, err)
	require.Contains(t, out, "envelope.json")
	return out
}

// editFile decodes a JSON file of fsys, lets change modify it and writes it back.
func editFile(t *testing.T, fsys fstest.MapFS, name string, change func(doc map[string]any)) {
	t.Helper()
	f, ok := fsys[name]
	require.True(t, ok, name)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(f.Data, &doc))
	change(doc)
	b, err := json.MarshalIndent(doc, "", "  ")
	require.NoError(t, err)
	fsys[name] = &fstest.MapFile{Data: b, Mode: 0o644}
}

func obj(t *testing.T, doc map[string]any, path string) map[string]any {
	t.Helper()
	cur := doc
	for _, p := range strings.Split(path, "/") {
		next, ok := cur[p].(map[string]any)
		require.True(t, ok, "%s: %q is not an object", path, p)
		cur = next
	}
	return cur
}

func TestLoadCopy(t *testing.T) {
	fsys := mapFS(t)
	delete(fsys, "webhook.json") // derived; Load does not read it
	s, err := schema.Load(fsys, "copy")
	require.NoError(t, err)
	require.Len(t, s.Events, 18)
	assert.Equal(t, string(defaultSet(t).WebhookDocument()), string(s.WebhookDocument()))
	assert.Equal(t, "copy", s.Dir)
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, fsys fstest.MapFS)
		// every one of these must appear in the error message
		want []string
	}{
		{"missing envelope.json", func(t *testing.T, fsys fstest.MapFS) {
			delete(fsys, "envelope.json")
		}, []string{"myschema/envelope.json", "not found"}},
		{"missing defs.json", func(t *testing.T, fsys fstest.MapFS) {
			delete(fsys, "defs.json")
		}, []string{"myschema/defs.json", "not found"}},
		{"no event files", func(t *testing.T, fsys fstest.MapFS) {
			for name := range fsys {
				if strings.HasPrefix(name, "events/") {
					delete(fsys, name)
				}
			}
		}, []string{"myschema/events"}},
		{"envelope.json empty", func(t *testing.T, fsys fstest.MapFS) {
			fsys["envelope.json"] = &fstest.MapFile{Data: []byte("\n")}
		}, []string{"myschema/envelope.json", "empty"}},
		{"event file invalid JSON", func(t *testing.T, fsys fstest.MapFS) {
			fsys["events/call.ringing.json"] = &fstest.MapFile{Data: []byte(`{"title": "call.ringing",`)}
		}, []string{"myschema/events/call.ringing.json", "malformed JSON"}},
		{"event file with trailing garbage", func(t *testing.T, fsys fstest.MapFS) {
			f := fsys["events/call.answered.json"]
			fsys["events/call.answered.json"] = &fstest.MapFile{Data: append(append([]byte{}, f.Data...), "}"...)}
		}, []string{"myschema/events/call.answered.json", "malformed JSON"}},
		{"event file without properties.event.const", func(t *testing.T, fsys fstest.MapFS) {
			editFile(t, fsys, "events/call.ringing.json", func(doc map[string]any) {
				delete(obj(t, doc, "properties/event"), "const")
			})
		}, []string{"myschema/events/call.ringing.json#/properties/event", "const"}},
		{"event file without properties", func(t *testing.T, fsys fstest.MapFS) {
			editFile(t, fsys, "events/endpoint.deleted.json", func(doc map[string]any) {
				delete(doc, "properties")
			})
		}, []string{"myschema/events/endpoint.deleted.json"}},
		{"two files declaring the same event", func(t *testing.T, fsys fstest.MapFS) {
			fsys["events/call.ringing2.json"] = fsys["events/call.ringing.json"]
		}, []string{"myschema/events/call.ringing2.json", "call.ringing"}},
		{"file not named after its event", func(t *testing.T, fsys fstest.MapFS) {
			fsys["events/call.rings.json"] = fsys["events/call.ringing.json"]
			delete(fsys, "events/call.ringing.json")
		}, []string{"myschema/events/call.rings.json", "myschema/events/call.ringing.json"}},
		{"bad x-order", func(t *testing.T, fsys fstest.MapFS) {
			editFile(t, fsys, "events/call.failed.json", func(doc map[string]any) {
				doc["x-order"] = 0
			})
		}, []string{"myschema/events/call.failed.json#/x-order"}},
		{"meta-schema violation in an event", func(t *testing.T, fsys fstest.MapFS) {
			editFile(t, fsys, "events/call.completed.json", func(doc map[string]any) {
				obj(t, doc, "properties/data/properties/transcript")["minLength"] = -1
			})
		}, []string{"myschema/events/call.completed.json#/properties/data/properties/transcript", "meta-schema"}},
		{"meta-schema violation: required not an array", func(t *testing.T, fsys fstest.MapFS) {
			editFile(t, fsys, "events/payment.received.json", func(doc map[string]any) {
				obj(t, doc, "properties/data")["required"] = "amount_cents"
			})
		}, []string{"myschema/events/payment.received.json#/properties/data/required", "meta-schema"}},
		{"meta-schema violation in defs.json", func(t *testing.T, fsys fstest.MapFS) {
			editFile(t, fsys, "defs.json", func(doc map[string]any) {
				obj(t, doc, "$defs/call_id")["minLength"] = -1
			})
		}, []string{"myschema/defs.json#/$defs/call_id", "meta-schema"}},
		{"meta-schema violation in envelope.json", func(t *testing.T, fsys fstest.MapFS) {
			editFile(t, fsys, "envelope.json", func(doc map[string]any) {
				obj(t, doc, "properties/timestamp")["type"] = "strng"
			})
		}, []string{"myschema/envelope.json#/properties/timestamp", "meta-schema"}},
		{"unresolvable $ref", func(t *testing.T, fsys fstest.MapFS) {
			editFile(t, fsys, "events/call.answered.json", func(doc map[string]any) {
				obj(t, doc, "properties/data/properties/call_id")["$ref"] = "../defs.json#/$defs/no_such_def"
			})
		}, []string{"myschema/events/call.answered.json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := mapFS(t)
			c.change(t, fsys)
			s, err := schema.Load(fsys, "myschema")
			require.Error(t, err)
			assert.Nil(t, s)
			var se *schema.Error
			require.True(t, errors.As(err, &se), "want *schema.Error, got %T: %v", err, err)
			assert.True(t, strings.HasPrefix(se.Location, "myschema/"), "location %q", se.Location)
			assert.NotEmpty(t, se.Msg)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	t.Logf("%d cases", len(cases))
}
