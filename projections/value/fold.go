package value

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
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
	purchases := newPurchaseColumns(len(events))
	var refunds [][]any
	var refused []projections.Refusal
	for _, e := range events {
		id, p, err := factOf(e)
		if err != nil {
			refused = append(refused, projections.Refusal{Event: e, Err: err})
			continue
		}
		switch ev := p.(type) {
		case customer.PurchaseRecorded:
			purchases.add(e, id, ev)
		case customer.PurchaseRefunded:
			refunds = append(refunds, refundRow(e, id, ev))
		default:
			f.directory(e, id, p)
		}
	}
	out := []projections.Rows{purchases.rows(),
		{Table: "value_refunds", Columns: readmodel.ColumnsOf(refundColumns, refunds)}}
	for _, r := range out {
		r.SortByUUID()
	}
	return out, refused
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
	rows := make([][]any, len(ids))
	for i, id := range ids {
		r := f.dir[id]
		var merged any
		if r.mergedInto != uuid.Nil {
			merged = r.mergedInto
		}
		rows[i] = []any{id, r.source, r.sourceID, r.registered, merged, r.forgotten}
	}
	return []projections.Rows{{Table: "value_customers", Columns: readmodel.ColumnsOf(customerColumns, rows)}}
}

// purchaseColumns are value_purchases rows being built column by column,
// as purchaseRow has them.
type purchaseColumns struct {
	eventID, customer                  *readmodel.Of[uuid.UUID]
	purchase, currency, discountID     *readmodel.Of[string]
	occurred                           *readmodel.Of[time.Time]
	gross, discount, total, costAmount *readmodel.Of[int64]
}

func newPurchaseColumns(n int) *purchaseColumns {
	ints, ids, texts := readmodel.NewOf[int64], readmodel.NewOf[uuid.UUID], readmodel.NewOf[string]
	return &purchaseColumns{eventID: ids(n), customer: ids(n), purchase: texts(n), currency: texts(n), discountID: texts(n),
		occurred: readmodel.NewOf[time.Time](n), gross: ints(n), discount: ints(n), total: ints(n), costAmount: ints(n)}
}

// add appends the row of purchase p of customer id, recorded by e.
func (c *purchaseColumns) add(e projections.Event, id uuid.UUID, p customer.PurchaseRecorded) {
	c.eventID.Add(e.ID)
	c.customer.Add(id)
	c.purchase.Add(p.PurchaseID)
	c.occurred.Add(e.OccurredAt)
	c.currency.Add(string(p.Currency))
	c.gross.Add(p.Subtotal())
	c.discount.Add(p.Discount)
	c.total.Add(p.Total)
	cost, known := p.Cost()
	c.costAmount.AddOrNull(cost, !known)
	c.discountID.AddOrNull(p.DiscountID, p.DiscountID == "")
}

// rows returns the rows, their columns in the order of purchaseColumnNames.
func (c *purchaseColumns) rows() projections.Rows {
	return projections.Rows{Table: "value_purchases", Columns: readmodel.Named(purchaseColumnNames, c.eventID, c.customer,
		c.purchase, c.occurred, c.currency, c.gross, c.discount, c.total, c.costAmount, c.discountID)}
}
