package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// documentedExample returns the first example of a schema in
// ../../schema/events, as `jq '.examples[0]'` prints it.
func documentedExample(t *testing.T, eventType string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "schema", "events", eventType+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(b, &s); err != nil || len(s.Examples) == 0 {
		t.Fatalf("%s: no examples (%v)", eventType, err)
	}
	return s.Examples[0]
}

// startServer runs the receiver on a free loopback port until the test
// ends, and returns its webhook URL and its log.
func startServer(t *testing.T, cfg config) (url string, logs *syncBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs = new(syncBuffer)
	logger := slog.New(slog.NewTextHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, ln, cfg, logger) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(shutdownTimeout + 5*time.Second):
			t.Error("run did not return after cancel")
		}
	})
	return "http://" + ln.Addr().String() + "/webhooks", logs
}

type response struct {
	code int
	body struct {
		Status   string           `json:"status"`
		Error    string           `json:"error"`
		Problems []krosai.Problem `json:"problems"`
	}
	raw string
}

func send(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{code: resp.StatusCode, raw: string(b)}
	if err := json.Unmarshal(b, &r.body); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, b)
	}
	return r
}

func postJSON(t *testing.T, url string, body []byte, header http.Header) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	return send(t, req)
}

func wantLog(t *testing.T, logs *syncBuffer, parts ...string) {
	t.Helper()
	for _, line := range strings.Split(logs.String(), "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return
		}
	}
	t.Errorf("no log line with %q in:\n%s", parts, logs.String())
}

func TestReceiver(t *testing.T) {
	url, logs := startServer(t, config{})

	// A documented example is handled and logged with its typed fields.
	r := postJSON(t, url, documentedExample(t, "call.completed"), nil)
	if r.code != http.StatusOK || r.body.Status != "handled" {
		t.Fatalf("call.completed: %d %s", r.code, r.raw)
	}
	wantLog(t, logs, "level=WARN", `msg="no webhook secret`)
	wantLog(t, logs, "level=INFO", `msg="event received"`, "type=call.completed", "id=evt_004")
	wantLog(t, logs, "level=INFO", `msg="call completed"`, "event_id=evt_004", "call_id=call_abc123", "duration=3m0s", "cost_cents=12", "hangup_cause=normal_clearing")

	// A redelivery is acknowledged without running the callbacks again.
	r = postJSON(t, url, documentedExample(t, "call.completed"), nil)
	if r.code != http.StatusOK || r.body.Status != "duplicate" {
		t.Fatalf("redelivery: %d %s", r.code, r.raw)
	}
	if n := strings.Count(logs.String(), `msg="call completed"`); n != 1 {
		t.Errorf("call completed logged %d times", n)
	}

	r = postJSON(t, url, documentedExample(t, "call.failed"), nil)
	if r.code != http.StatusOK {
		t.Fatalf("call.failed: %d %s", r.code, r.raw)
	}
	wantLog(t, logs, "level=WARN", `msg="call failed"`, "event_id=evt_005", "error_code=NETWORK_ERROR", `error_message="Failed to establish connection"`)

	r = postJSON(t, url, documentedExample(t, "payment.received"), nil)
	if r.code != http.StatusOK {
		t.Fatalf("payment.received: %d %s", r.code, r.raw)
	}
	wantLog(t, logs, `msg="payment received"`, "event_id=evt_051", "amount_cents=10000", "payment_method=card", "new_balance_cents=10500")

	// Other types reach only the "*" callback.
	r = postJSON(t, url, documentedExample(t, "recording.ready"), nil)
	if r.code != http.StatusOK || r.body.Status != "handled" {
		t.Fatalf("recording.ready: %d %s", r.code, r.raw)
	}
	wantLog(t, logs, `msg="event received"`, "type=recording.ready", "id=evt_030")

	// An invalid payload is refused with its problems.
	invalid := bytes.Replace(documentedExample(t, "call.completed"), []byte(`"+14155551234"`), []byte(`"14155551234"`), 1)
	r = postJSON(t, url, invalid, nil)
	if r.code != http.StatusBadRequest || len(r.body.Problems) != 1 || r.body.Problems[0].Pointer != "/data/from_number" {
		t.Fatalf("invalid payload: %d %s", r.code, r.raw)
	}
	wantLog(t, logs, "level=WARN", `msg="webhook payload rejected"`)
	r = postJSON(t, url, []byte(`{"event":`), nil)
	if r.code != http.StatusBadRequest || r.body.Error != "malformed JSON" {
		t.Fatalf("malformed JSON: %d %s", r.code, r.raw)
	}

	// Only POST.
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if r := send(t, req); r.code != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d %s", r.code, r.raw)
	}
}

