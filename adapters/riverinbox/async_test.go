package riverinbox_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/krosgen/krosgen/adapters/internal/loadtest"
	"github.com/krosgen/krosgen/adapters/pgstore"
	"github.com/krosgen/krosgen/adapters/pgtest"
	"github.com/krosgen/krosgen/adapters/riverinbox"
	"github.com/krosgen/krosgen/gen/krosai"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The generated package's interfaces are satisfied structurally.
var _ krosai.Enqueuer = (*riverinbox.Enqueuer[krosai.Delivery])(nil)

// fastRetry retries failed jobs after 100 ms, so the tests need not wait
// for River's default backoff (attempts⁴ seconds).
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(100 * time.Millisecond)
}

// deployment is a database with the inbox, River's tables and the
// business table.
type deployment struct {
	db    *pgxpool.Pool
	store *pgstore.Store
}

func newDeployment(t *testing.T) deployment {
	t.Helper()
	db := pgtest.Pool(t, 60)
	ctx := context.Background()
	if err := riverinbox.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `CREATE TABLE business_events (event_id text NOT NULL, callback text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return deployment{db: db, store: pgstore.New(db)}
}

// callbacks registers the business callbacks: each sleeps for work, then
// records its run, unless the context marks the worker as killed.
func callbacks(t testing.TB, h *krosai.Handler, db *pgxpool.Pool, work time.Duration, zombie func(ctx context.Context, id string) bool) {
	record := func(ctx context.Context, id, callback string) error {
		if zombie != nil && zombie(ctx, id) {
			return nil
		}
		time.Sleep(work)
		_, err := db.Exec(ctx, `INSERT INTO business_events VALUES ($1, $2)`, id, callback)
		return err
	}
	if err := h.OnPattern("*", func(ctx context.Context, ev *krosai.Event) error { return record(ctx, string(ev.ID), "*") }); err != nil {
		t.Fatal(err)
	}
	krosai.On(h, func(ctx context.Context, ev *krosai.Event, _ *krosai.CallCompleted) error {
		return record(ctx, string(ev.ID), "typed")
	})
}

// workerClient starts a River client that works the deliveries with a
// handler of its own.
func workerClient(t testing.TB, d deployment, maxWorkers int, cfg river.Config, dedup func(*pgstore.Store) krosai.Deduplicator, setup func(h *krosai.Handler)) *river.Client[pgx.Tx] {
	t.Helper()
	v, err := krosai.NewStandardVerifier([]string{loadtest.Secret})
	if err != nil {
		t.Fatal(err)
	}
	db := d.pool(t, maxWorkers/4+8)
	var store krosai.Deduplicator = pgstore.New(db)
	if dedup != nil {
		store = dedup(pgstore.New(db))
	}
	h := krosai.NewHandler(krosai.WithVerifier(v.Verify), krosai.WithDeduplicator(store), krosai.WithLogger(nil), krosai.WithLease(3*time.Second))
	setup(h)
	workers := river.NewWorkers()
	river.AddWorker(workers, riverinbox.NewWorker(h.Process))
	cfg.Workers = workers
	cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: maxWorkers}}
	cfg.RetryPolicy = fastRetry{}
	cfg.Logger = slog.New(slog.DiscardHandler)
	cfg.FetchCooldown = 20 * time.Millisecond
	cfg.FetchPollInterval = 100 * time.Millisecond
	c, err := river.NewClient(riverpgxv5.New(db), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

// pool returns a pool of its own on d's database, as a separate process
// would have.
func (d deployment) pool(t testing.TB, maxConns int) *pgxpool.Pool {
	cfg := d.db.Config()
	cfg.MaxConns = int32(maxConns)
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// frontServers starts n receivers that only enqueue, each with a pool of
// its own.
func frontServers(t testing.TB, d deployment, n int) []string {
	t.Helper()
	v, err := krosai.NewStandardVerifier([]string{loadtest.Secret})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for range n {
		db := d.pool(t, 16)
		client, err := river.NewClient(riverpgxv5.New(db), &river.Config{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		h := krosai.NewHandler(krosai.WithVerifier(v.Verify), krosai.WithLogger(nil),
			krosai.WithEnqueuer(riverinbox.NewEnqueuer[krosai.Delivery](client, pgstore.New(db), nil)))
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	return urls
}

// waitProcessed waits until every event of sends is done in the inbox.
func waitProcessed(t testing.TB, d deployment, events int, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		st, err := d.store.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.Done == int64(events) {
			return time.Since(start)
		}
		if time.Since(start) > within {
			t.Fatalf("after %v: inbox %+v, want %d done", within, st, events)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// wantExactlyOnce checks every callback of every event ran exactly once.
func wantExactlyOnce(t testing.TB, db *pgxpool.Pool, sends []loadtest.Send) {
	t.Helper()
	want := map[string]bool{}
	for _, s := range sends {
		want[s.EventID+"/*"] = true
		if s.Type == krosai.EventCallCompleted {
			want[s.EventID+"/typed"] = true
		}
	}
	var rows, distinct, expected int
	if err := db.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT (event_id, callback)) FROM business_events`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	expected = len(want)
	if rows != distinct || distinct != expected {
		t.Fatalf("%d callback runs of %d distinct (event, callback) pairs; want each of %d exactly once", rows, distinct, expected)
	}
	r, err := db.Query(context.Background(), `SELECT event_id || '/' || callback FROM business_events`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var k string
		if err := r.Scan(&k); err != nil {
			t.Fatal(err)
		}
		if !want[k] {
			t.Fatalf("unexpected callback run %s", k)
		}
	}
}

