package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are applied in order, each once; never edit one that has
// shipped, append another.
var migrations = []string{
	// 1: the inbox, one row per event id.
	`CREATE SEQUENCE krosgen_inbox_token;
	CREATE TABLE krosgen_inbox (
		event_id    text PRIMARY KEY,
		state       text NOT NULL CHECK (state IN ('pending', 'claimed', 'done')),
		token       bigint NOT NULL DEFAULT nextval('krosgen_inbox_token'),
		lease_until timestamptz,
		done_at     timestamptz,
		claims      integer NOT NULL DEFAULT 0,
		takeovers   integer NOT NULL DEFAULT 0,
		received_at timestamptz,
		header      jsonb,
		body        bytea
	);
	CREATE INDEX krosgen_inbox_done_at ON krosgen_inbox (done_at) WHERE state = 'done';
	CREATE TABLE krosgen_quarantine (
		id          bigserial PRIMARY KEY,
		event_id    text,
		received_at timestamptz NOT NULL,
		header      jsonb NOT NULL,
		body        bytea NOT NULL,
		reason      text NOT NULL,
		kept_at     timestamptz NOT NULL DEFAULT now()
	);`,
}

// migrationLock is the advisory lock that serialises Migrate across
// replicas starting at once.
const migrationLock = 0x6b726f73_67656e01

// Migrate creates or upgrades the store's tables (krosgen_inbox,
// krosgen_quarantine) in the pool's database, in one transaction. Call it
// when deploying, or once at start-up; it is safe to call from several
// replicas at once, and does nothing when the schema is current. Nothing
// is migrated on import or by New.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return MigrateTx(ctx, tx) })
}

// MigrateTx is Migrate on a transaction of the caller's, for migrating
// the store with other schemas (River's, say) all at once.
func MigrateTx(ctx context.Context, tx pgx.Tx) error {
	{
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS krosgen_migrations (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM krosgen_migrations`).Scan(&current); err != nil {
			return err
		}
		if current > len(migrations) {
			return fmt.Errorf("pgstore: the database is at migration %d, newer than this code (%d)", current, len(migrations))
		}
		for v := current + 1; v <= len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v-1]); err != nil {
				return fmt.Errorf("pgstore: migration %d: %w", v, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO krosgen_migrations (version) VALUES ($1)`, v); err != nil {
				return err
			}
		}
		return nil
	}
}
