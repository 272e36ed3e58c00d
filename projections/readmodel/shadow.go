package readmodel

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/google/uuid"
)

// ErrShadowBusy means another caller, in this process or another, holds
// the shadow of that name: a rebuild or a verify of the same projection is
// running.
var ErrShadowBusy = errors.New("readmodel: shadow in use")

// Shadower is an optional capability of a [Store]: scratch copies of
// read-model tables, built out of readers' sight, for rebuilding a
// projection without downtime and for verifying one. A store without it
// cannot rebuild in place; callers report that rather than fall back to
// rebuilding the live tables, which readers would see half-built.
type Shadower interface {
	// Shadow returns an empty scratch store named name (see
	// [ValidShadowName]), first dropping whatever a crashed caller left
	// under that name. It fails with [ErrShadowBusy] while another caller
	// holds the name. A projector runs the same DDL and statements on the
	// shadow as on the live store: plain table names resolve in the
	// shadow.
	Shadow(ctx context.Context, name string) (Shadow, error)
	// Shadows reports the shadows that exist, in name order.
	Shadows(ctx context.Context) ([]ShadowInfo, error)
}

// ShadowInfo describes an existing shadow.
type ShadowInfo struct {
	// Name is the name the shadow was created under.
	Name string
	// Busy reports that a caller holds the shadow (a rebuild or verify
	// runs); a shadow that is not busy was left by a caller that died.
	Busy bool
	// Checkpoints are the shadow's checkpoints by projection, when the
	// store can read them while the shadow is busy; nil otherwise.
	Checkpoints map[string]Checkpoint
}

// Shadow is a scratch store. Its [Store] methods act on the shadow's own
// tables and checkpoints only; Close drops the shadow unless it was
// swapped in. It is safe for concurrent use, although a store may
// serialise the calls.
type Shadow interface {
	Store
	// Tables lists the tables created in the shadow, without the store's
	// own checkpoint table, in name order.
	Tables(ctx context.Context) ([]string, error)
	// Swap installs the shadow in the live store, in one live transaction:
	// every live table named like a table of the shadow is replaced by the
	// shadow's (rows, indexes, constraints, and the grants of the table it
	// replaces where the store keeps grants), projection's live checkpoint
	// becomes the shadow's, and fn runs; then the transaction commits and
	// the shadow is gone. Readers see the old tables or the new ones,
	// never a mix. Swap takes the same lock on projection's live
	// checkpoint as [Store.Apply], so a live Apply commits before the swap
	// or runs after it against the swapped-in checkpoint. If the shadow's
	// checkpoint of projection is not at, Swap fails with
	// [ErrCheckpointMoved] and changes nothing. After Swap returns, with
	// or without an error, only Close may be called.
	Swap(ctx context.Context, projection string, at uint64, fn func(ctx context.Context, tx Tx) error) error
}

var shadowName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ValidShadowName reports whether name can name a shadow in every store:
// a lowercase letter, then up to 39 lowercase letters, digits or
// underscores (stores build schema and file names from it).
func ValidShadowName(name string) bool { return shadowName.MatchString(name) }

// Copier is an optional capability of a [Tx]: bulk loading of new rows,
// as cheaply as the store can (PostgreSQL's binary COPY, SQLite's
// prepared multi-row INSERTs). Values are Go values of the columns'
// kinds, not text:
//
//   - nil (NULL), string, []byte, int64 (int, int32 and int16 too),
//     float64 and bool;
//   - time.Time for time columns: the instant at microsecond precision
//     (truncated, as [Timestamp] does), and the zero time is NULL. SQLite
//     stores it as [TimeLayout] text in UTC, exactly what [Timestamp]
//     gives, so rows copied and rows inserted with [Tx.Exec] compare and
//     sort the same;
//   - uuid.UUID (github.com/google/uuid) for UUID columns; SQLite stores
//     its canonical text, as id.String() gives.
//
// Text for a time or UUID column is outside the contract: PostgreSQL's
// binary COPY refuses [Timestamp] text, and takes UUID text only by
// parsing it in the client. There is no ON CONFLICT: a row that
// breaks a constraint fails the statement, as a plain INSERT would.
// Callers fall back to INSERT statements when a Tx lacks it.
type Copier interface {
	// CopyFrom inserts rows, each holding one value per column, into
	// table.
	CopyFrom(ctx context.Context, table string, columns []string, rows [][]any) error
}

// ExecValue turns a [Copier] value into the value [Tx.Exec] takes for the
// same column: a time.Time into [Timestamp] text, a uuid.UUID into its
// text; other values are the same for both.
func ExecValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return Timestamp(x)
	case uuid.UUID:
		return x.String()
	}
	return v
}
