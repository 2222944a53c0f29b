package krosai_test

// Tests of Delivery and Process, leases, the Enqueuer, the quarantine
// policy, the Observer and the verifier's secrecy.

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

// observations records every Observation.
type observations struct {
	mu  sync.Mutex
	all []krosai.Observation
}

func (o *observations) Observe(_ context.Context, ob krosai.Observation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.all = append(o.all, ob)
}

func (o *observations) last(t *testing.T) krosai.Observation {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.all) == 0 {
		t.Fatal("nothing observed")
	}
	return o.all[len(o.all)-1]
}

func (o *observations) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.all)
}

// permanent is how code without this package's import recognises a
// permanent error.
func permanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

func TestProcess_ErrorsSayWhetherARetryHelps(t *testing.T) {
	v := newVerifier(t, []string{testSecretOld}, fixedClock)
	obs := &observations{}
	h := krosai.NewHandler(krosai.WithVerifier(v.Verify), krosai.WithObserver(obs))
	var fail atomic.Bool
	var calls atomic.Int32
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error {
		calls.Add(1)
		if fail.Load() {
			return errors.New("db down")
		}
		return nil
	})
	body := []byte(validEvent(t, krosai.EventCallCompleted, "evt_p1"))
	signed := func(id string, body []byte) http.Header {
		hdr, err := krosai.SignStandard(testSecretOld, id, verifyNow, body)
		mustNoErr(t, err)
		return hdr
	}
	ctx := context.Background()
	at := verifyNow.Add(time.Second)

	cases := []struct {
		name      string
		d         krosai.Delivery
		permanent bool
		outcome   krosai.Outcome
	}{
		{"unsigned", krosai.Delivery{Header: http.Header{}, Body: body, ReceivedAt: at}, true, krosai.OutcomeUnverified},
		{"signed with another key", krosai.Delivery{Header: func() http.Header {
			hdr, err := krosai.SignStandard(testSecretNew, "evt_p1", verifyNow, body)
			mustNoErr(t, err)
			return hdr
		}(), Body: body, ReceivedAt: at}, true, krosai.OutcomeUnverified},
		{"signed webhook-id is not the event id", krosai.Delivery{Header: signed("evt_other", body), Body: body, ReceivedAt: at}, true, krosai.OutcomeInvalid},
		{"Delivery.ID is not the event id", krosai.Delivery{ID: "evt_other", Header: signed("evt_p1", body), Body: body, ReceivedAt: at}, true, krosai.OutcomeInvalid},
		{"malformed", krosai.Delivery{Header: signed("evt_p1", body[:10]), Body: body[:10], ReceivedAt: at}, true, krosai.OutcomeInvalid},
		{"received an hour after signing", krosai.Delivery{Header: signed("evt_p1", body), Body: body, ReceivedAt: verifyNow.Add(time.Hour)}, true, krosai.OutcomeUnverified},
	}
	for _, tc := range cases {
		err := h.Process(ctx, tc.d)
		if err == nil || errors.Is(err, krosai.ErrPermanent) != tc.permanent || permanent(err) != tc.permanent {
			t.Errorf("%s: error %v, permanent %v; want permanent %v", tc.name, err, errors.Is(err, krosai.ErrPermanent), tc.permanent)
		}
		if got := obs.last(t).Outcome; got != tc.outcome {
			t.Errorf("%s: outcome %v, want %v", tc.name, got, tc.outcome)
		}
	}
	wantCount(t, "calls after rejected deliveries", calls.Load(), 0)

	// A callback failure is temporary; the retry runs again, then is a
	// duplicate. A queued delivery is verified against its received time,
	// not the current one (the clock says 2025-01-10T12:00:00Z).
	good := krosai.Delivery{Header: signed("evt_p1", body), Body: body, ReceivedAt: at}
	fail.Store(true)
	err := h.Process(ctx, good)
	if err == nil || errors.Is(err, krosai.ErrPermanent) || permanent(err) || !strings.Contains(err.Error(), "db down") {
		t.Fatalf("callback failure: %v; want a temporary error naming the cause", err)
	}
	if o := obs.last(t); o.Outcome != krosai.OutcomeFailed || o.EventID != "evt_p1" || o.EventType != krosai.EventCallCompleted || o.CallbackLatency <= 0 {
		t.Errorf("failure observed as %+v", o)
	}
	fail.Store(false)
	mustNoErr(t, h.Process(ctx, good))
	o := obs.last(t)
	if o.Outcome != krosai.OutcomeHandled || o.CallbackLatency <= 0 {
		t.Errorf("success observed as %+v", o)
	}
	ev, err := krosai.Parse(body)
	mustNoErr(t, err)
	if want := at.Sub(ev.Timestamp); o.Lag != want {
		t.Errorf("lag %v, want %v", o.Lag, want)
	}
	mustNoErr(t, h.Process(ctx, good))
	if got := obs.last(t).Outcome; got != krosai.OutcomeDuplicate {
		t.Errorf("second processing: %v, want duplicate", got)
	}
	wantCount(t, "calls", calls.Load(), 2)

	var nilH *krosai.Handler
	if nilH.Process(ctx, good) == nil {
		t.Error("a nil Handler processed a delivery")
	}
}