func TestReceiver_Secret(t *testing.T) {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	retired := "whsec_" + strings.Repeat("QUJD", 8)
	url, logs := startServer(t, config{Secret: retired + " " + secret})
	body := documentedExample(t, "payment.received")

	if r := postJSON(t, url, body, nil); r.code != http.StatusUnauthorized {
		t.Fatalf("unsigned: %d %s", r.code, r.raw)
	}
	if strings.Contains(logs.String(), "no webhook secret") {
		t.Error("warned about a missing secret")
	}
	wantLog(t, logs, "level=WARN", `msg="webhook verification failed"`)
	wrong, err := krosai.SignStandard("whsec_"+strings.Repeat("eHl6", 8), "msg_1", time.Now(), body)
	if err != nil {
		t.Fatal(err)
	}
	if r := postJSON(t, url, body, wrong); r.code != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d %s", r.code, r.raw)
	}
	if strings.Contains(logs.String(), `msg="payment received"`) {
		t.Fatal("an unverified event reached a callback")
	}
	for _, s := range []string{secret, retired} {
		hdr, err := krosai.SignStandard(s, "evt_051", time.Now(), body)
		if err != nil {
			t.Fatal(err)
		}
		if r := postJSON(t, url, body, hdr); r.code != http.StatusOK {
			t.Fatalf("signed: %d %s", r.code, r.raw)
		}
	}
	wantLog(t, logs, `msg="payment received"`, "event_id=evt_051")
}

func TestReceiver_BadSecret(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), ln, config{Secret: "whsec_not-base64!"}, slog.New(slog.DiscardHandler))
	if err == nil || strings.Contains(err.Error(), "not-base64") {
		t.Fatalf("run with a bad secret: %v", err)
	}
	// The listener was closed.
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Error("listener still open")
	}
}

func TestReceiver_GracefulShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvLogs := new(syncBuffer)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, ln, config{}, slog.New(slog.NewTextHandler(srvLogs, nil))) }()
	url := "http://" + ln.Addr().String() + "/webhooks"
	if r := postJSON(t, url, documentedExample(t, "call.ringing"), nil); r.code != http.StatusOK {
		t.Fatalf("%d %s", r.code, r.raw)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(shutdownTimeout):
		t.Fatal("run did not return")
	}
	wantLog(t, srvLogs, `msg="shutting down"`)
	wantLog(t, srvLogs, `msg=stopped`)
	if _, err := http.Post(url, "application/json", bytes.NewReader(documentedExample(t, "call.ringing"))); err == nil {
		t.Fatal("server still answers after shutdown")
	}
}

func TestParseConfig(t *testing.T) {
	env := map[string]string{secretEnv: "whsec_from_env"}
	getenv := func(k string) string { return env[k] }
	for _, tc := range []struct {
		args []string
		want config
	}{
		{nil, config{Addr: "127.0.0.1:8080", Secret: "whsec_from_env"}},
		{[]string{"-addr", "127.0.0.1:18080"}, config{Addr: "127.0.0.1:18080", Secret: "whsec_from_env"}},
		{[]string{"-secret", "whsec_flag"}, config{Addr: "127.0.0.1:8080", Secret: "whsec_flag"}},
	} {
		got, err := parseConfig(tc.args, getenv, io.Discard)
		if err != nil || got != tc.want {
			t.Errorf("parseConfig(%q) = %+v, %v; want %+v", tc.args, got, err, tc.want)
		}
	}
	if got, _ := parseConfig(nil, func(string) string { return "" }, io.Discard); got.Secret != "" {
		t.Errorf("secret %q without flag or environment", got.Secret)
	}
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		if _, err := parseConfig(args, getenv, io.Discard); err == nil {
			t.Errorf("parseConfig(%q) succeeded", args)
		}
	}
	if _, err := parseConfig([]string{"-h"}, getenv, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}
