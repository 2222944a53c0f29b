// Command receiver is a runnable example of a KrosAI webhook receiver built
// on package krosai. It serves POST /webhooks, logs every event with
// log/slog, and logs call.completed, call.failed and payment.received
// events with their typed fields.
//
// Usage:
//
//	go run ./examples/receiver [-addr 127.0.0.1:8080] [-secret whsec_...]
//
// With a secret (from -secret or, better, since command lines are visible to
// other local users, the KROSAI_WEBHOOK_SECRET environment variable), every
// request must carry a valid Standard Webhooks signature; several secrets
// separated by spaces are all accepted, for secret rotation. Without one,
// signatures are not checked. SIGINT or SIGTERM shut the server down
// gracefully, letting deliveries in progress finish.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

// secretEnv is the environment variable read when -secret is not given.
const secretEnv = "KROSAI_WEBHOOK_SECRET"

// shutdownTimeout bounds how long a graceful shutdown waits for deliveries
// in progress.
const shutdownTimeout = 10 * time.Second

// config is what the command line sets.
type config struct {
	// Addr is the TCP address to listen on.
	Addr string
	// Secret holds the Standard Webhooks signing secrets, separated by
	// white space; empty disables signature verification.
	Secret string
}

// parseConfig reads the flags in args, taking the secret from getenv when
// -secret is not given.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&cfg.Secret, "secret", "", "Standard Webhooks signing secret(s), \"whsec_...\", separated by spaces (default $"+secretEnv+"; none: signatures are not checked)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if cfg.Secret == "" {
		cfg.Secret = getenv(secretEnv)
	}
	return cfg, nil
}

// newHandler returns the webhook handler with the example's callbacks.
func newHandler(cfg config, logger *slog.Logger) (*krosai.Handler, error) {
	opts := []krosai.HandlerOption{krosai.WithLogger(logger)}
	if secrets := strings.Fields(cfg.Secret); len(secrets) > 0 {
		v, err := krosai.NewStandardVerifier(secrets)
		if err != nil {
			return nil, err
		}
		opts = append(opts, krosai.WithVerifier(v.Verify))
	} else {
		logger.Warn("no webhook secret: signatures are not checked; set " + secretEnv + " or -secret")
	}
	h := krosai.NewHandler(opts...)

	// Every event, whatever its type, including types added to KrosAI after
	// this package was generated.
	if err := h.OnPattern("*", func(ctx context.Context, ev *krosai.Event) error {
		logger.InfoContext(ctx, "event received", "type", ev.Type, "id", ev.ID, "timestamp", ev.Timestamp)
		return nil
	}); err != nil {
		return nil, err
	}

	krosai.On(h, func(ctx context.Context, ev *krosai.Event, c *krosai.CallCompleted) error {
		attrs := []any{
			"event_id", ev.ID,
			"call_id", c.CallID,
			"direction", c.Direction,
			"duration", time.Duration(c.Duration) * time.Second,
			"cost_cents", c.CostCents,
			"hangup_cause", c.HangupCause,
		}
		if c.RecordingURL != nil {
			attrs = append(attrs, "recording_url", *c.RecordingURL)
		}
		logger.InfoContext(ctx, "call completed", attrs...)
		return nil
	})
	krosai.On(h, func(ctx context.Context, ev *krosai.Event, c *krosai.CallFailed) error {
		logger.WarnContext(ctx, "call failed", "event_id", ev.ID, "call_id", c.CallID,
			"error_code", c.ErrorCode, "error_message", c.ErrorMessage)
		return nil
	})
	krosai.On(h, func(ctx context.Context, ev *krosai.Event, p *krosai.PaymentReceived) error {
		logger.InfoContext(ctx, "payment received", "event_id", ev.ID, "amount_cents", p.AmountCents,
			"payment_method", p.PaymentMethod, "new_balance_cents", p.NewBalanceCents)
		return nil
	})
	return h, nil
}

// newServer returns the HTTP server: the webhook handler at /webhooks.
func newServer(cfg config, logger *slog.Logger) (*http.Server, error) {
	h, err := newHandler(cfg, logger)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks", h)
	return &http.Server{
		Addr:              cfg.Addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}, nil
}

// run serves on ln until ctx is done, then shuts the server down
// gracefully. It returns nil after a clean shutdown.
func run(ctx context.Context, ln net.Listener, cfg config, logger *slog.Logger) error {
	srv, err := newServer(cfg, logger)
	if err != nil {
		ln.Close()
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("listening", "url", "http://"+ln.Addr().String()+"/webhooks")

	select {
	case err := <-errc:
		return err // Serve failed; it never returns nil
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		logger.Error("bad command line", "error", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		logger.Error("listen", "error", err)
		os.Exit(1)
	}
	if err := run(ctx, ln, cfg, logger); err != nil {
		logger.Error("server failed", "error", err)
		os.Exit(1)
	}
}