func TestProcess_InFlightIsTemporary(t *testing.T) {
	h := krosai.NewHandler(krosai.WithLogger(nil))
	entered, release := make(chan struct{}), make(chan struct{})
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error {
		close(entered)
		<-release
		return nil
	})
	d := krosai.Delivery{Body: []byte(validEvent(t, krosai.EventCallCompleted, "evt_f"))}
	done := make(chan error)
	go func() { done <- h.Process(context.Background(), d) }()
	<-entered
	err := h.Process(context.Background(), d)
	if !errors.Is(err, krosai.ErrInFlight) || errors.Is(err, krosai.ErrPermanent) {
		t.Fatalf("concurrent processing: %v, want ErrInFlight, temporary", err)
	}
	close(release)
	mustNoErr(t, <-done)
}

func TestHandler_LeaseExpiryTakeOver(t *testing.T) {
	// A delivery whose callback blocks outlives its lease: a retry takes the
	// event over and completes it; the first holder's callback context ends
	// with the lease, and its late commit is refused (500, not 200).
	h := krosai.NewHandler(krosai.WithLogger(nil), krosai.WithLease(100*time.Millisecond))
	var calls atomic.Int32
	firstCtx := make(chan context.Context, 1)
	resume := make(chan struct{})
	krosai.On(h, func(ctx context.Context, _ *krosai.Event, _ *krosai.CallCompleted) error {
		if calls.Add(1) == 1 {
			firstCtx <- ctx
			<-resume // blocks past its lease, ignoring ctx
		}
		return nil
	})
	body := validEvent(t, krosai.EventCallCompleted, "evt_lease")
	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- post(h, body) }()
	ctx := <-firstCtx
	wantCode(t, post(h, body), http.StatusConflict) // the lease is live
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the callback context did not end with the lease")
	}
	time.Sleep(10 * time.Millisecond)
	wantStatus(t, post(h, body), "handled") // the take-over
	close(resume)
	wantCode(t, <-first, http.StatusInternalServerError)
	wantStatus(t, post(h, body), "duplicate")
	wantCount(t, "calls", calls.Load(), 2)
}

// queue is an Enqueuer whose worker processes deliveries with a Handler.
type queue struct {
	mu   sync.Mutex
	fail bool
	jobs []krosai.Delivery
}

func (q *queue) Enqueue(_ context.Context, d krosai.Delivery) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.fail {
		return errors.New("queue down")
	}
	q.jobs = append(q.jobs, d)
	return nil
}

