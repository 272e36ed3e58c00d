package projections

import (
	"bytes"
	"slices"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections/readmodel"
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

// Rows are new rows of one table, held column by column: typed
// ([readmodel.Of]) where a fold builds many rows, so that it boxes no
// value and PostgreSQL's binary COPY encodes them as they are.
type Rows struct {
	Table   string
	Columns []readmodel.Column
}

// Len returns the number of rows.
func (r Rows) Len() int {
	if len(r.Columns) == 0 {
		return 0
	}
	return r.Columns[0].Values.Len()
}

// Refusal is an event a [Fold] skipped for good, and why.
type Refusal struct {
	Event Event
	Err   error
}

// SortByUUID sorts rows by their first column, a table's uuid.UUID key
// ([readmodel.Of] uuid.UUID): a B-tree then takes a batch's rows in key
// order, a leaf page after the other, rather than all over the index.
func (r Rows) SortByUUID() {
	if r.Len() == 0 {
		return
	}
	keys := uuidsOf(r.Columns[0].Values)
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(keys[a][:], keys[b][:]) })
	for _, c := range r.Columns {
		c.Values.Reorder(order)
	}
}

// uuidsOf returns the uuid.UUID values of a column.
func uuidsOf(v readmodel.Values) []uuid.UUID {
	if ids, ok := v.(*readmodel.Of[uuid.UUID]); ok {
		return ids.Values
	}
	ids := make([]uuid.UUID, v.Len())
	for i := range ids {
		ids[i] = v.At(i).(uuid.UUID)
	}
	return ids
}
