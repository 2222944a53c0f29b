package support

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Test secrets: base64 of arbitrary bytes.
var (
	testSecretOld = "whsec_" + base64.StdEncoding.EncodeToString([]byte("old-secret-0123456789abcdef"))
	testSecretNew = "whsec_" + base64.StdEncoding.EncodeToString([]byte("new-secret-fedcba9876543210"))
)

var verifyNow = time.Unix(1736510400, 0) // 2025-01-10T12:00:00Z

func signedRequest(t *testing.T, secret, id string, ts time.Time, body []byte) *http.Request {
	t.Helper()
	hdr, err := SignStandard(secret, id, ts, body)
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/webhooks", strings.NewReader(string(body)))
	for k, v := range hdr {
		r.Header[k] = v
	}
	return r
}

func TestVerify_KnownVector(t *testing.T) {
	// Test vector of the Standard Webhooks specification.
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"test": 2432232314}`)
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	r.Header.Set("webhook-timestamp", "1614265330")
	r.Header.Set("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	v, err := NewStandardVerifier([]string{secret}, WithClock(func() time.Time { return time.Unix(1614265330, 0) }))
	require.NoError(t, err)
	require.NoError(t, v.Verify(r, body))

	hdr, err := SignStandard(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), body)
	require.NoError(t, err)
	require.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", hdr.Get("webhook-signature"))
}

func TestVerify(t *testing.T) {
	body := []byte(`{"event":"call.completed","id":"evt_1"}`)
	clock := WithClock(func() time.Time { return verifyNow })
	v, err := NewStandardVerifier([]string{testSecretOld}, clock)
	require.NoError(t, err)

	t.Run("good signature", func(t *testing.T) {
		require.NoError(t, v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow, body), body))
	})
	t.Run("secret without whsec_ prefix", func(t *testing.T) {
		bare, err := NewStandardVerifier([]string{strings.TrimPrefix(testSecretOld, "whsec_")}, clock)
		require.NoError(t, err)
		require.NoError(t, bare.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow, body), body))
	})
	t.Run("tampered body", func(t *testing.T) {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		tampered := []byte(strings.Replace(string(body), "evt_1", "evt_2", 1))
		require.ErrorIs(t, v.Verify(r, tampered), ErrNoValidSignature)
	})
	t.Run("tampered id", func(t *testing.T) {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		r.Header.Set("webhook-id", "msg_2")
		require.ErrorIs(t, v.Verify(r, body), ErrNoValidSignature)
	})
	t.Run("tampered timestamp", func(t *testing.T) {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		r.Header.Set("webhook-timestamp", strconv.FormatInt(verifyNow.Unix()+1, 10))
		require.ErrorIs(t, v.Verify(r, body), ErrNoValidSignature)
	})
	t.Run("wrong secret", func(t *testing.T) {
		require.ErrorIs(t, v.Verify(signedRequest(t, testSecretNew, "msg_1", verifyNow, body), body), ErrNoValidSignature)
	})
	t.Run("within tolerance", func(t *testing.T) {
		for _, d := range []time.Duration{-5 * time.Minute, -4 * time.Minute, 4 * time.Minute, 5 * time.Minute} {
			require.NoError(t, v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(d), body), body), d)
		}
	})
	t.Run("stale timestamp", func(t *testing.T) {
		err := v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(-5*time.Minute-time.Second), body), body)
		require.ErrorIs(t, err, ErrTimestampOutOfTolerance)
		require.ErrorContains(t, err, "old")
	})
	t.Run("future timestamp", func(t *testing.T) {
		err := v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(5*time.Minute+time.Second), body), body)
		require.ErrorIs(t, err, ErrTimestampOutOfTolerance)
		require.ErrorContains(t, err, "future")
	})
	t.Run("custom tolerance", func(t *testing.T) {
		strict, err := NewStandardVerifier([]string{testSecretOld}, clock, WithTolerance(10*time.Second))
		require.NoError(t, err)
		require.ErrorIs(t, strict.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(-time.Minute), body), body), ErrTimestampOutOfTolerance)
		require.NoError(t, strict.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow.Add(-9*time.Second), body), body))
	})
	t.Run("malformed timestamp", func(t *testing.T) {
		for _, ts := range []string{"abc", "1.5", "-1", "1736510400000000000000"} {
			r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
			r.Header.Set("webhook-timestamp", ts)
			require.ErrorIs(t, v.Verify(r, body), ErrInvalidTimestamp, ts)
		}
	})
	t.Run("missing headers", func(t *testing.T) {
		for _, h := range []string{"webhook-id", "webhook-timestamp", "webhook-signature"} {
			r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
			r.Header.Del(h)
			require.ErrorIs(t, v.Verify(r, body), ErrMissingSignatureHeaders, h)
		}
		require.ErrorIs(t, v.Verify(httptest.NewRequest(http.MethodPost, "/", nil), body), ErrMissingSignatureHeaders)
		require.ErrorIs(t, v.Verify(nil, body), ErrMissingSignatureHeaders)
	})
	t.Run("garbage signatures", func(t *testing.T) {
		for _, sig := range []string{"v1", "v1,", "v1,!!!", "v2," + base64.StdEncoding.EncodeToString(make([]byte, 32)), "v1," + base64.StdEncoding.EncodeToString(make([]byte, 32)), "   "} {
			r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
			r.Header.Set("webhook-signature", sig)
			require.Error(t, v.Verify(r, body), sig)
		}
	})
	t.Run("nil or zero verifier rejects", func(t *testing.T) {
		r := signedRequest(t, testSecretOld, "msg_1", verifyNow, body)
		var nilV *StandardVerifier
		require.Error(t, nilV.Verify(r, body))
		require.Error(t, (&StandardVerifier{}).Verify(r, body))
	})
}

func TestVerify_Rotation(t *testing.T) {
	body := []byte(`{"event":"payment.received"}`)
	v, err := NewStandardVerifier([]string{testSecretOld, testSecretNew}, WithClock(func() time.Time { return verifyNow }))
	require.NoError(t, err)

	// Either secret alone is accepted.
	require.NoError(t, v.Verify(signedRequest(t, testSecretOld, "msg_1", verifyNow, body), body))
	require.NoError(t, v.Verify(signedRequest(t, testSecretNew, "msg_1", verifyNow, body), body))

	// A header listing several signatures is accepted if any one matches,
	// whatever its position.
	oldHdr, err := SignStandard(testSecretOld, "msg_1", verifyNow, body)
	require.NoError(t, err)
	newHdr, err := SignStandard(testSecretNew, "msg_1", verifyNow, body)
	require.NoError(t, err)
	other, err := SignStandard("whsec_"+base64.StdEncoding.EncodeToString([]byte("unrelated")), "msg_1", verifyNow, body)
	require.NoError(t, err)

	onlyNew, err := NewStandardVerifier([]string{testSecretNew}, WithClock(func() time.Time { return verifyNow }))
	require.NoError(t, err)
	for _, sigs := range []string{
		other.Get("webhook-signature") + " " + newHdr.Get("webhook-signature"),
		newHdr.Get("webhook-signature") + " " + other.Get("webhook-signature"),
		"v1a,abcdef " + oldHdr.Get("webhook-signature") + "  " + newHdr.Get("webhook-signature"),
	} {
		r := signedRequest(t, testSecretNew, "msg_1", verifyNow, body)
		r.Header.Set("webhook-signature", sigs)
		require.NoError(t, v.Verify(r, body), sigs)
		require.NoError(t, onlyNew.Verify(r, body), sigs)
	}

	// None matching: rejected.
	r := signedRequest(t, testSecretNew, "msg_1", verifyNow, body)
	r.Header.Set("webhook-signature", other.Get("webhook-signature")+" "+other.Get("webhook-signature"))
	require.ErrorIs(t, v.Verify(r, body), ErrNoValidSignature)
}

func TestVerify_BadSecrets(t *testing.T) {
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
			v, err := NewStandardVerifier(secrets)
			require.Error(t, err)
			require.Nil(t, v)
			for _, s := range secrets {
				if len(s) > 8 && s != testSecretOld {
					require.NotContains(t, err.Error(), s, "error must not echo the secret")
				}
			}
		})
	}
	_, err := SignStandard("", "msg_1", verifyNow, nil)
	require.Error(t, err)
	_, err = SignStandard(testSecretOld, "", verifyNow, nil)
	require.Error(t, err)
}

func TestVerify_UnpaddedSecret(t *testing.T) {
	raw := []byte("seventeen bytes!!") // 17 bytes: padded base64 ends in "="
	padded := base64.StdEncoding.EncodeToString(raw)
	require.True(t, strings.HasSuffix(padded, "="))
	unpadded := strings.TrimRight(padded, "=")
	v, err := NewStandardVerifier([]string{unpadded}, WithClock(func() time.Time { return verifyNow }))
	require.NoError(t, err)
	body := []byte("{}")
	require.NoError(t, v.Verify(signedRequest(t, "whsec_"+padded, "msg_1", verifyNow, body), body))
}

func TestVerify_SignatureIsHMAC(t *testing.T) {
	body := []byte(`{"a":1}`)
	hdr, err := SignStandard(testSecretOld, "msg_x", verifyNow, body)
	require.NoError(t, err)
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(testSecretOld, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("msg_x." + strconv.FormatInt(verifyNow.Unix(), 10) + "." + string(body)))
	require.Equal(t, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)), hdr.Get("webhook-signature"))
	require.Equal(t, "msg_x", hdr.Get("webhook-id"))
	require.Equal(t, "1736510400", hdr.Get("webhook-timestamp"))
}

func TestVerify_WithHandler(t *testing.T) {
	v, err := NewStandardVerifier([]string{testSecretOld}, WithClock(func() time.Time { return verifyNow }))
	require.NoError(t, err)
	h := NewHandler(WithVerifier(v.Verify), WithLogger(nil))
	called := 0
	On(h, func(_ context.Context, _ *Event, _ *CallCompleted) error { called++; return nil })
	body := []byte(eventJSON("call.completed", "evt_v1", `{"call_id":"c1"}`))

	w := httptest.NewRecorder()
	h.ServeHTTP(w, signedRequest(t, testSecretOld, "msg_1", verifyNow, body))
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, 1, called)

	w = httptest.NewRecorder()
	h.ServeHTTP(w, signedRequest(t, testSecretNew, "msg_2", verifyNow, body))
	require.Equal(t, http.StatusUnauthorized, w.Code)
	require.NotContains(t, w.Body.String(), "secret")
	require.Equal(t, 1, called)
}
