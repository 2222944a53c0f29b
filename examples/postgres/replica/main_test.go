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

const body = `{"event":"call.completed","id":"evt_ex1","timestamp":"2025-01-10T12:03:05Z","data":{"call_id":"call_abc123","direction":"inbound","from_number":"+14155551234","to_number":"+14155555678","duration":180,"cost_cents":12,"hangup_cause":"normal_clearing"}}`

// TestReplica_TwoReplicasOneDatabase runs two replicas of the example on
// one database: a delivery and its redelivery to the other replica run the
// callback once.
func TestReplica_TwoReplicasOneDatabase(t *testing.T) {
	pool := pgtest.Pool(t, 4)
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("example-secret-0123456789"))
	cfg := config{DatabaseURL: pgtest.URL(pool), Secret: secret, Lease: time.Minute, Retention: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	var urls []string
	done := make(chan error, 2)
	for range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, "http://"+ln.Addr().String()+"/webhooks")
		go func() {
			done <- run(ctx, ln, cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
		}()
	}
	defer func() {
		cancel()
		for range 2 {
			if err := <-done; err != nil {
				t.Error(err)
			}
		}
	}()
	post := func(url, body string) int {
		hdr, err := krosai.SignStandard(secret, "evt_ex1", time.Now(), []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		for range 100 { // the replica may still be starting
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
			req.Header = hdr
			resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
			if err == nil {
				resp.Body.Close()
				return resp.StatusCode
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("replica not answering")
		return 0
	}
	if code := post(urls[0], body); code != http.StatusOK {
		t.Fatalf("first delivery: %d", code)
	}
	if code := post(urls[1], body); code != http.StatusOK {
		t.Fatalf("redelivery to the other replica: %d", code)
	}
	if code := post(urls[1], `{"event":"call.completed","id":"evt_ex1"}`); code != http.StatusAccepted {
		t.Fatalf("invalid delivery: %d, want 202 (quarantined)", code)
	}
	var calls, kept int
	if err := pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM example_calls), (SELECT count(*) FROM krosgen_quarantine)`).Scan(&calls, &kept); err != nil {
		t.Fatal(err)
	}
	if calls != 1 || kept != 1 {
		t.Errorf("%d calls recorded, %d deliveries quarantined; want 1 and 1", calls, kept)
	}
}
