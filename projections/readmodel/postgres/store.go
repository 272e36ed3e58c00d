package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ledgerline/ledgerline/eventstore/pgerr"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Store is the PostgreSQL read-model store. It is safe for concurrent use.
type Store struct {
	pool   *pgxpool.Pool
	schema string
	closer sync.Once
}

var _ readmodel.Store = (*Store)(nil)

const checkpointDDL = `CREATE TABLE IF NOT EXISTS projection_checkpoints (
	projection  TEXT PRIMARY KEY,
	position    BIGINT NOT NULL,
	recorded_at TIMESTAMPTZ
)`

// Open connects to the database named by dsn, creates cfg.Schema if it is
// missing and the checkpoint table in it. It fails with an error matching
// eventstore.ErrUnavailable when the server cannot be reached.
func Open(ctx context.Context, dsn string, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open read models: %w", err)
	}
	cfg = cfg.withDefaults()
	pool, err := newPool(ctx, dsn, cfg)
	if err != nil {
		return nil, pgerr.Translate(ctx, "open read models", err)
	}
	s := &Store{pool: pool, schema: cfg.Schema}
	if err := s.setUp(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// newPool returns a pool whose connections resolve unqualified names in
// cfg.Schema only.
func newPool(ctx context.Context, dsn string, cfg Config) (*pgxpool.Pool, error) {
	pcfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	pcfg.ConnConfig.RuntimeParams["search_path"] = cfg.Schema
	if cfg.MaxConns > 0 {
		pcfg.MaxConns = cfg.MaxConns
	}
	return pgxpool.NewWithConfig(ctx, pcfg)
}

// setUp creates the schema unless it exists (so that a role without
// CREATE on the database can use a schema made for it) and the checkpoint
// table, under the migration lock.
func (s *Store) setUp(ctx context.Context) error {
	return s.migrate(ctx, func(tx pgx.Tx) error {
		var exists bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, s.schema).Scan(&exists)
		if err == nil && !exists {
			_, err = tx.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{s.schema}.Sanitize())
		}
		if err == nil {
			_, err = tx.Exec(ctx, checkpointDDL)
		}
		return pgerr.Translate(ctx, "create read-model schema "+s.schema, err)
	})
}

// Dialect implements [readmodel.Store].
func (s *Store) Dialect() readmodel.Dialect { return readmodel.PostgreSQL }

// Query implements [readmodel.Querier] outside any transaction: it sees
// committed rows only.
func (s *Store) Query(ctx context.Context, query string, args ...any) (readmodel.Rows, error) {
	r, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, pgerr.Translate(ctx, "query read models: "+brief(query), err)
	}
	return rows{rows: r, ctx: ctx}, nil
}

// Migrate implements [readmodel.Store]: statements run in one
// transaction, serialised with other migrations of the schema by an
// advisory lock, so that two processes starting at once do not race to
// create the same table.
func (s *Store) Migrate(ctx context.Context, statements []string) error {
	return s.migrate(ctx, func(tx pgx.Tx) error {
		for i, st := range statements {
			if _, err := tx.Exec(ctx, st); err != nil {
				return pgerr.Translate(ctx, fmt.Sprintf("migrate read models: statement %d (%s)", i+1, brief(st)), err)
			}
		}
		return nil
	})
}

func (s *Store) migrate(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "ledgerline readmodels "+s.schema)
		if err != nil {
			return pgerr.Translate(ctx, "lock read-model migrations", err)
		}
		return fn(tx)
	})
}

// Checkpoint implements [readmodel.Store].
func (s *Store) Checkpoint(ctx context.Context, projection string) (readmodel.Checkpoint, error) {
	var pos int64
	var at *time.Time
	err := s.pool.QueryRow(ctx, `SELECT position, recorded_at FROM projection_checkpoints WHERE projection = $1`, projection).Scan(&pos, &at)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return readmodel.Checkpoint{}, nil
	case err != nil:
		return readmodel.Checkpoint{}, pgerr.Translate(ctx, "read checkpoint of "+projection, err)
	}
	cp := readmodel.Checkpoint{Position: uint64(pos)}
	if at != nil {
		cp.RecordedAt = at.UTC()
	}
	return cp, nil
}

// Apply implements [readmodel.Store]: it locks the projection's checkpoint
// row (see the package documentation), checks it is at from, runs fn and
// moves the checkpoint to to, all in one transaction. A panic in fn rolls
// the transaction back and propagates.
func (s *Store) Apply(ctx context.Context, projection string, from uint64, to readmodel.Checkpoint, fn func(context.Context, readmodel.Tx) error) error {
	if to.Position > math.MaxInt64 {
		return fmt.Errorf("apply %s: position %d does not fit a BIGINT", projection, to.Position)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		pos, err := lockCheckpoint(ctx, tx, projection)
		if err != nil {
			return err
		}
		if pos != from {
			return fmt.Errorf("apply %s from %d: stored checkpoint is %d: %w", projection, from, pos, readmodel.ErrCheckpointMoved)
		}
		if err := fn(ctx, txn{tx: tx}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE projection_checkpoints SET position = $2, recorded_at = $3 WHERE projection = $1`,
			projection, int64(to.Position), recordedAt(to.RecordedAt))
		return pgerr.Translate(ctx, "store checkpoint of "+projection, err)
	})
}

// lockCheckpoint returns projection's stored position with its row locked
// FOR UPDATE until the transaction ends, inserting the row at 0 first if
// it is missing. Of two transactions inserting it at once, the second
// waits for the first: if that one commits, the second's insert does
// nothing and its select sees the moved checkpoint.
func lockCheckpoint(ctx context.Context, tx pgx.Tx, projection string) (uint64, error) {
	pos, err := selectLocked(ctx, tx, projection)
	if !errors.Is(err, pgx.ErrNoRows) {
		return pos, pgerr.Translate(ctx, "lock checkpoint of "+projection, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0) ON CONFLICT (projection) DO NOTHING`, projection)
	if err == nil {
		pos, err = selectLocked(ctx, tx, projection)
	}
	return pos, pgerr.Translate(ctx, "lock checkpoint of "+projection, err)
}

func selectLocked(ctx context.Context, tx pgx.Tx, projection string) (uint64, error) {
	var pos int64
	err := tx.QueryRow(ctx, `SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE`, projection).Scan(&pos)
	return uint64(pos), err
}

// recordedAt is a checkpoint's instant as stored: microseconds (as
// timestamptz keeps them), NULL for the zero time.
func recordedAt(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Truncate(time.Microsecond)
}

// inTx runs fn in a transaction and commits it. The deferred rollback is a
// no-op after a commit; after an error or a panic in fn it ends the
// transaction and returns the connection to the pool before the panic
// goes on.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return pgerr.Translate(ctx, "begin read-model transaction", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if err := fn(tx); err != nil {
		return err
	}
	return pgerr.Translate(ctx, "commit read-model transaction", tx.Commit(ctx))
}

// Close implements [readmodel.Store]: it closes the pool, waiting for
// connections in use to come back. It is idempotent.
func (s *Store) Close() error {
	s.closer.Do(s.pool.Close)
	return nil
}
