// Command replica is a runnable example of one replica of a KrosAI webhook
// receiver whose replicas share a PostgreSQL inbox: run as many as you like
// behind a load balancer, on the same database. Each delivery is claimed in
// the shared inbox with a lease, so a retry that reaches another replica
// never runs the callbacks again, and a replica that dies mid-callback is
// taken over once its lease expires.
//
// Usage:
//
//	DATABASE_URL=postgres://... KROSAI_WEBHOOK_SECRET=whsec_... \
//	  go run ./replica [-addr 127.0.0.1:8080] [-lease 1m] [-retention 168h]
//
// It migrates the database at start-up (pgstore.Migrate, safe from several
// replicas at once), serves POST /webhooks, removes expired done rows
// hourly, and stops gracefully on SIGINT or SIGTERM.
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

	"github.com/krosgen/krosgen/adapters/pgstore"
	"github.com/krosgen/krosgen/gen/krosai"
)

type config struct {
	Addr, DatabaseURL, Secret string
	Lease, Retention          time.Duration
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	flag.DurationVar(&cfg.Lease, "lease", krosai.DefaultLease, "how long a delivery holds its event id")
	flag.DurationVar(&cfg.Retention, "retention", pgstore.DefaultRetention, "how long handled event ids are remembered")
	flag.Parse()
	cfg.DatabaseURL, cfg.Secret = os.Getenv("DATABASE_URL"), os.Getenv("KROSAI_WEBHOOK_SECRET")
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err == nil {
		err = run(ctx, ln, cfg, logger)
	}
	if err != nil {
		logger.Error("replica", "error", err)
		os.Exit(1)
	}
}

// run serves on ln until ctx ends.
func run(ctx context.Context, ln net.Listener, cfg config, logger *slog.Logger) error {
	if cfg.DatabaseURL == "" {
		return fmt.Errorf("set DATABASE_URL")
	}
	pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := pgstore.Migrate(ctx, pool); err != nil {
		return err
	}
	store := pgstore.New(pool, pgstore.WithRetention(cfg.Retention))
	h, err := newHandler(cfg, store, pool, logger)
	if err != nil {
		return err
	}
	go cleanup(ctx, store, logger)
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

// newHandler returns the handler: signatures checked when a secret is set,
// deduplication in the shared inbox, invalid deliveries quarantined there
// for replay, and a callback that records each call in a table.
func newHandler(cfg config, store *pgstore.Store, pool *pgxpool.Pool, logger *slog.Logger) (*krosai.Handler, error) {
	opts := []krosai.HandlerOption{
		krosai.WithLogger(logger),
		krosai.WithDeduplicator(store),
		krosai.WithLease(cfg.Lease),
		krosai.WithOnInvalid(krosai.QuarantineInvalid(pgstore.QuarantineFunc[krosai.Delivery](store))),
	}
	if secrets := strings.Fields(cfg.Secret); len(secrets) > 0 {
		v, err := krosai.NewStandardVerifier(secrets)
		if err != nil {
			return nil, err
		}
		opts = append(opts, krosai.WithVerifier(v.Verify))
	} else {
		logger.Warn("no webhook secret: signatures are not checked; set KROSAI_WEBHOOK_SECRET")
	}
	h := krosai.NewHandler(opts...)
	if err := createExampleTable(context.Background(), pool); err != nil {
		return nil, err
	}
	krosai.On(h, func(ctx context.Context, ev *krosai.Event, c *krosai.CallCompleted) error {
		_, err := pool.Exec(ctx, `INSERT INTO example_calls VALUES ($1, $2, $3)`, string(c.CallID), int64(c.CostCents), ev.ID)
		logger.InfoContext(ctx, "call completed", "event_id", ev.ID, "call_id", c.CallID)
		return err
	})
	return h, nil
}

// cleanup removes expired done rows hourly.
func cleanup(ctx context.Context, store *pgstore.Store, logger *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := store.Cleanup(ctx); err != nil {
				logger.Error("inbox cleanup", "error", err)
			} else {
				logger.Info("inbox cleanup", "deleted", n)
			}
		}
	}
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
