package value

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/projections"
)

// Fold implements [projections.Rebuilder]: purchase and refund rows are
// handed over a batch at a time; the directory is kept in memory and
// handed over once, at the end, as Project's statements would have left
// it.
func (Projector) Fold() projections.Fold { return &fold{dir: map[uuid.UUID]*directoryRow{}} }

// fold is the value projection's [projections.Fold].
type fold struct {
	dir map[uuid.UUID]*directoryRow
}

// directoryRow is a value_customers row being folded.
type directoryRow struct {
	source, sourceID string
	registered       time.Time
	mergedInto       uuid.UUID
	forgotten        time.Time
}

// Add implements [projections.Fold].
func (f *fold) Add(events []projections.Event) ([]projections.Rows, []projections.Refusal) {
	purchases := projections.Rows{Table: "value_purchases", Columns: purchaseColumns}
	refunds := projections.Rows{Table: "value_refunds", Columns: refundColumns}
	var refused []projections.Refusal
	for _, e := range events {
		id, p, err := factOf(e)
		if err != nil {
			refused = append(refused, projections.Refusal{Event: e, Err: err})
			continue
		}
		switch ev := p.(type) {
		case customer.PurchaseRecorded:
			purchases.Values = append(purchases.Values, purchaseRow(e, id, ev))
		case customer.PurchaseRefunded:
			refunds.Values = append(refunds.Values, refundRow(e, id, ev))
		default:
			f.directory(e, id, p)
		}
	}
	purchases.SortByUUID()
	refunds.SortByUUID()
	return []projections.Rows{purchases, refunds}, refused
}

// directory folds a directory event as Project's statements apply it: the
// first registration stays, the latest merge wins, the first forgetting
// stays, and nothing happens to a customer not registered yet.
func (f *fold) directory(e projections.Event, id uuid.UUID, p any) {
	row := f.dir[id]
	switch ev := p.(type) {
	case customer.Registered:
		if row == nil {
			f.dir[id] = &directoryRow{source: ev.SourceSystem, sourceID: ev.SourceID, registered: e.OccurredAt}
		}
	case customer.MergedInto:
		if row != nil {
			row.mergedInto = ev.Into
		}
	case customer.Forgotten:
		if row != nil && row.forgotten.IsZero() {
			row.forgotten = e.OccurredAt
		}
	}
}

// Finish implements [projections.Fold]: the directory, in customer id
// order.
func (f *fold) Finish() []projections.Rows {
	ids := make([]uuid.UUID, 0, len(f.dir))
	for id := range f.dir {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, compareUUID)
	rows := projections.Rows{Table: "value_customers", Columns: customerColumns, Values: make([][]any, len(ids))}
	for i, id := range ids {
		r := f.dir[id]
		var merged any
		if r.mergedInto != uuid.Nil {
			merged = r.mergedInto
		}
		rows.Values[i] = []any{id, r.source, r.sourceID, r.registered, merged, r.forgotten}
	}
	return []projections.Rows{rows}
}
