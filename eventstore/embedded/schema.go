package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/eventstore"
)

// migration is one versioned step of the schema. Steps are append-only:
// a released step is never edited, a change is a new step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations is the schema history. events is the log: position is the
// rowid (so a scan of the log in order is a scan of the table's own
// B-tree), id and (stream, version) are unique. streams holds each
// stream's head, read by the expected-version check and the hash chain
// without touching the log.
var migrations = []migration{{
	version: 1,
	name:    "create events and streams",
	sql: `
CREATE TABLE events (
	position       INTEGER PRIMARY KEY,
	stream         TEXT    NOT NULL,
	version        INTEGER NOT NULL,
	id             BLOB    NOT NULL UNIQUE,
	type           TEXT    NOT NULL,
	schema_version INTEGER NOT NULL,
	data           BLOB    NOT NULL,
	occurred_at    INTEGER NOT NULL,
	recorded_at    INTEGER NOT NULL,
	actor          TEXT    NOT NULL,
	command_id     BLOB,
	correlation_id BLOB,
	causation_id   BLOB,
	hash           BLOB    NOT NULL,
	UNIQUE (stream, version)
);
CREATE TABLE streams (
	stream  TEXT    PRIMARY KEY,
	version INTEGER NOT NULL,
	hash    BLOB    NOT NULL
) WITHOUT ROWID;`,
}}

// migrationsTable records applied steps. Its name keeps clear of the
// read-model tables that share the file.
const migrationsTable = `CREATE TABLE IF NOT EXISTS eventstore_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	applied_at INTEGER NOT NULL
)`

// migrateRetrying runs migrate until it does not find the file busy, for
// up to timeout. The first connection to a new file turns it to WAL mode,
// which takes an exclusive lock; when two openers race for that, SQLite
// fails one with SQLITE_BUSY at once instead of waiting for busy_timeout.
// Once the file is in WAL mode (it stays so), this cannot happen.
func migrateRetrying(ctx context.Context, db *sql.DB, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := migrate(ctx, db)
		if !errors.Is(err, eventstore.ErrUnavailable) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// migrate brings the schema up to date inside one immediate transaction:
// a second process opening the same file waits for the lock and then finds
// nothing left to do, so running it twice, or twice at once, is safe.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate schema: begin: %w", translate(ctx, err))
	}
	defer tx.Rollback() // a no-op after Commit
	applied, err := appliedVersion(ctx, tx)
	if err != nil {
		return fmt.Errorf("migrate schema: %w", err)
	}
	if applied > len(migrations) {
		return fmt.Errorf("migrate schema: file is at version %d, newer than this build's %d", applied, len(migrations))
	}
	for _, m := range migrations[applied:] {
		if err := apply(ctx, tx, m); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate schema: commit: %w", translate(ctx, err))
	}
	return nil
}

func appliedVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	if _, err := tx.ExecContext(ctx, migrationsTable); err != nil {
		return 0, translate(ctx, err)
	}
	var v int
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM eventstore_migrations`).Scan(&v)
	return v, translate(ctx, err)
}

func apply(ctx context.Context, tx *sql.Tx, m migration) error {
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate schema to %d (%s): %w", m.version, m.name, translate(ctx, err))
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO eventstore_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("record migration %d: %w", m.version, translate(ctx, err))
	}
	return nil
}
