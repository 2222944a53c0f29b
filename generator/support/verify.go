//go:build krosgen_template

package support

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names of the Standard Webhooks signature scheme
// (https://www.standardwebhooks.com).
const (
	// HeaderWebhookID carries the unique message id.
	HeaderWebhookID = "webhook-id"
	// HeaderWebhookTimestamp carries the send time in Unix seconds.
	HeaderWebhookTimestamp = "webhook-timestamp"
	// HeaderWebhookSignature carries space-separated "v1,<base64>" signatures.
	HeaderWebhookSignature = "webhook-signature"
)

// DefaultTolerance is how far a webhook-timestamp may lie in the past or
// the future before StandardVerifier rejects the request.
const DefaultTolerance = 5 * time.Minute

// Errors returned by StandardVerifier.Verify, possibly wrapped; test for
// them with errors.Is.
var (
	// ErrMissingSignatureHeaders means a Standard Webhooks header is absent or empty.
	ErrMissingSignatureHeaders = errors.New("missing webhook-id, webhook-timestamp or webhook-signature header")
	// ErrInvalidTimestamp means webhook-timestamp is not a whole number of Unix seconds.
	ErrInvalidTimestamp = errors.New("webhook-timestamp is not a Unix time in seconds")
	// ErrTimestampOutOfTolerance means webhook-timestamp is too old or too far in the future.
	ErrTimestampOutOfTolerance = errors.New("webhook-timestamp outside the tolerance window")
	// ErrNoValidSignature means no "v1" signature in webhook-signature matches any secret.
	ErrNoValidSignature = errors.New("no matching webhook signature")
)

// StandardVerifier checks the Standard Webhooks signature of a request:
// an HMAC-SHA256, keyed with a shared secret, of
// webhook-id + "." + webhook-timestamp + "." + body, sent base64-encoded as
// "v1,<signature>" in the webhook-signature header. For secret rotation it
// accepts several secrets, and any one of the space-separated signatures in
// the header may match any one of them. Comparison is constant-time.
//
// Pass its Verify method to WithVerifier. A StandardVerifier is immutable
// and safe for concurrent use.
//
// Printing a verifier (with any fmt verb) shows how many secrets it holds
// and its tolerance, never key bytes.
type StandardVerifier struct {
	keys      func() [][]byte // a func, because fmt prints a func as an address, even inside another struct, never what it holds
	tolerance time.Duration
	now       func() time.Time
}

// MinSecretBytes is the shortest secret, once decoded, NewStandardVerifier
// and SignStandard accept: an HMAC-SHA256 key shorter than 128 bits is
// guessable.
const MinSecretBytes = 16

// Format prints a summary without key material, for every verb.
func (v StandardVerifier) Format(f fmt.State, _ rune) {
	n := 0
	if v.keys != nil {
		n = len(v.keys())
	}
	fmt.Fprintf(f, "StandardVerifier{secrets: %d, tolerance: %s}", n, v.tolerance)
}

// VerifierOption configures a StandardVerifier.
type VerifierOption func(*StandardVerifier)

// WithClock makes the verifier read the current time from now instead of
// time.Now, for tests. A nil now restores time.Now.
func WithClock(now func() time.Time) VerifierOption {
	return func(v *StandardVerifier) {
		if now == nil {
			now = time.Now
		}
		v.now = now
	}
}

// WithTolerance sets how far webhook-timestamp may lie from the current
// time, in either direction. A d of zero or less restores DefaultTolerance.
func WithTolerance(d time.Duration) VerifierOption {
	return func(v *StandardVerifier) {
		if d <= 0 {
			d = DefaultTolerance
		}
		v.tolerance = d
	}
}

// NewStandardVerifier returns a verifier that accepts signatures made with
// any of secrets. Each secret is base64, with or without the "whsec_"
// prefix. It is an error to pass no secrets, or a secret that is empty or
// not valid base64, or shorter than MinSecretBytes once decoded: the
// verifier never degrades to accepting everything.
// Error messages identify a bad secret by position, never by content.
func NewStandardVerifier(secrets []string, opts ...VerifierOption) (*StandardVerifier, error) {
	if len(secrets) == 0 {
		return nil, errors.New("webhook verifier: no secrets given")
	}
	keys := make([][]byte, 0, len(secrets))
	for i, s := range secrets {
		key, err := decodeStandardSecret(s)
		if err != nil {
			return nil, errors.New("webhook verifier: secret " + strconv.Itoa(i) + ": " + err.Error())
		}
		keys = append(keys, key)
	}
	v := &StandardVerifier{keys: func() [][]byte { return keys }, tolerance: DefaultTolerance, now: time.Now}
	for _, opt := range opts {
		if opt != nil {
			opt(v)
		}
	}
	return v, nil
}

