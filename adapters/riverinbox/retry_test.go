package riverinbox_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/krosgen/krosgen/adapters/internal/loadtest"
	"github.com/krosgen/krosgen/adapters/riverinbox"
	"github.com/krosgen/krosgen/gen/krosai"
)

func TestAsync_FailedCallbacksAreRetriedPermanentErrorsDiscarded(t *testing.T) {
	d := newDeployment(t)
	ctx := context.Background()
	sends := loadtest.Plan(t, 60, 0, 1, 41)
	failOnce := map[string]bool{}
	for i, s := range sends {
		if i%4 == 0 {
			failOnce[s.EventID] = true
		}
	}
	var mu sync.Mutex
	failed := map[string]bool{}
	c := workerClient(t, d, 20, river.Config{}, nil, func(h *krosai.Handler) {
		if err := h.OnPattern("*", func(ctx context.Context, ev *krosai.Event) error {
			mu.Lock()
			first := failOnce[string(ev.ID)] && !failed[string(ev.ID)]
			failed[string(ev.ID)] = true
			mu.Unlock()
			if first {
				return errors.New("downstream unavailable")
			}
			_, err := d.db.Exec(ctx, `INSERT INTO business_events VALUES ($1, '*')`, string(ev.ID))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	})
	defer func() { _ = c.Stop(context.Background()) }()
	res := loadtest.Sender{URLs: frontServers(t, d, 1), Workers: 8, Timeout: 10 * time.Second, Backoff: 5 * time.Millisecond, Retries: 20}.Run(ctx, sends)
	if len(res.Failures) > 0 {
		t.Fatal(res.Failures[0])
	}

	// A job whose delivery no longer verifies (its body was altered after
	// signing) fails permanently: River cancels it instead of retrying.
	client, err := river.NewClient(riverpgxv5.New(d.db), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	forged := sends[1]
	hdr, err := krosai.SignStandard(loadtest.Secret, "evt_forged", time.Now(), forged.Body)
	if err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), forged.Body...)
	tampered[len(tampered)-2] = ' '
	if err := riverinbox.NewEnqueuer[krosai.Delivery](client, d.store, nil).Enqueue(ctx, krosai.Delivery{ID: "evt_forged", Header: hdr, Body: tampered, ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}

	waitProcessed(t, d, len(sends), time.Minute)
	var business int
	if err := d.db.QueryRow(ctx, `SELECT count(DISTINCT event_id) FROM business_events`).Scan(&business); err != nil || business != len(sends) {
		t.Fatalf("%d events' callbacks succeeded (%v), want %d", business, err, len(sends))
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var retried, cancelledAttempts int
		var state string
		err := d.db.QueryRow(ctx, `
SELECT (SELECT count(*) FROM river_job WHERE attempt = 2 AND state = 'completed'),
       (SELECT state::text FROM river_job WHERE args->>'id' = 'evt_forged'),
       (SELECT attempt FROM river_job WHERE args->>'id' = 'evt_forged')`).Scan(&retried, &state, &cancelledAttempts)
		if err == nil && retried == len(failOnce) && state == "cancelled" && cancelledAttempts == 1 {
			t.Logf("%d jobs failed once and completed on their retry; the forged one was cancelled after 1 attempt", retried)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("retried and completed %d (want %d); forged job %s after %d attempts (want cancelled after 1); %v", retried, len(failOnce), state, cancelledAttempts, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
