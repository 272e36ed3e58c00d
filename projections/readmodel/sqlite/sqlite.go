package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Store is the embedded read-model store. It is safe for concurrent use.
type Store struct {
	write *sql.DB
	read  *sql.DB
	owned bool
	once  sync.Once
}

var _ readmodel.Store = (*Store)(nil)

const checkpointDDL = `CREATE TABLE IF NOT EXISTS projection_checkpoints (
	projection  TEXT PRIMARY KEY,
	position    INTEGER NOT NULL,
	recorded_at INTEGER NOT NULL
)`

// Open opens (creating if needed) the read-model tables in the SQLite file
// at path.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open read models %s: %w", path, err)
	}
	write, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open read models %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open read models %s: %w", path, err)
	}
	s := &Store{write: write, read: read, owned: true}
	if err := s.Migrate(ctx, []string{checkpointDDL}); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Shared returns a store on pools that another component owns, such as
// the embedded event store's (see its Pools method): write must be a
// single-connection pool opened with immediate transactions. Close leaves
// the pools open.
func Shared(ctx context.Context, write, read *sql.DB) (*Store, error) {
	s := &Store{write: write, read: read}
	if err := s.Migrate(ctx, []string{checkpointDDL}); err != nil {
		return nil, err
	}
	return s, nil
}

func dsn(path string, readOnly bool) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)", "cache_size(-65536)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
		q.Set("_txlock", "deferred")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// Dialect implements [readmodel.Store].
func (s *Store) Dialect() readmodel.Dialect { return readmodel.SQLite }

// Query implements [readmodel.Querier] on the read pool.
func (s *Store) Query(ctx context.Context, query string, args ...any) (readmodel.Rows, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query read models: %w", err)
	}
	return rows, nil
}

// Migrate implements [readmodel.Store].
func (s *Store) Migrate(ctx context.Context, statements []string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, st := range statements {
			if _, err := tx.ExecContext(ctx, st); err != nil {
				return fmt.Errorf("migrate read models: %w", err)
			}
		}
		return nil
	})
}

// Checkpoint implements [readmodel.Store].
func (s *Store) Checkpoint(ctx context.Context, projection string) (readmodel.Checkpoint, error) {
	return checkpoint(ctx, s.read, projection)
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func checkpoint(ctx context.Context, q rowQuerier, projection string) (readmodel.Checkpoint, error) {
	var pos, at int64
	err := q.QueryRowContext(ctx, `SELECT position, recorded_at FROM projection_checkpoints WHERE projection = $1`, projection).Scan(&pos, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return readmodel.Checkpoint{}, nil
	case err != nil:
		return readmodel.Checkpoint{}, fmt.Errorf("read checkpoint of %s: %w", projection, err)
	}
	return readmodel.Checkpoint{Position: uint64(pos), RecordedAt: fromMicro(at)}, nil
}

// upsertCheckpoint stores a projection's checkpoint.
const upsertCheckpoint = `INSERT INTO projection_checkpoints (projection, position, recorded_at) VALUES ($1, $2, $3)
	ON CONFLICT (projection) DO UPDATE SET position = excluded.position, recorded_at = excluded.recorded_at`

// Apply implements [readmodel.Store].
func (s *Store) Apply(ctx context.Context, projection string, from uint64, to readmodel.Checkpoint, fn func(context.Context, readmodel.Tx) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		cp, err := checkpoint(ctx, tx, projection)
		if err != nil {
			return err
		}
		if cp.Position != from {
			return fmt.Errorf("apply %s from %d: stored checkpoint is %d: %w", projection, from, cp.Position, readmodel.ErrCheckpointMoved)
		}
		t := &txn{tx: tx, stmts: map[string]*sql.Stmt{}}
		defer t.close()
		if err := fn(ctx, t); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, upsertCheckpoint, projection, int64(to.Position), to.RecordedAt.UnixMicro())
		if err != nil {
			return fmt.Errorf("store checkpoint of %s: %w", projection, err)
		}
		return nil
	})
}

func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin read-model transaction: %w", err)
	}
	// Deferred, so that a panic in fn rolls back too: the writer
	// connection may be shared with the event store.
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit read-model transaction: %w", err)
	}
	return nil
}

// Close implements [readmodel.Store].
func (s *Store) Close() error {
	var err error
	s.once.Do(func() {
		if s.owned {
			err = errors.Join(s.write.Close(), s.read.Close())
		}
	})
	return err
}
