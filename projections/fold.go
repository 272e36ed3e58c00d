package projections

import (
	"bytes"
	"slices"

	"github.com/google/uuid"
)

// Rebuilder is an optional capability of a [Projector]: building its
// model from empty tables over the log from its start faster than batch by
// batch through Project. A [Fold] turns events into rows, keeps in memory
// the rows that later events still change (a directory row's counters, a
// customer's merge) and hands every row over once, for a bulk copy
// ([readmodel.Copier] where the store has it), so that a million events
// cost about what writing their rows costs. Its result must equal what
// Project leaves after the same events: `projections verify` compares a
// fold's model with the live one.
type Rebuilder interface {
	Projector
	// Fold returns a fold that builds the model in tables that are
	// empty, from the first event of the log on.
	Fold() Fold
}

// Fold builds one projection's model from empty tables. It does no I/O:
// the rebuild copies the rows it returns into their tables, one batch's
// rows while the fold works on the next, and can retry a failed copy. It
// is not safe for concurrent use.
type Fold interface {
	// Add folds the next batch of events, in log order, and returns the
	// rows it completes. An event that Add refuses for good (see
	// [ErrPermanent]) leaves no trace in the model: Add skips it and
	// returns it among the refusals.
	Add(events []Event) ([]Rows, []Refusal)
	// Finish returns the rows Add kept in memory. After it, further
	// events go through the projector's Project, which may then rely on
	// the schema's indexes.
	Finish() []Rows
}

// Rows are new rows of one table. Each holds one value per column, of
// the kinds a [readmodel.Copier] takes (time.Time, uuid.UUID, int64,
// string, bool, nil, …).
type Rows struct {
	Table   string
	Columns []string
	Values  [][]any
}

// Refusal is an event a [Fold] skipped for good, and why.
type Refusal struct {
	Event Event
	Err   error
}

// SortByUUID sorts rows by the uuid.UUID of their first value, a table's
// key: a B-tree then takes a batch's rows in key order, a leaf page
// after the other, rather than all over the index.
func (r Rows) SortByUUID() {
	type keyed struct {
		key uuid.UUID
		row []any
	}
	ks := make([]keyed, len(r.Values))
	for i, v := range r.Values {
		ks[i] = keyed{key: v[0].(uuid.UUID), row: v}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key[:], b.key[:]) })
	for i, k := range ks {
		r.Values[i] = k.row
	}
}
