package krosai_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

// Test secrets: base64 of arbitrary bytes, in the "whsec_" form.
var (
	testSecretOld = "whsec_" + base64.StdEncoding.EncodeToString([]byte("old-secret-0123456789abcdef"))
	testSecretNew = "whsec_" + base64.StdEncoding.EncodeToString([]byte("new-secret-fedcba9876543210"))
)

var verifyNow = time.Unix(1736510400, 0) // 2025-01-10T12:00:00Z

var fixedClock = krosai.WithClock(func() time.Time { return verifyNow })

// signedRequest returns a POST of body signed with secret.
func signedRequest(t *testing.T, secret, id string, ts time.Time, body []byte) *http.Request {
	t.Helper()
	hdr, err := krosai.SignStandard(secret, id, ts, body)
	mustNoErr(t, err)
	r := httptest.NewRequest(http.MethodPost, "/webhooks", strings.NewReader(string(body)))
	for k, v := range hdr {
		r.Header[k] = v
	}
	return r
}

func newVerifier(t *testing.T, secrets []string, opts ...krosai.VerifierOption) *krosai.StandardVerifier {
	t.Helper()
	v, err := krosai.NewStandardVerifier(secrets, opts...)
	mustNoErr(t, err)
	return v
}

func wantErrIs(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want %v", what, err, target)
	}
}

