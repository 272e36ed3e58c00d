package readmodel

import (
	"context"
	"errors"
	"time"
)

// Dialect names the SQL a store speaks, for projectors' DDL and the few
// statements that differ.
type Dialect string

const (
	// SQLite is the embedded store's dialect.
	SQLite Dialect = "sqlite"
	// PostgreSQL is the PostgreSQL store's dialect.
	PostgreSQL Dialect = "postgres"
)

// ErrCheckpointMoved means another runner advanced a projection's
// checkpoint since the caller read it; the caller must reload it.
var ErrCheckpointMoved = errors.New("readmodel: checkpoint moved")

// Rows iterates a query's result; it has database/sql's shape.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// Querier runs read queries.
type Querier interface {
	// Query runs a query with $n placeholders.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Tx is a read-model transaction handed to a projector. It is not safe for
// concurrent use.
type Tx interface {
	Querier
	// Exec runs a statement with $n placeholders. Implementations cache
	// prepared statements per query text for the transaction's life.
	Exec(ctx context.Context, query string, args ...any) error
}

// Checkpoint is how far a projection has applied the global log.
type Checkpoint struct {
	// Position of the last applied event, 0 before the first.
	Position uint64
	// RecordedAt of the last applied event (zero before the first), from
	// which lag in seconds is derived.
	RecordedAt time.Time
}

// Store keeps read-model tables and projection checkpoints. It is safe for
// concurrent use.
type Store interface {
	Querier
	// Dialect reports the SQL the store speaks.
	Dialect() Dialect
	// Migrate runs a projection's idempotent DDL statements in one
	// transaction.
	Migrate(ctx context.Context, statements []string) error
	// Checkpoint returns projection's checkpoint, the zero Checkpoint if
	// it has none.
	Checkpoint(ctx context.Context, projection string) (Checkpoint, error)
	// Apply runs fn in one transaction and, in the same transaction,
	// moves projection's checkpoint from from to to. If the stored
	// checkpoint is not at from.Position it fails with
	// ErrCheckpointMoved and runs nothing. If fn fails, nothing commits.
	Apply(ctx context.Context, projection string, from uint64, to Checkpoint, fn func(ctx context.Context, tx Tx) error) error
	// Close releases the store; it is idempotent.
	Close() error
}
