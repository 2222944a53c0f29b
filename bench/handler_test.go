package bench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

const (
	// secret signs every benchmark request, in the Standard Webhooks form.
	secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	// sentAt is when every benchmark request was signed; both handlers'
	// clocks say it is now.
	sentAtUnix = 1736510585
)

var sentAt = time.Unix(sentAtUnix, 0)

// BenchmarkHandler measures receiving one webhook, in process (no network):
// reading the body, checking its Standard Webhooks signature, decoding it
// and answering 200, by the generated Handler (impl=krosgen: Parse, which
// also validates, and StandardVerifier; no deduplication, which the
// hand-written handler does not do either) and by a hand-written net/http +
// encoding/json handler (impl=hand-written), on call.completed and on the
// large call.completed. Time per request is the inverse of throughput.
func BenchmarkHandler(b *testing.B) {
	for _, c := range handlerCases(b) {
		b.Run("payload="+c.payload+"/impl="+c.impl, func(b *testing.B) {
			if err := c.serve(); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(c.size))
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				_ = c.serve()
			}
			reportCPU(b, start)
			if err := c.serve(); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// TestHandlersAcceptTheBenchmarkRequests makes sure both handlers of the
// benchmark answer 200 and call their callback, so that neither is
// measured taking a shortcut (a rejection, a duplicate).
func TestHandlersAcceptTheBenchmarkRequests(t *testing.T) {
	for _, c := range handlerCases(t) {
		for i := 0; i < 3; i++ {
			if err := c.serve(); err != nil {
				t.Fatalf("%s, %s: %v", c.payload, c.impl, err)
			}
		}
	}
}

// handlerCase is one handler receiving one signed payload.
type handlerCase struct {
	payload, impl string
	size          int
	// serve delivers the payload once and reports a response other than
	// 200 or a callback not called.
	serve func() error
}

func handlerCases(tb testing.TB) []handlerCase {
	verifier, err := krosai.NewStandardVerifier([]string{secret}, krosai.WithClock(func() time.Time { return sentAt }))
	if err != nil {
		tb.Fatal(err)
	}
	generated := krosai.NewHandler(krosai.WithVerifier(verifier.Verify), krosai.WithDeduplicator(nil))
	var handled int
	krosai.On(generated, func(_ context.Context, _ *krosai.Event, d *krosai.CallCompleted) error {
		handled++
		return nil
	})
	handwritten, err := newHandWritten(secret, func() time.Time { return sentAt })
	if err != nil {
		tb.Fatal(err)
	}
	handwritten.onCallCompleted = func(*krosai.CallCompleted) { handled++ }

	var out []handlerCase
	for _, p := range payloads(tb) {
		if p.name != "call.completed" && p.name != largeName {
			continue
		}
		ev, err := krosai.Parse(p.body)
		if err != nil {
			tb.Fatal(err)
		}
		// Standard Webhooks' message id is the event id.
		headers, err := krosai.SignStandard(secret, string(ev.ID), sentAt, p.body)
		if err != nil {
			tb.Fatal(err)
		}
		for _, h := range []struct {
			impl string
			h    http.Handler
		}{{"krosgen", generated}, {"hand-written", handwritten}} {
			req := httptest.NewRequest(http.MethodPost, "/webhooks/krosai", nil)
			for k, v := range headers {
				req.Header[k] = v
			}
			var rd bytes.Reader
			w := &responseWriter{header: http.Header{}}
			body := p.body
			out = append(out, handlerCase{payload: p.name, impl: h.impl, size: len(body), serve: func() error {
				rd.Reset(body)
				req.Body, req.ContentLength = io.NopCloser(&rd), int64(len(body))
				w.reset()
				before := handled
				h.h.ServeHTTP(w, req)
				if w.code != http.StatusOK || handled != before+1 {
					return fmt.Errorf("status %d, %d callbacks: %s", w.code, handled-before, w.body.String())
				}
				return nil
			}})
		}
	}
	return out
}

// responseWriter records the status and body of one response, reused from
// request to request so that the harness costs next to nothing.
type responseWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (w *responseWriter) reset() {
	clear(w.header)
	w.code = 0
	w.body.Reset()
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *responseWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// handWritten is the webhook handler a team writes without krosgen:
// net/http, a Standard Webhooks check and encoding/json into the same
// structs, dispatching on the event type, validating nothing else.
type handWritten struct {
	key             []byte
	now             func() time.Time
	onCallCompleted func(*krosai.CallCompleted)
}

func newHandWritten(secret string, now func() time.Time) (*handWritten, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return nil, err
	}
	return &handWritten{key: key, now: now}, nil
}

func (h *handWritten) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if !h.verify(r.Header, body) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var env struct {
		Event     string          `json:"event"`
		ID        string          `json:"id"`
		Timestamp time.Time       `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	switch env.Event {
	case "call.completed":
		var d krosai.CallCompleted
		if err := json.Unmarshal(env.Data, &d); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		h.onCallCompleted(&d)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"status":"handled"}`+"\n")
}

// verify checks the Standard Webhooks signature: the HMAC-SHA256 of
// id.timestamp.body, within five minutes of now.
func (h *handWritten) verify(hdr http.Header, body []byte) bool {
	id, ts, sigs := hdr.Get("webhook-id"), hdr.Get("webhook-timestamp"), hdr.Get("webhook-signature")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || id == "" {
		return false
	}
	if d := h.now().Sub(time.Unix(secs, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, h.key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, s := range strings.Fields(sigs) {
		if v, sig, ok := strings.Cut(s, ","); ok && v == "v1" {
			got, err := base64.StdEncoding.DecodeString(sig)
			if err == nil && hmac.Equal(got, want) {
				return true
			}
		}
	}
	return false
}