func TestVerify_KnownVector(t *testing.T) {
	// Test vector of the Standard Webhooks specification.
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"test": 2432232314}`)
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	r.Header.Set("webhook-timestamp", "1614265330")
	r.Header.Set("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	v := newVerifier(t, []string{secret}, krosai.WithClock(func() time.Time { return time.Unix(1614265330, 0) }))
	mustNoErr(t, v.Verify(r, body))

	hdr, err := krosai.SignStandard(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), body)
	mustNoErr(t, err)
	if got := hdr.Get(krosai.HeaderWebhookSignature); got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Errorf("SignStandard signature %q", got)
	}
}

func TestVerify(t *testing.T) {
	body := examples(t)[krosai.EventCallCompleted].Payload
	v := newVerifier(t, []string{testSecretOld}, fixedClock)

	t.Run("good signature", func(t *testing.T) {
		mustNoErr(t, v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow, body), body))
	})
	t.Run("secret without whsec_ prefix", func(t *testing.T) {
		bare := newVerifier(t, []string{strings.TrimPrefix(testSecretOld, "whsec_")}, fixedClock)
		mustNoErr(t, bare.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow, body), body))
	})
	t.Run("tampered body", func(t *testing.T) {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		tampered := []byte(strings.Replace(string(body), `"duration": 180`, `"duration": 18`, 1))
		if string(tampered) == string(body) {
			t.Fatal("the example changed; adjust the tampering")
		}
		wantErrIs(t, v.Verify(r, tampered), krosai.ErrNoValidSignature, "tampered body")
	})
	t.Run("tampered id", func(t *testing.T) {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		r.Header.Set(krosai.HeaderWebhookID, "msg_2")
		wantErrIs(t, v.Verify(r, body), krosai.ErrNoValidSignature, "tampered id")
	})
	t.Run("tampered timestamp", func(t *testing.T) {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		r.Header.Set(krosai.HeaderWebhookTimestamp, strconv.FormatInt(verifyNow.Unix()+1, 10))
		wantErrIs(t, v.Verify(r, body), krosai.ErrNoValidSignature, "tampered timestamp")
	})
	t.Run("wrong secret", func(t *testing.T) {
		wantErrIs(t, v.Verify(signedRequest(t, testSecretNew, "msg_1", verifyNow, body), body), krosai.ErrNoValidSignature, "wrong secret")
	})
	t.Run("within tolerance", func(t *testing.T) {
		for _, d := range []time.Duration{-5 * time.Minute, -4 * time.Minute, 4 * time.Minute, 5 * time.Minute} {
			if err := v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(d), body), body); err != nil {
				t.Errorf("%v: %v", d, err)
			}
		}
	})
	t.Run("stale timestamp", func(t *testing.T) {
		err := v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(-krosai.DefaultTolerance-time.Second), body), body)
		wantErrIs(t, err, krosai.ErrTimestampOutOfTolerance, "stale")
		if err == nil || !strings.Contains(err.Error(), "old") {
			t.Errorf("stale: %v", err)
		}
	})
	t.Run("future timestamp", func(t *testing.T) {
		err := v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(krosai.DefaultTolerance+time.Second), body), body)
		wantErrIs(t, err, krosai.ErrTimestampOutOfTolerance, "future")
		if err == nil || !strings.Contains(err.Error(), "future") {
			t.Errorf("future: %v", err)
		}
	})
	t.Run("custom tolerance", func(t *testing.T) {
		strict := newVerifier(t, []string{testSecretOld}, fixedClock, krosai.WithTolerance(10*time.Second))
		wantErrIs(t, strict.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(-time.Minute), body), body), krosai.ErrTimestampOutOfTolerance, "a minute old")
		mustNoErr(t, strict.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(-9*time.Second), body), body))
		// Zero restores the default.
		lax := newVerifier(t, []string{testSecretOld}, fixedClock, krosai.WithTolerance(0))
		mustNoErr(t, lax.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(-4*time.Minute), body), body))
	})
	t.Run("real clock", func(t *testing.T) {
		live := newVerifier(t, []string{testSecretOld}, krosai.WithClock(nil))
		mustNoErr(t, live.Verify(signedRequest(t, testSecretOld, "msg_1", time.Now(), body), body))
		wantErrIs(t, live.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow, body), body), krosai.ErrTimestampOutOfTolerance, "2025 timestamp against the real clock")
	})
	t.Run("malformed timestamp", func(t *testing.T) {
		for _, ts := range []string{"abc", "1.5", "-1", "1736510400000000000000"} {
			r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
			r.Header.Set(krosai.HeaderWebhookTimestamp, ts)
			wantErrIs(t, v.Verify(r, body), krosai.ErrInvalidTimestamp, ts)
		}
	})
	t.Run("missing headers", func(t *testing.T) {
		for _, h := range []string{krosai.HeaderWebhookID, krosai.HeaderWebhookTimestamp, krosai.HeaderWebhookSignature} {
			r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
			r.Header.Del(h)
			wantErrIs(t, v.Verify(r, body), krosai.ErrMissingSignatureHeaders, "without "+h)
			r = signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
			r.Header.Set(h, "")
			wantErrIs(t, v.Verify(r, body), krosai.ErrMissingSignatureHeaders, "empty "+h)
		}
		wantErrIs(t, v.Verify(httptest.NewRequest(http.MethodPost, "/", nil), body), krosai.ErrMissingSignatureHeaders, "no headers")
		wantErrIs(t, v.Verify(nil, body), krosai.ErrMissingSignatureHeaders, "nil request")
	})
	t.Run("garbage signatures", func(t *testing.T) {
		for _, sig := range []string{"v1", "v1,", "v1,!!!", "v2," + base64.StdEncoding.EncodeToString(make([]byte, 32)), "v1," + base64.StdEncoding.EncodeToString(make([]byte, 32)), "   "} {
			r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
			r.Header.Set(krosai.HeaderWebhookSignature, sig)
			if v.Verify(r, body) == nil {
				t.Errorf("signature %q accepted", sig)
			}
		}
	})
	t.Run("nil or zero verifier rejects", func(t *testing.T) {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		var nilV *krosai.StandardVerifier
		if nilV.Verify(r, body) == nil {
			t.Error("nil verifier accepted a request")
		}
		if (&krosai.StandardVerifier{}).Verify(r, body) == nil {
			t.Error("zero verifier accepted a request")
		}
	})
}

func TestVerify_RotatedSecret(t *testing.T) {
	body := examples(t)[krosai.EventPaymentReceived].Payload
	v := newVerifier(t, []string{testSecretOld, testSecretNew}, fixedClock)

	// Either secret alone is accepted.
	mustNoErr(t, v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow, body), body))
	mustNoErr(t, v.Verify(signedRequest(t, testSecretNew, "msg_1", verifyNow, body), body))

	// A header listing several signatures is accepted if any one matches,
	// whatever its position.
	sign := func(secret string) string {
		hdr, err := krosai.SignStandard(secret, "msg_1", verifyNow, body)
		mustNoErr(t, err)
		return hdr.Get(krosai.HeaderWebhookSignature)
	}
	oldSig, newSig := sign(testSecretOld), sign(testSecretNew)
	otherSig := sign("whsec_" + base64.StdEncoding.EncodeToString([]byte("unrelated-key-0123456789")))
	onlyNew := newVerifier(t, []string{testSecretNew}, fixedClock)
	for _, sigs := range []string{
		otherSig + " " + newSig,
		newSig + " " + otherSig,
		"v1a,abcdef " + oldSig + "  " + newSig,
	} {
		r := signedRequest(t, testSecretNew, "msg_1", verifyNow, body)
		r.Header.Set(krosai.HeaderWebhookSignature, sigs)
		if err := v.Verify(r, body); err != nil {
			t.Errorf("both secrets, %q: %v", sigs, err)
		}
		if err := onlyNew.Verify(r, body); err != nil {
			t.Errorf("new secret only, %q: %v", sigs, err)
		}
	}

	// After rotation, the retired secret is refused.
	wantErrIs(t, onlyNew.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow, body), body), krosai.ErrNoValidSignature, "retired secret")

	// None matching: rejected.
	r := signedRequest(t, testSecretNew, "msg_1", verifyNow, body)
	r.Header.Set(krosai.HeaderWebhookSignature, otherSig+" "+otherSig)
	wantErrIs(t, v.Verify(r, body), krosai.ErrNoValidSignature, "no matching signature")
}

func TestVerify_EmptyOrBadSecret(t *testing.T) {
	for name, secrets := range map[string][]string{
		"nil list":       nil,
		"empty list":     {},
		"empty secret":   {""},
		"prefix only":    {"whsec_"},
		"blank":          {"   "},
		"not base64":     {"whsec_not base64!!"},
		"one bad of two": {testSecretOld, "whsec_%%%"},
	} {
		t.Run(name, func(t *testing.T) {
			v, err := krosai.NewStandardVerifier(secrets)
			if err == nil || v != nil {
				t.Fatalf("NewStandardVerifier(%q) = %v, %v; want an error", secrets, v, err)
			}
			for _, s := range secrets {
				if len(s) > 8 && s != testSecretOld && strings.Contains(err.Error(), s) {
					t.Errorf("error %q echoes the secret", err)
				}
			}
		})
	}
	if _, err := krosai.SignStandard("", "msg_1", verifyNow, nil); err == nil {
		t.Error("SignStandard with an empty secret succeeded")
	}
	if _, err := krosai.SignStandard(testSecretOld, "", verifyNow, nil); err == nil {
		t.Error("SignStandard with an empty message id succeeded")
	}
}

func TestVerify_UnpaddedSecret(t *testing.T) {
	raw := []byte("seventeen bytes!!") // 17 bytes: padded base64 ends in "="
	padded := base64.StdEncoding.EncodeToString(raw)
	if !strings.HasSuffix(padded, "=") {
		t.Fatal("expected padding")
	}
	v := newVerifier(t, []string{strings.TrimRight(padded, "=")}, fixedClock)
	body := []byte("{}")
	mustNoErr(t, v.Verify(signedRequest(t, "whsec_"+padded, "msg_1", verifyNow, body), body))
}

func TestVerify_SignatureIsHMAC(t *testing.T) {
	body := []byte(`{"a":1}`)
	hdr, err := krosai.SignStandard(testSecretOld, "msg_x", verifyNow, body)
	mustNoErr(t, err)
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(testSecretOld, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("msg_x." + strconv.FormatInt(verifyNow.Unix(), 10) + "." + string(body)))
	want := map[string]string{
		krosai.HeaderWebhookSignature: "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)),
		krosai.HeaderWebhookID:        "msg_x",
		krosai.HeaderWebhookTimestamp: "1736510400",
	}
	for k, v := range want {
		if got := hdr.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestVerify_WithHandler(t *testing.T) {
	v := newVerifier(t, []string{testSecretOld}, fixedClock)
	h := krosai.NewHandler(krosai.WithVerifier(v.Verify), krosai.WithLogger(nil))
	var called atomic.Int32
	krosai.On(h, func(context.Context, *krosai.Event, *krosai.CallCompleted) error { called.Add(1); return nil })
	body := examples(t)[krosai.EventCallCompleted].Payload

	serve := func(r *http.Request) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	ev, err := krosai.Parse(body)
	mustNoErr(t, err)
	id := string(ev.ID)
	wantStatus(t, serve(signedRequest(t, testSecretOld, id, verifyNow, body)), "handled")
	wantCount(t, "calls", called.Load(), 1)

	// The signed webhook-id must be the event id: otherwise a captured
	// delivery could be replayed, validly signed, under a fresh
	// deduplication key.
	w := serve(signedRequest(t, testSecretOld, "msg_other", verifyNow, body))
	wantCode(t, w, http.StatusBadRequest)
	if b := decodeBody(t, w); len(b.Problems) != 1 || b.Problems[0].Pointer != "/id" {
		t.Errorf("id mismatch body %+v", b)
	}
	wantCount(t, "calls", called.Load(), 1)

	for name, r := range map[string]*http.Request{
		"wrong secret": signedRequest(t, testSecretNew, "msg_2", verifyNow, body),
		"stale":        signedRequest(t, testSecretOld, "msg_3", verifyNow.Add(-time.Hour), body),
		"unsigned":     httptest.NewRequest(http.MethodPost, "/webhooks", strings.NewReader(string(body))),
	} {
		w := serve(r)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, w.Code)
		}
		if strings.Contains(w.Body.String(), "secret") || strings.Contains(w.Body.String(), "tolerance") {
			t.Errorf("%s: 401 body reveals the cause: %s", name, w.Body.String())
		}
	}
	// A tampered body is refused before it is parsed: a signed invalid
	// payload would be 400, a tampered one is 401.
	r := signedRequest(t, testSecretOld, "msg_4", verifyNow, body)
	r.Body = http.NoBody
	r.ContentLength = 0
	wantCode(t, serve(r), http.StatusUnauthorized)
	signedInvalid := []byte(`{"event":"call.completed"}`)
	wantCode(t, serve(signedRequest(t, testSecretOld, "msg_5", verifyNow, signedInvalid)), http.StatusBadRequest)
	wantCount(t, "calls", called.Load(), 1)
}
