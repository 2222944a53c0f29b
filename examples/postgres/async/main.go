// Command async is a runnable example of a KrosAI webhook receiver that
// answers fast and processes from a durable queue: front replicas verify
// and validate each delivery, store it in the PostgreSQL inbox together
// with a River job in one transaction, and answer 202 Accepted; River
// workers (the same binary with -role worker, as many as you like) run the
// callbacks through Handler.Process, retrying failures with River's
// backoff and discarding permanent ones. Senders never wait for a slow
// callback, so they never time out and retry in a storm.
//
// Usage:
//
//	DATABASE_URL=postgres://... KROSAI_WEBHOOK_SECRET=whsec_... \
//	  go run ./async [-role both|front|worker] [-addr 127.0.0.1:8080] [-workers 100]
//
// It migrates the database at start-up (riverinbox.Migrate: River's tables
// and the inbox), and stops gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/krosgen/krosgen/adapters/pgstore"
	"github.com/krosgen/krosgen/adapters/riverinbox"
	"github.com/krosgen/krosgen/gen/krosai"
)

type config struct {
	Role, Addr, DatabaseURL, Secret string
	Workers                         int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Role, "role", "both", "front (HTTP, enqueue), worker (River, callbacks) or both")
	flag.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on, for the front")
	flag.IntVar(&cfg.Workers, "workers", 100, "concurrent jobs, for the worker")
	flag.Parse()
	cfg.DatabaseURL, cfg.Secret = os.Getenv("DATABASE_URL"), os.Getenv("KROSAI_WEBHOOK_SECRET")
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var ln net.Listener
	var err error
	if cfg.Role != "worker" {
		ln, err = net.Listen("tcp", cfg.Addr)
	}
	if err == nil {
		err = run(ctx, ln, cfg, logger)
	}
	if err != nil {
		logger.Error("async", "error", err)
		os.Exit(1)
	}
}

// run serves until ctx ends.
func run(ctx context.Context, ln net.Listener, cfg config, logger *slog.Logger) error {
	front, worker := cfg.Role != "worker", cfg.Role != "front"
	if !front && !worker {
		return fmt.Errorf("-role %q: want front, worker or both", cfg.Role)
	}
	if cfg.DatabaseURL == "" {
		return fmt.Errorf("set DATABASE_URL")
	}
	pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := riverinbox.Migrate(ctx, pool); err != nil {
		return err
	}
	store := pgstore.New(pool)
	verify, err := verifier(cfg.Secret, logger)
	if err != nil {
		return err
	}

	riverCfg := &river.Config{Logger: logger}
	if worker {
		h := krosai.NewHandler(krosai.WithVerifier(verify), krosai.WithDeduplicator(store), krosai.WithLogger(logger),
			krosai.WithLease(time.Minute)) // River's JobTimeout is a minute too
		if err := callbacks(h, pool, logger); err != nil {
			return err
		}
		workers := river.NewWorkers()
		river.AddWorker(workers, riverinbox.NewWorker(h.Process))
		riverCfg.Workers = workers
		riverCfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
	}
	client, err := river.NewClient(riverpgxv5.New(pool), riverCfg)
	if err != nil {
		return err
	}
	if worker {
		if err := client.Start(ctx); err != nil {
			return err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			_ = client.Stop(stopCtx)
		}()
	}
	if !front {
		logger.Info("working", "workers", cfg.Workers)
		<-ctx.Done()
		return nil
	}
	return serve(ctx, ln, client, store, verify, logger)
}

// serve runs the front: verify, validate, enqueue, 202.
func serve(ctx context.Context, ln net.Listener, client *river.Client[pgx.Tx], store *pgstore.Store, verify func(*http.Request, []byte) error, logger *slog.Logger) error {
	h := krosai.NewHandler(krosai.WithVerifier(verify), krosai.WithLogger(logger),
		krosai.WithEnqueuer(riverinbox.NewEnqueuer[krosai.Delivery](client, store, nil)),
		krosai.WithOnInvalid(krosai.QuarantineInvalid(pgstore.QuarantineFunc[krosai.Delivery](store))))
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	logger.Info("listening", "url", "http://"+ln.Addr().String()+"/webhooks")
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// verifier checks Standard Webhooks signatures when a secret is set.
func verifier(secret string, logger *slog.Logger) (func(*http.Request, []byte) error, error) {
	secrets := strings.Fields(secret)
	if len(secrets) == 0 {
		logger.Warn("no webhook secret: signatures are not checked; set KROSAI_WEBHOOK_SECRET")
		return nil, nil
	}
	v, err := krosai.NewStandardVerifier(secrets)
	if err != nil {
		return nil, err
	}
	return v.Verify, nil
}

// callbacks registers a slow business callback: it records each completed
// call in a table.
func callbacks(h *krosai.Handler, pool *pgxpool.Pool, logger *slog.Logger) error {
	if err := createExampleTable(context.Background(), pool); err != nil {
		return err
	}
	krosai.On(h, func(ctx context.Context, ev *krosai.Event, c *krosai.CallCompleted) error {
		_, err := pool.Exec(ctx, `INSERT INTO example_calls VALUES ($1, $2, $3)`, string(c.CallID), int64(c.CostCents), ev.ID)
		logger.InfoContext(ctx, "call completed", "event_id", ev.ID, "call_id", c.CallID)
		return err
	})
	return nil
}

// createExampleTable creates the table the callback writes to. Replicas
// start at once, and two concurrent CREATE TABLE IF NOT EXISTS can still
// collide in the catalogue, so the creation holds an advisory lock.
func createExampleTable(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('example_calls'))`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS example_calls (call_id text, cost_cents bigint, event_id text)`)
		return err
	})
}
