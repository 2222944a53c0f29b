package pgstore_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/krosgen/krosgen/adapters/inboxtest"
	"github.com/krosgen/krosgen/adapters/pgstore"
	"github.com/krosgen/krosgen/adapters/pgtest"
	"github.com/krosgen/krosgen/gen/krosai"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The generated package's interfaces are satisfied structurally.
var (
	_ krosai.Deduplicator = (*pgstore.Store)(nil)
	_                     = krosai.QuarantineInvalid(pgstore.QuarantineFunc[krosai.Delivery](nil))
)

// newStore returns a store on a fresh, migrated database.
func newStore(t testing.TB, maxConns int, opts ...pgstore.Option) *pgstore.Store {
	t.Helper()
	pool := pgtest.Pool(t, maxConns)
	if err := pgstore.Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return pgstore.New(pool, opts...)
}

func TestStore_Conformance(t *testing.T) {
	inboxtest.Run(t, func(t *testing.T, retention time.Duration) inboxtest.Deduplicator {
		return newStore(t, 20, pgstore.WithRetention(retention))
	})
}

func TestStore_MigrateIsIdempotentAndConcurrent(t *testing.T) {
	pool := pgtest.Pool(t, 8)
	ctx := context.Background()
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- pgstore.Migrate(ctx, pool) }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := pgstore.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM krosgen_migrations`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d migrations recorded (%v), want 1", n, err)
	}
}

func TestStore_CleanupAndQuarantine(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, 4, pgstore.WithRetention(300*time.Millisecond))
	for _, id := range []string{"evt_1", "evt_2", "evt_3"} {
		tok, _, err := s.Claim(ctx, id, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if id != "evt_3" {
			if err := s.Commit(ctx, id, tok); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n, err := s.Cleanup(ctx); err != nil || n != 0 {
		t.Fatalf("cleanup within the retention deleted %d (%v)", n, err)
	}
	time.Sleep(400 * time.Millisecond)
	if n, err := s.Cleanup(ctx); err != nil || n != 2 {
		t.Fatalf("cleanup after the retention deleted %d (%v), want the 2 done rows", n, err)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Claimed != 1 || st.Done != 0 {
		t.Fatalf("stats %+v (%v): the claimed row must survive cleanup", st, err)
	}

	h := krosai.NewHandler(krosai.WithLogger(nil), krosai.WithDeduplicator(s),
		krosai.WithOnInvalid(krosai.QuarantineInvalid(pgstore.QuarantineFunc[krosai.Delivery](s))))
	if err := h.Process(ctx, krosai.Delivery{Header: http.Header{"X": {"y"}}, Body: []byte(`{"event":"call.completed"}`)}); err != nil {
		t.Fatal(err)
	}
	var body []byte
	var reason string
	if err := s.Pool().QueryRow(ctx, `SELECT body, reason FROM krosgen_quarantine`).Scan(&body, &reason); err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"event":"call.completed"}` || reason == "" {
		t.Errorf("kept %q because %q", body, reason)
	}
}
