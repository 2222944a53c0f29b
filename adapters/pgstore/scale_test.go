package pgstore_test

// The replica and crash tests: several receivers, each its own
// http.Server on loopback and its own connection pool, share one
// PostgreSQL inbox; a sender posts signed deliveries to them concurrently
// and retries as KrosAI does.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/krosgen/krosgen/adapters/internal/loadtest"
	"github.com/krosgen/krosgen/adapters/pgstore"
	"github.com/krosgen/krosgen/gen/krosai"
)

// business is the table the callbacks write to: one row per callback run.
const business = `CREATE TABLE business_events (event_id text NOT NULL, callback text NOT NULL, replica int NOT NULL)`

// receiver returns a handler whose callbacks record each run in the
// business table: "*" for every event, "typed" again for call.completed.
func receiver(t testing.TB, db *pgxpool.Pool, replica int, opts ...krosai.HandlerOption) *krosai.Handler {
	v, err := krosai.NewStandardVerifier([]string{loadtest.Secret})
	if err != nil {
		t.Fatal(err)
	}
	h := krosai.NewHandler(append([]krosai.HandlerOption{krosai.WithVerifier(v.Verify), krosai.WithLogger(nil)}, opts...)...)
	record := func(ctx context.Context, id, callback string) error {
		if dead, ok := ctx.Value(zombieKey{}).(chan struct{}); ok {
			<-dead     // the replica is dead: nothing more happens until the test lets go
			return nil // and its side effects were lost with it
		}
		_, err := db.Exec(ctx, `INSERT INTO business_events VALUES ($1, $2, $3)`, id, callback, replica)
		return err
	}
	if err := h.OnPattern("*", func(ctx context.Context, ev *krosai.Event) error { return record(ctx, string(ev.ID), "*") }); err != nil {
		t.Fatal(err)
	}
	krosai.On(h, func(ctx context.Context, ev *krosai.Event, _ *krosai.CallCompleted) error {
		return record(ctx, string(ev.ID), "typed")
	})
	return h
}