func TestHandler_Enqueuer(t *testing.T) {
	q := &queue{}
	obs := &observations{}
	front := krosai.NewHandler(krosai.WithEnqueuer(q), krosai.WithObserver(obs))
	var calls atomic.Int32
	krosai.On(front, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { calls.Add(1); return nil })
	worker := krosai.NewHandler(krosai.WithLogger(nil))
	krosai.On(worker, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { calls.Add(1); return nil })

	body := validEvent(t, krosai.EventCallCompleted, "evt_q")
	for range 2 { // the same id twice
		w := post(front, body)
		wantCode(t, w, http.StatusAccepted)
		if got := decodeBody(t, w).Status; got != "enqueued" {
			t.Errorf("status %q, want enqueued", got)
		}
		if got := obs.last(t).Outcome; got != krosai.OutcomeEnqueued {
			t.Errorf("outcome %v", got)
		}
	}
	wantCount(t, "calls on the request", calls.Load(), 0)
	// Still rejected before enqueueing: invalid payloads and other methods.
	wantCode(t, post(front, `{"event":"call.completed"}`), http.StatusBadRequest)
	w := httptest.NewRecorder()
	front.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	wantCode(t, w, http.StatusMethodNotAllowed)

	q.mu.Lock()
	jobs := q.jobs
	q.mu.Unlock()
	if len(jobs) != 2 {
		t.Fatalf("%d jobs, want 2", len(jobs))
	}
	for _, d := range jobs {
		if d.ID != "evt_q" || string(d.Body) != body || d.ReceivedAt.IsZero() || d.Header == nil {
			t.Errorf("enqueued %+v", d)
		}
		mustNoErr(t, worker.Process(context.Background(), d))
	}
	wantCount(t, "calls after processing the same id twice", calls.Load(), 1)

	// A failing queue is 503 with Retry-After, so the sender retries.
	q.mu.Lock()
	q.fail = true
	q.mu.Unlock()
	w = post(front, validEvent(t, krosai.EventCallCompleted, "evt_q2"))
	wantCode(t, w, http.StatusServiceUnavailable)
	if w.Header().Get("Retry-After") == "" || strings.Contains(w.Body.String(), "queue down") {
		t.Errorf("503 headers %v, body %s", w.Header(), w.Body.String())
	}
	if o := obs.last(t); o.Outcome != krosai.OutcomeFailed || !strings.Contains(o.Err.Error(), "queue down") {
		t.Errorf("observed %+v", o)
	}
	front = krosai.NewHandler(krosai.WithEnqueuer(krosai.EnqueuerFunc(func(context.Context, krosai.Delivery) error { panic("queue bug") })), krosai.WithLogger(nil))
	wantCode(t, post(front, body), http.StatusServiceUnavailable)
}

func TestHandler_QuarantineInvalid(t *testing.T) {
	type kept struct {
		d      krosai.Delivery
		reason error
	}
	var mu sync.Mutex
	var store []kept
	var fail atomic.Bool
	keep := func(_ context.Context, d krosai.Delivery, reason error) error {
		if fail.Load() {
			return errors.New("quarantine full")
		}
		mu.Lock()
		defer mu.Unlock()
		store = append(store, kept{d, reason})
		return nil
	}
	obs := &observations{}
	h := krosai.NewHandler(krosai.WithOnInvalid(krosai.QuarantineInvalid(keep)), krosai.WithObserver(obs))
	drifted := eventJSON(krosai.EventCallCompleted, "evt_drift", `{"call_id":7,"surprise":true}`)
	w := post(h, drifted)
	wantCode(t, w, http.StatusAccepted)
	if got := decodeBody(t, w).Status; got != "quarantined" {
		t.Errorf("status %q", got)
	}
	if len(store) != 1 || string(store[0].d.Body) != drifted {
		t.Fatalf("kept %+v", store)
	}
	var ve *krosai.ValidationError
	if !errors.As(store[0].reason, &ve) || len(ve.Problems) == 0 {
		t.Errorf("reason %v, want the *ValidationError", store[0].reason)
	}
	if got := obs.last(t).Outcome; got != krosai.OutcomeQuarantined {
		t.Errorf("outcome %v", got)
	}
	mustNoErr(t, h.Process(context.Background(), krosai.Delivery{Body: []byte("not json")}))
	if len(store) != 2 {
		t.Fatal("Process did not quarantine")
	}
	fail.Store(true)
	wantCode(t, post(h, drifted), http.StatusInternalServerError)

	// Quarantine never applies to a bad signature, and RejectInvalid is
	// the default.
	h = krosai.NewHandler(krosai.WithLogger(nil), krosai.WithOnInvalid(krosai.QuarantineInvalid(keep)),
		krosai.WithVerifier(func(*http.Request, []byte) error { return errors.New("forged") }))
	fail.Store(false)
	wantCode(t, post(h, drifted), http.StatusUnauthorized)
	h = krosai.NewHandler(krosai.WithLogger(nil), krosai.WithOnInvalid(krosai.RejectInvalid()))
	wantCode(t, post(h, drifted), http.StatusBadRequest)
	if len(store) != 2 {
		t.Errorf("%d kept, want 2", len(store))
	}
}