func TestAsync_RiverAnswersFastAndProcessesOnce(t *testing.T) {
	total, workers := 20000, 32
	if testing.Short() {
		total = 2000
	}
	const work = 100 * time.Millisecond
	d := newDeployment(t)
	ctx := context.Background()
	sends := loadtest.Plan(t, total, 0.25, 3, 21)
	events := total - int(float64(total)*0.25)

	// The in-memory, synchronous baseline with the same callbacks, on a
	// tenth of the deliveries (its rate is bounded by the sleeping
	// callbacks, not by their number).
	v, err := krosai.NewStandardVerifier([]string{loadtest.Secret})
	if err != nil {
		t.Fatal(err)
	}
	mem := krosai.NewHandler(krosai.WithVerifier(v.Verify), krosai.WithLogger(nil))
	callbacks(t, mem, d.db, work, nil)
	memSrv := httptest.NewServer(mem)
	defer memSrv.Close()
	baseline := loadtest.Plan(t, total/10, 0.25, 1, 22)
	memRes := loadtest.Sender{URLs: []string{memSrv.URL}, Workers: workers, Timeout: 10 * time.Second, Backoff: 5 * time.Millisecond, Retries: 200}.Run(ctx, baseline)
	if len(memRes.Failures) > 0 {
		t.Fatalf("in-memory baseline: %q", memRes.Failures[:1])
	}
	wantExactlyOnce(t, d.db, baseline)
	if _, err := d.db.Exec(ctx, `TRUNCATE business_events`); err != nil {
		t.Fatal(err)
	}

	// Three front replicas that enqueue, two River worker processes. The
	// workers' pool is sized to process at about the rate KrosAI sends, not
	// to drain the backlog as fast as the machine allows: answering and
	// processing share the test machine's cores, and a pool that saturates
	// them would measure CPU queueing in the answer times instead of the
	// enqueue path. (In production they run on other machines.)
	const poolSize = 25
	for range 2 {
		c := workerClient(t, d, poolSize, river.Config{}, nil, func(h *krosai.Handler) { callbacks(t, h, d.db, work, nil) })
		defer func() { _ = c.Stop(context.Background()) }()
	}
	sender := loadtest.Sender{URLs: frontServers(t, d, 3), Workers: workers, Timeout: 10 * time.Second, Backoff: 5 * time.Millisecond, Retries: 200}
	start := time.Now()
	res := sender.Run(ctx, sends)
	if len(res.Failures) > 0 {
		t.Fatalf("%d sends never acknowledged: %q", len(res.Failures), res.Failures[:1])
	}
	for code, n := range res.Codes {
		if code != http.StatusAccepted {
			t.Errorf("%d answers with status %d, want every one 202", n, code)
		}
	}
	drain := waitProcessed(t, d, events, 3*time.Minute)
	processed := time.Since(start)
	wantExactlyOnce(t, d.db, sends)
	var jobs int
	for wait := time.Now(); ; time.Sleep(50 * time.Millisecond) { // River marks jobs completed in batches
		if err := d.db.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'completed'`).Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		if jobs >= events || time.Since(wait) > 10*time.Second {
			break
		}
	}
	if jobs != events {
		t.Errorf("%d completed jobs, want one per event (%d): duplicates must not be enqueued", jobs, events)
	}
	p50, p99 := res.Quantile(0.5), res.Quantile(0.99)
	t.Logf("async: %d deliveries (%d events, %d duplicates), callbacks sleep %v, %d senders, 3 front replicas, 2 River workers × %d",
		total, events, total-events, work, workers, poolSize)
	t.Logf("answers: p50 %v, p99 %v, %.0f deliveries/s (%.1f× the in-memory synchronous %.0f/s, whose p50 is %v, p99 %v)",
		p50, p99, res.Throughput(total), res.Throughput(total)/memRes.Throughput(len(baseline)), memRes.Throughput(len(baseline)), memRes.Quantile(0.5), memRes.Quantile(0.99))
	t.Logf("processing: every event done %v after the first send (%v after the last answer): %.0f events/s",
		processed.Round(time.Millisecond), drain.Round(time.Millisecond), float64(events)/processed.Seconds())
	if p99 > 50*time.Millisecond {
		t.Errorf("p99 answer time %v, want at most 50ms", p99)
	}
}

// fencedStore counts the commits the store refused because the lease was
// lost.
type fencedStore struct {
	*pgstore.Store
	refused *atomic.Int64
}

func (f fencedStore) Commit(ctx context.Context, id string, token int64) error {
	err := f.Store.Commit(ctx, id, token)
	if errors.Is(err, pgstore.ErrLeaseLost) {
		f.refused.Add(1)
	}
	return err
}

func TestCrash_RiverWorkerKilledMidJob(t *testing.T) {
	total := 1000
	if testing.Short() {
		total = 400
	}
	d := newDeployment(t)
	ctx := context.Background()
	sends := loadtest.Plan(t, total, 0, 1, 31)
	zombies := map[string]bool{}
	for i, s := range sends {
		if i%20 == 0 {
			zombies[s.EventID] = true
		}
	}
	// The first attempt of 5% of the jobs blocks forever inside its first
	// callback, ignoring its context (River cancels it after JobTimeout),
	// as a worker killed mid-job would never return. River's rescuer finds
	// the job stuck and retries it; the retry takes the event over once
	// the lease has expired. When the killed attempt is finally let go, it
	// writes nothing (its side effects died with it) and its commit is
	// refused.
	var attempts, killed sync.Map // event ids attempted; callback contexts of killed attempts
	unblock := make(chan struct{})
	var blocked sync.WaitGroup
	zombie := func(ctx context.Context, id string) bool {
		if !zombies[id] {
			return false
		}
		if _, dead := killed.Load(ctx); dead {
			return true // the killed attempt's later callbacks
		}
		if _, again := attempts.LoadOrStore(id, true); again {
			return false
		}
		killed.Store(ctx, true)
		blocked.Done()
		<-unblock
		return true
	}
	blocked.Add(len(zombies))
	var refused atomic.Int64
	cfg := river.Config{JobTimeout: 4 * time.Second, RescueStuckJobsAfter: 5 * time.Second}
	for range 2 {
		c := workerClient(t, d, 100, cfg,
			func(s *pgstore.Store) krosai.Deduplicator { return fencedStore{Store: s, refused: &refused} },
			func(h *krosai.Handler) { callbacks(t, h, d.db, 0, zombie) })
		defer func() { _ = c.Stop(context.Background()) }()
	}
	start := time.Now()
	sender := loadtest.Sender{URLs: frontServers(t, d, 1), Workers: 32, Timeout: 10 * time.Second, Backoff: 5 * time.Millisecond, Retries: 50}
	res := sender.Run(ctx, sends)
	if len(res.Failures) > 0 {
		t.Fatalf("%q", res.Failures[:1])
	}
	blocked.Wait()
	waitProcessed(t, d, total, 3*time.Minute)
	elapsed := time.Since(start)
	close(unblock)
	deadline := time.Now().Add(30 * time.Second)
	for refused.Load() < int64(len(zombies)) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	wantExactlyOnce(t, d.db, sends)
	st, err := d.store.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rescued int
	if err := d.db.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE attempt > 1`).Scan(&rescued); err != nil {
		t.Fatal(err)
	}
	if st.TakeOvers != int64(len(zombies)) || refused.Load() != int64(len(zombies)) || rescued < len(zombies) {
		t.Errorf("%d take-overs, %d late commits refused, %d jobs retried; want %d of each", st.TakeOvers, refused.Load(), rescued, len(zombies))
	}
	t.Logf("river crash: %d events, %d jobs killed mid-job; %d jobs retried by River, %d take-overs, %d stale commits refused; all done in %v",
		total, len(zombies), rescued, st.TakeOvers, refused.Load(), elapsed.Round(time.Millisecond))
}
