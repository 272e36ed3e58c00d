package value

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
)

// Projector keeps the value facts: the customer directory, one row per
// purchase and one per refund.
type Projector struct{}

var _ projections.Rebuilder = Projector{}

// New returns the value projector.
func New() Projector { return Projector{} }

// Name implements [projections.Projector].
func (Projector) Name() string { return Name }

// Schema implements [projections.Projector]: the fact tables only; the
// tables of [Materialize] are not the projection's (a rebuild from the log
// cannot recreate evaluations as of times someone chose).
func (Projector) Schema(d readmodel.Dialect) []string { return factSchema(d) }

// Project implements [projections.Projector]. Rows are keyed by event id
// (the directory by customer id) and inserted with ON CONFLICT DO NOTHING,
// so applying a batch again changes nothing.
func (Projector) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	w := newFactWriter()
	for _, e := range events {
		if !relevant[e.Type] {
			continue
		}
		if err := w.add(ctx, tx, e); err != nil {
			return err
		}
	}
	return w.flush(ctx, tx)
}

// relevant are the event types the projector reads.
var relevant = map[string]bool{
	"customer.registered": true, "customer.purchase_recorded": true, "customer.purchase_refunded": true,
	"customer.merged_into": true, "customer.forgotten": true,
}

// factWriter batches the rows of one Project call.
type factWriter struct {
	customers, purchases, refunds *batch.Insert
}

func newFactWriter() factWriter {
	const keep = "ON CONFLICT (event_id) DO NOTHING"
	return factWriter{
		customers: batch.NewInsert("value_customers", customerColumns[:4], "ON CONFLICT (customer_id) DO NOTHING"),
		purchases: batch.NewInsert("value_purchases", purchaseColumnNames, keep),
		refunds:   batch.NewInsert("value_refunds", refundColumns, keep),
	}
}

func (w factWriter) add(ctx context.Context, tx readmodel.Tx, e projections.Event) error {
	id, p, err := factOf(e)
	if err != nil || p == nil {
		return err
	}
	if err := w.write(ctx, tx, e, id, p); err != nil {
		return fmt.Errorf("value facts of event %s: %w", e.ID, err)
	}
	return nil
}

// factOf returns e's customer and payload, a nil payload if e is not a
// value fact; an error, marked [projections.ErrPermanent], if its payload
// is unreadable.
func factOf(e projections.Event) (uuid.UUID, domain.Event, error) {
	if !relevant[e.Type] {
		return uuid.Nil, nil, nil
	}
	id, err := customer.ParseStream(e.Stream)
	if err != nil {
		return uuid.Nil, nil, nil // a customer event type on a stream that is not a customer's: not ours
	}
	p, err := e.Payload()
	if err != nil {
		return uuid.Nil, nil, fmt.Errorf("%w: value facts of event %s: %w", projections.ErrPermanent, e.ID, err)
	}
	return id, p, nil
}

func (w factWriter) write(ctx context.Context, tx readmodel.Tx, e projections.Event, id uuid.UUID, p domain.Event) error {
	switch ev := p.(type) {
	case customer.Registered:
		return w.customers.Add(ctx, tx, id, ev.SourceSystem, ev.SourceID, e.OccurredAt)
	case customer.PurchaseRecorded:
		return w.purchases.Add(ctx, tx, purchaseRow(e, id, ev)...)
	case customer.PurchaseRefunded:
		return w.refunds.Add(ctx, tx, refundRow(e, id, ev)...)
	case customer.MergedInto:
		return w.update(ctx, tx, `UPDATE value_customers SET merged_into = $2 WHERE customer_id = $1`, id.String(), ev.Into.String())
	case customer.Forgotten:
		return w.update(ctx, tx, `UPDATE value_customers SET forgotten_at = $2 WHERE customer_id = $1 AND forgotten_at IS NULL`,
			id.String(), readmodel.Timestamp(e.OccurredAt))
	}
	return nil
}

var (
	customerColumns     = []string{"customer_id", "source", "source_id", "registered_at", "merged_into", "forgotten_at"}
	purchaseColumnNames = []string{"event_id", "customer_id", "purchase_id", "occurred_at", "currency", "gross_minor",
		"discount_minor", "total_minor", "cost_minor", "discount_id"}
	refundColumns = []string{"event_id", "customer_id", "purchase_id", "occurred_at", "currency", "amount_minor"}
)

func purchaseRow(e projections.Event, id uuid.UUID, p customer.PurchaseRecorded) []any {
	return []any{e.ID, id, p.PurchaseID, e.OccurredAt, string(p.Currency), p.Subtotal(), p.Discount, p.Total, cost(p),
		nullString(p.DiscountID)}
}

func refundRow(e projections.Event, id uuid.UUID, r customer.PurchaseRefunded) []any {
	return []any{e.ID, id, r.PurchaseID, e.OccurredAt, string(r.Currency), r.Amount}
}

// update writes the queued rows, so that it sees the registration of this
// batch, then runs an UPDATE of the directory.
func (w factWriter) update(ctx context.Context, tx readmodel.Tx, query string, args ...any) error {
	if err := w.flush(ctx, tx); err != nil {
		return err
	}
	return tx.Exec(ctx, query, args...)
}

func (w factWriter) flush(ctx context.Context, tx readmodel.Tx) error {
	for _, in := range []*batch.Insert{w.customers, w.purchases, w.refunds} {
		if err := in.Flush(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// cost is the purchase's cost, NULL unless every line's cost is known.
func cost(p customer.PurchaseRecorded) any {
	if c, ok := p.Cost(); ok {
		return c
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