// decodeStandardSecret decodes a "whsec_"-prefixed or bare base64 secret.
func decodeStandardSecret(secret string) ([]byte, error) {
	s := strings.TrimSpace(secret)
	s = strings.TrimPrefix(s, "whsec_")
	if s == "" {
		return nil, errors.New("empty secret")
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, errors.New("secret is not valid base64")
	}
	if len(key) < MinSecretBytes {
		return nil, fmt.Errorf("secret is %d bytes long, shorter than %d", len(key), MinSecretBytes)
	}
	return key, nil
}

// standardSignature returns the HMAC-SHA256 of the Standard Webhooks
// signed content.
func standardSignature(key []byte, msgID, timestamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID))
	mac.Write([]byte{'.'})
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

// Verify checks the Standard Webhooks headers of r against body, the raw
// request body. It returns nil only if webhook-timestamp is within the
// tolerance of the time the delivery was received (ReceivedAt of the
// request's context, else the current time) and some "v1" signature in
// any webhook-signature header line is the HMAC of the signed content
// under one of the secrets. Its signature fits WithVerifier.
func (v *StandardVerifier) Verify(r *http.Request, body []byte) error {
	if v == nil || v.keys == nil || len(v.keys()) == 0 {
		return errors.New("webhook verifier: not configured with any secret")
	}
	if r == nil {
		return ErrMissingSignatureHeaders
	}
	msgID := r.Header.Get(HeaderWebhookID)
	tsText := r.Header.Get(HeaderWebhookTimestamp)
	sigs := r.Header.Values(HeaderWebhookSignature)
	if msgID == "" || tsText == "" || strings.TrimSpace(strings.Join(sigs, "")) == "" {
		return ErrMissingSignatureHeaders
	}
	secs, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || secs < 0 {
		return ErrInvalidTimestamp
	}
	ts := time.Unix(secs, 0)
	now, ok := ReceivedAt(r.Context())
	if !ok {
		now = v.now()
	}
	switch {
	case now.Sub(ts) > v.tolerance:
		return fmt.Errorf("%w: %s is more than %s old", ErrTimestampOutOfTolerance, tsText, v.tolerance)
	case ts.Sub(now) > v.tolerance:
		return fmt.Errorf("%w: %s is more than %s in the future", ErrTimestampOutOfTolerance, tsText, v.tolerance)
	}
	keys := v.keys()
	expected := make([][]byte, len(keys))
	for i, key := range keys {
		expected[i] = standardSignature(key, msgID, tsText, body)
	}
	for _, line := range sigs { // a proxy may split the header into several lines
		for _, entry := range strings.Fields(line) {
			version, encoded, ok := strings.Cut(entry, ",")
			if !ok || version != "v1" {
				continue // other schemes, such as "v1a", are not ours to check
			}
			got, err := base64.StdEncoding.DecodeString(encoded)
			if err != nil || len(got) != sha256.Size {
				continue
			}
			for _, want := range expected {
				if hmac.Equal(got, want) {
					return nil
				}
			}
		}
	}
	return ErrNoValidSignature
}

// SignStandard returns the Standard Webhooks headers (webhook-id,
// webhook-timestamp and webhook-signature) that sign body as message msgID
// sent at ts, with secret in the form NewStandardVerifier accepts. It is
// meant for tests of webhook receivers: copy the headers onto a request.
func SignStandard(secret, msgID string, ts time.Time, body []byte) (http.Header, error) {
	key, err := decodeStandardSecret(secret)
	if err != nil {
		return nil, errors.New("webhook signer: " + err.Error())
	}
	if msgID == "" {
		return nil, errors.New("webhook signer: empty message id")
	}
	tsText := strconv.FormatInt(ts.Unix(), 10)
	sig := standardSignature(key, msgID, tsText, body)
	h := make(http.Header)
	h.Set(HeaderWebhookID, msgID)
	h.Set(HeaderWebhookTimestamp, tsText)
	h.Set(HeaderWebhookSignature, "v1,"+base64.StdEncoding.EncodeToString(sig))
	return h, nil
}
