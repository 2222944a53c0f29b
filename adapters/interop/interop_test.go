// Package interop checks that the generated verifier and SignStandard
// agree with the official Standard Webhooks Go library, both ways,
// including rotated secrets. It lives in the adapters module so that the
// main module does not require the library.
package interop

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/krosgen/krosgen/gen/krosai"
)

// secret returns a fresh "whsec_" secret of n random bytes.
func secret(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

func official(t *testing.T, secret string) *standardwebhooks.Webhook {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	return wh
}

// officialHeaders signs body with each webhook, as a sender rotating its
// secret sends one signature per secret in one header.
func officialHeaders(t *testing.T, id string, ts time.Time, body []byte, whs ...*standardwebhooks.Webhook) http.Header {
	t.Helper()
	var sigs []string
	for _, wh := range whs {
		sig, err := wh.Sign(id, ts, body)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, sig)
	}
	h := http.Header{}
	h.Set(standardwebhooks.HeaderWebhookID, id)
	h.Set(standardwebhooks.HeaderWebhookTimestamp, fmt.Sprint(ts.Unix()))
	h.Set(standardwebhooks.HeaderWebhookSignature, strings.Join(sigs, " "))
	return h
}

func verify(t *testing.T, secrets []string, hdr http.Header, body []byte) error {
	t.Helper()
	v, err := krosai.NewStandardVerifier(secrets)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/webhooks", nil)
	r.Header = hdr
	return v.Verify(r, body)
}

// bodies are payloads with the bytes that trip up signers: unicode,
// escapes, an empty body, binary.
var bodies = [][]byte{
	[]byte(`{"event":"call.completed","id":"evt_1","data":{"note":"Grüße, 世界 \u2028 \"q\""}}`),
	[]byte(``),
	{0, 1, 2, 0xff, '.', '\n'},
}

func TestOfficialSignsKrosaiVerifies(t *testing.T) {
	now := time.Now()
	for _, n := range []int{16, 24, 32, 64} {
		a, b := secret(t, n), secret(t, n)
		for _, body := range bodies {
			hdr := officialHeaders(t, "msg_1", now, body, official(t, a))
			if err := verify(t, []string{a}, hdr, body); err != nil {
				t.Errorf("%d-byte secret: %v", n, err)
			}
			if err := verify(t, []string{b, a}, hdr, body); err != nil {
				t.Errorf("%d-byte secret, verifier holding the new and the old secret: %v", n, err)
			}
			if err := verify(t, []string{b}, hdr, body); !errors.Is(err, krosai.ErrNoValidSignature) {
				t.Errorf("%d-byte secret, other secret: %v, want ErrNoValidSignature", n, err)
			}
			// A sender rotating its secret signs with both.
			both := officialHeaders(t, "msg_1", now, body, official(t, a), official(t, b))
			for _, secrets := range [][]string{{a}, {b}, {b, a}} {
				if err := verify(t, secrets, both, body); err != nil {
					t.Errorf("%d-byte secrets, rotated header, verifier %d secrets: %v", n, len(secrets), err)
				}
			}
			tampered := append([]byte("x"), body...)
			if err := verify(t, []string{a}, hdr, tampered); err == nil {
				t.Error("a tampered body verified")
			}
		}
	}
}

func TestKrosaiSignsOfficialVerifies(t *testing.T) {
	now := time.Now()
	for _, n := range []int{16, 32, 64} {
		a, b := secret(t, n), secret(t, n)
		for _, body := range bodies {
			hdr, err := krosai.SignStandard(a, "msg_2", now, body)
			if err != nil {
				t.Fatal(err)
			}
			if err := official(t, a).Verify(body, hdr); err != nil {
				t.Errorf("%d-byte secret: official Verify: %v", n, err)
			}
			if err := official(t, b).Verify(body, hdr); err == nil {
				t.Errorf("%d-byte secret: the official library verified with another secret", n)
			}
			// Rotation: signatures by the old and the new secret, in one
			// header as a rotating sender sends them; the official library
			// verifies with either.
			other, err := krosai.SignStandard(b, "msg_2", now, body)
			if err != nil {
				t.Fatal(err)
			}
			rotated := hdr.Clone()
			rotated.Set(krosai.HeaderWebhookSignature, hdr.Get(krosai.HeaderWebhookSignature)+" "+other.Get(krosai.HeaderWebhookSignature))
			for _, s := range []string{a, b} {
				if err := official(t, s).Verify(body, rotated); err != nil {
					t.Errorf("%d-byte secret: official Verify of a rotated header: %v", n, err)
				}
			}
		}
	}
}

func TestOfficialAndKrosaiAgreeOnTheHeaders(t *testing.T) {
	if krosai.HeaderWebhookID != strings.ToLower(standardwebhooks.HeaderWebhookID) ||
		krosai.HeaderWebhookTimestamp != strings.ToLower(standardwebhooks.HeaderWebhookTimestamp) ||
		krosai.HeaderWebhookSignature != strings.ToLower(standardwebhooks.HeaderWebhookSignature) {
		t.Errorf("header names differ: %s %s %s vs %s %s %s", krosai.HeaderWebhookID, krosai.HeaderWebhookTimestamp, krosai.HeaderWebhookSignature,
			standardwebhooks.HeaderWebhookID, standardwebhooks.HeaderWebhookTimestamp, standardwebhooks.HeaderWebhookSignature)
	}
	// The same secret, id, time and body give the same signature.
	a := secret(t, 32)
	ts := time.Unix(1736510400, 0)
	body := bodies[0]
	mine, err := krosai.SignStandard(a, "msg_3", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := official(t, a).Sign("msg_3", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	if got := mine.Get(krosai.HeaderWebhookSignature); got != theirs {
		t.Errorf("signatures differ: %s vs %s", got, theirs)
	}
}