func TestObserver_EveryDeliveryOnce(t *testing.T) {
	obs := &observations{}
	var logs syncBuffer
	h := krosai.NewHandler(krosai.WithObserver(krosai.Observers(obs, nil, krosai.LogObserver(testLogger(&logs)))))
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.PaymentReceived) error { return nil })
	want := []krosai.Outcome{}
	send := func(body string, outcome krosai.Outcome) {
		post(h, body)
		want = append(want, outcome)
	}
	send(validEvent(t, krosai.EventPaymentReceived, "evt_o1"), krosai.OutcomeHandled)
	send(validEvent(t, krosai.EventPaymentReceived, "evt_o1"), krosai.OutcomeDuplicate)
	send(validEvent(t, krosai.EventCallCompleted, "evt_o2"), krosai.OutcomeIgnored)
	send("{", krosai.OutcomeInvalid)
	if obs.count() != len(want) {
		t.Fatalf("%d observations for %d deliveries", obs.count(), len(want))
	}
	for i, o := range obs.all {
		if o.Outcome != want[i] {
			t.Errorf("delivery %d: %v, want %v", i, o.Outcome, want[i])
		}
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "webhook payload rejected") {
		t.Errorf("LogObserver did not log the invalid delivery:\n%s", logs.String())
	}
	for o := krosai.OutcomeHandled; o <= krosai.OutcomeFailed; o++ {
		if s := o.String(); s == "" || strings.HasPrefix(s, "Outcome(") {
			t.Errorf("outcome %d has no name", int(o))
		}
	}
	if got := krosai.Outcome(0).String(); got != "Outcome(0)" {
		t.Errorf("Outcome(0).String() = %q", got)
	}
	// A panicking observer does not change the answer.
	h = krosai.NewHandler(krosai.WithObserver(krosai.ObserverFunc(func(context.Context, krosai.Observation) { panic("metrics bug") })))
	wantStatus(t, post(h, validEvent(t, krosai.EventPaymentReceived, "evt_o3")), "ignored")
}

func TestVerify_PrintsNoKeyBytes(t *testing.T) {
	key := []byte("very-secret-key-material-0123456789")
	secret := "whsec_" + base64.StdEncoding.EncodeToString(key)
	v := newVerifier(t, []string{secret, testSecretNew})
	wrapped := struct {
		name string
		v    krosai.StandardVerifier
		p    *krosai.StandardVerifier
	}{"w", *v, v}
	for _, format := range []string{"%v", "%+v", "%s", "%#v", "%q", "%x", "%d"} {
		for _, arg := range []any{v, *v, wrapped, &wrapped} {
			out := fmt.Sprintf(format, arg)
			for _, leak := range []string{string(key), base64.StdEncoding.EncodeToString(key), fmt.Sprint(key), fmt.Sprintf("%x", key), "118 101 114 121"} {
				if strings.Contains(out, leak) {
					t.Errorf("Sprintf(%q, %T) = %q leaks the key", format, arg, out)
				}
			}
		}
	}
	if got := fmt.Sprintf("%v", v); !strings.Contains(got, "secrets: 2") {
		t.Errorf("%%v = %q; want a summary naming the number of secrets", got)
	}
}

func TestVerify_ShortKeysAreRefused(t *testing.T) {
	for n := 1; n <= 40; n++ {
		secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", n)))
		_, err := krosai.NewStandardVerifier([]string{secret})
		_, serr := krosai.SignStandard(secret, "msg", verifyNow, nil)
		if short := n < krosai.MinSecretBytes; (err != nil) != short || (serr != nil) != short {
			t.Errorf("%d-byte key: verifier error %v, signer error %v; want errors only below %d bytes", n, err, serr, krosai.MinSecretBytes)
		}
	}
}

func TestVerify_EverySignatureLineCounts(t *testing.T) {
	body := []byte(`{}`)
	v := newVerifier(t, []string{testSecretOld}, fixedClock)
	good := signedRequest(t, testSecretOld, "msg_1", verifyNow, body).Header.Get(krosai.HeaderWebhookSignature)
	bad := signedRequest(t, testSecretNew, "msg_1", verifyNow, body).Header.Get(krosai.HeaderWebhookSignature)
	for _, lines := range [][]string{{bad, good}, {"v1a,xyz", bad + " " + good}, {"", good}} {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		r.Header[http.CanonicalHeaderKey(krosai.HeaderWebhookSignature)] = lines
		if err := v.Verify(r, body); err != nil {
			t.Errorf("lines %q: %v", lines, err)
		}
	}
	r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
	r.Header[http.CanonicalHeaderKey(krosai.HeaderWebhookSignature)] = []string{bad, bad}
	wantErrIs(t, v.Verify(r, body), krosai.ErrNoValidSignature, "two bad lines")
}
