package main

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/krosgen/krosgen/adapters/pgtest"
	"github.com/krosgen/krosgen/gen/krosai"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const body = `{"event":"call.completed","id":"evt_ex2","timestamp":"2025-01-10T12:03:05Z","data":{"call_id":"call_abc123","direction":"inbound","from_number":"+14155551234","to_number":"+14155555678","duration":180,"cost_cents":12,"hangup_cause":"normal_clearing"}}`

// TestAsync_FrontAndWorker runs the example as a front and as a worker on
// one database: the delivery is answered 202 and processed once.
func TestAsync_FrontAndWorker(t *testing.T) {
	pool := pgtest.Pool(t, 4)
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("example-secret-0123456789"))
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/webhooks"
	base := config{DatabaseURL: pgtest.URL(pool), Secret: secret, Workers: 10}
	front, worker := base, base
	front.Role, worker.Role = "front", "worker"
	go func() { done <- run(ctx, ln, front, logger) }()
	go func() { done <- run(ctx, nil, worker, logger) }()
	defer func() {
		cancel()
		for range 2 {
			if err := <-done; err != nil {
				t.Error(err)
			}
		}
	}()
	hdr, err := krosai.SignStandard(secret, "evt_ex2", time.Now(), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // the same delivery twice
		code := 0
		for range 100 {
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
			req.Header = hdr
			select {
			case err := <-done:
				t.Fatalf("the example stopped: %v", err)
			default:
			}
			resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
			if err == nil {
				resp.Body.Close()
				code = resp.StatusCode
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if code != http.StatusAccepted {
			t.Fatalf("delivery %d: %d, want 202", i, code)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var calls int
		// The table appears once the worker has started.
		err := pool.QueryRow(context.Background(), `SELECT count(*) FROM example_calls`).Scan(&calls)
		if err == nil && calls == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s: %d calls recorded (%v), want 1", calls, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	var calls int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM example_calls`).Scan(&calls); err != nil || calls != 1 {
		t.Errorf("%d calls recorded (%v), want exactly 1", calls, err)
	}
}