// serve starts one loopback server per handler.
func serve(t testing.TB, hs ...http.Handler) []string {
	var urls []string
	for _, h := range hs {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	return urls
}

// wantExactlyOnce checks that every event of sends had each of its
// callbacks run exactly once, and clears the business table.
func wantExactlyOnce(t testing.TB, db *pgxpool.Pool, sends []loadtest.Send) {
	t.Helper()
	ctx := context.Background()
	want := map[string]bool{}
	for _, s := range sends {
		want[s.EventID+"/*"] = true
		if s.Type == krosai.EventCallCompleted {
			want[s.EventID+"/typed"] = true
		}
	}
	rows, err := db.Query(ctx, `SELECT event_id || '/' || callback, count(*) FROM business_events GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			t.Fatal(err)
		}
		got[key] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var twice, lost, extra []string
	for k, n := range got {
		if n > 1 {
			twice = append(twice, fmt.Sprintf("%s ×%d", k, n))
		}
		if !want[k] {
			extra = append(extra, k)
		}
	}
	for k := range want {
		if got[k] == 0 {
			lost = append(lost, k)
		}
	}
	if len(twice)+len(lost)+len(extra) > 0 {
		t.Fatalf("callbacks not exactly once: %d ran twice %.5q, %d never ran %.5q, %d unexpected %.5q",
			len(twice), twice, len(lost), lost, len(extra), extra)
	}
	if _, err := db.Exec(ctx, `TRUNCATE business_events`); err != nil {
		t.Fatal(err)
	}
}

// wantDelivered checks the sender's answers: every send got a 2xx in the
// end, and no answer was outside allowed.
func wantDelivered(t testing.TB, name string, res loadtest.Result, allowed ...int) {
	t.Helper()
	if len(res.Failures) > 0 {
		t.Fatalf("%s: %d sends never acknowledged, e.g. %q", name, len(res.Failures), res.Failures[:min(3, len(res.Failures))])
	}
	for code, n := range res.Codes {
		ok := false
		for _, a := range allowed {
			ok = ok || code == a
		}
		if !ok {
			t.Errorf("%s: %d answers with status %d; allowed %v", name, n, code, allowed)
		}
	}
}

// pools returns n more pools on the database of db: one per replica.
func pools(t testing.TB, db *pgxpool.Pool, n, maxConns int) []*pgxpool.Pool {
	var out []*pgxpool.Pool
	for range n {
		cfg := db.Config()
		cfg.MaxConns = int32(maxConns)
		p, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		out = append(out, p)
	}
	return out
}

func loadSize() (total, workers int) {
	if testing.Short() {
		return 2000, 32
	}
	return 20000, 32
}

func TestReplica_SharedPostgresRunsEveryEventOnce(t *testing.T) {
	total, workers := loadSize()
	store := newStore(t, 40)
	db := store.Pool()
	ctx := context.Background()
	if _, err := db.Exec(ctx, business); err != nil {
		t.Fatal(err)
	}
	const replicas = 3
	sends := loadtest.Plan(t, total, 0.25, replicas, 12)
	sender := loadtest.Sender{Workers: workers, Timeout: 10 * time.Second, Backoff: 5 * time.Millisecond, Retries: 200}

	// One process with the in-memory store: the baseline, with the same
	// callbacks writing to the same database.
	sender.URLs = serve(t, receiver(t, db, 0))
	for i := range sends {
		sends[i].Replica = 0
	}
	mem := sender.Run(ctx, sends)
	wantDelivered(t, "in-memory", mem, http.StatusOK, http.StatusConflict)
	wantExactlyOnce(t, db, sends)

	// Three replicas sharing the PostgreSQL store; each duplicate goes to
	// another replica than its original.
	sends = loadtest.Plan(t, total, 0.25, replicas, 12)
	var hs []http.Handler
	for i, p := range pools(t, db, replicas, 12) {
		hs = append(hs, receiver(t, p, i, krosai.WithDeduplicator(pgstore.New(p))))
	}
	sender.URLs = serve(t, hs...)
	rep := sender.Run(ctx, sends)
	wantDelivered(t, "replicas", rep, http.StatusOK, http.StatusConflict)
	wantExactlyOnce(t, db, sends)
	st, err := store.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events := total - int(float64(total)*0.25)
	if st.Done != int64(events) || st.Claimed != 0 || st.Pending != 0 {
		t.Errorf("inbox %+v, want %d done and nothing else", st, events)
	}

	// Forged and invalid deliveries are refused on every replica and run
	// nothing.
	forged := loadtest.Plan(t, 60, 0, replicas, 99)
	for i, s := range forged {
		req, _ := http.NewRequest(http.MethodPost, sender.URLs[i%replicas], strings.NewReader(string(s.Body)))
		want := http.StatusUnauthorized
		if i%2 == 0 {
			hdr, _ := krosai.SignStandard(loadtest.Secret, s.EventID, time.Now(), []byte(`{"event":"call.completed"}`))
			req, _ = http.NewRequest(http.MethodPost, sender.URLs[i%replicas], strings.NewReader(`{"event":"call.completed"}`))
			req.Header = hdr
			want = http.StatusBadRequest
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("forged or invalid delivery %d: status %d, want %d", i, resp.StatusCode, want)
		}
	}
	wantExactlyOnce(t, db, nil)

	dups := 0
	for _, s := range sends {
		if s.Duplicate {
			dups++
		}
	}
	t.Logf("deliveries %d (%d events of %d types, %d duplicates to another replica), %d senders",
		total, events, len(krosai.EventTypes())+len(loadtest.UnknownTypes), dups, workers)
	t.Logf("in-memory, 1 process:        %6.0f deliveries/s, p50 %v, p99 %v, answers %v", mem.Throughput(total), mem.Quantile(0.5), mem.Quantile(0.99), mem.Codes)
	t.Logf("PostgreSQL, %d replicas:      %6.0f deliveries/s (%.2f× in-memory), p50 %v, p99 %v, answers %v",
		replicas, rep.Throughput(total), rep.Throughput(total)/mem.Throughput(total), rep.Quantile(0.5), rep.Quantile(0.99), rep.Codes)
}

// zombieKey marks the context of a delivery whose replica dies in its
// first callback.
type zombieKey struct{}

// fencedStore counts the commits the store refused because the lease was
// lost.
type fencedStore struct {
	*pgstore.Store
	refused atomic.Int64
}

func (f *fencedStore) Commit(ctx context.Context, id string, token int64) error {
	err := f.Store.Commit(ctx, id, token)
	if errors.Is(err, pgstore.ErrLeaseLost) {
		f.refused.Add(1)
	}
	return err
}

func TestCrash_DeadReplicaIsTakenOverAndItsLateCommitRefused(t *testing.T) {
	total, workers := 4000, 32
	if testing.Short() {
		total = 800
	}
	store := newStore(t, 40)
	db := store.Pool()
	ctx := context.Background()
	if _, err := db.Exec(ctx, business); err != nil {
		t.Fatal(err)
	}
	const replicas, lease = 3, 3 * time.Second
	sends := loadtest.Plan(t, total, 0, replicas, 7)
	// 5% of the events: the first attempt's callback blocks forever, as on
	// a replica that died mid-callback. Its context is cancelled (the
	// sender times out, the lease ends) and it never finishes; only once
	// every event is done is it let go, to try the commit a paused,
	// not dead, process would make.
	zombie := map[string]bool{}
	for i, s := range sends {
		if i%20 == 0 {
			zombie[s.EventID] = true
		}
	}
	var started sync.Map
	unblock := make(chan struct{})
	var returned sync.WaitGroup
	var fenced []*fencedStore
	var hs []http.Handler
	for i, p := range pools(t, db, replicas, 12) {
		fs := &fencedStore{Store: pgstore.New(p)}
		fenced = append(fenced, fs)
		h := receiver(t, p, i, krosai.WithDeduplicator(fs), krosai.WithLease(lease))
		hs = append(hs, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if zombie[r.Header.Get(krosai.HeaderWebhookID)] {
				if _, again := started.LoadOrStore(r.Header.Get(krosai.HeaderWebhookID), true); !again {
					returned.Add(1)
					defer returned.Done()
					r = r.WithContext(context.WithValue(r.Context(), zombieKey{}, unblock))
				}
			}
			h.ServeHTTP(w, r)
		}))
	}
	sender := loadtest.Sender{URLs: serve(t, hs...), Workers: workers, Timeout: time.Second, Backoff: 100 * time.Millisecond, Retries: 100}
	start := time.Now()
	res := sender.Run(ctx, sends)
	wantDelivered(t, "crash", res, http.StatusOK, http.StatusConflict, 0)
	elapsed := time.Since(start)

	close(unblock)
	returned.Wait()
	var refused int64
	for _, fs := range fenced {
		refused += fs.refused.Load()
	}
	wantExactlyOnce(t, db, sends)
	st, err := store.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Done != int64(total) || st.TakeOvers != int64(len(zombie)) {
		t.Errorf("inbox %+v, want %d done and %d take-overs", st, total, len(zombie))
	}
	if refused != int64(len(zombie)) {
		t.Errorf("%d late commits refused, want one per dead holder (%d)", refused, len(zombie))
	}
	t.Logf("crash: %d events, %d blocked forever on the first attempt (lease %v); %d take-overs, %d stale commits refused; %d requests %v in %v",
		total, len(zombie), lease, st.TakeOvers, refused, res.Requests, res.Codes, elapsed.Round(time.Millisecond))
}
