package churn

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
)

// Projector keeps the churn evidence: one row per event that can tell a
// customer is drifting away (or back).
type Projector struct{}

var _ projections.Rebuilder = Projector{}

// New returns the churn projector.
func New() Projector { return Projector{} }

// Name implements [projections.Projector].
func (Projector) Name() string { return Name }

// Schema implements [projections.Projector]: the evidence table only; the
// tables of [Materialize] are not the projection's.
func (Projector) Schema(d readmodel.Dialect) []string { return factSchema(d) }

// relevant are the event types the projector reads.
var relevant = map[string]bool{
	"customer.complaint_filed": true, "customer.rating_given": true, "customer.survey_answered": true,
	"customer.invoice_issued": true, "customer.payment_received": true, "customer.consent_given": true,
	"customer.consent_withdrawn": true, "customer.discount_revoked": true, "customer.departure_declared": true,
	"customer.reactivated": true,
}

var evidenceColumnNames = []string{"event_id", "customer_id", "type", "occurred_at", "stars", "nps", "invoice_id",
	"due_date", "amount_minor", "currency", "consent_purpose", "consent_channel", "discount_id"}

// Project implements [projections.Projector]. Rows are keyed by event id
// and inserted with ON CONFLICT DO NOTHING, so applying a batch again
// changes nothing.
func (Projector) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	rows := batch.NewInsert("churn_evidence", evidenceColumnNames, "ON CONFLICT (event_id) DO NOTHING")
	for _, e := range events {
		ev, ok, err := evidenceOf(e)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := rows.Add(ctx, tx, ev.row(e)...); err != nil {
			return fmt.Errorf("churn evidence of event %s: %w", e.ID, err)
		}
	}
	return rows.Flush(ctx, tx)
}

// Fold implements [projections.Rebuilder]: evidence rows are handed over
// a batch at a time; nothing waits in memory.
func (Projector) Fold() projections.Fold { return fold{} }

// fold is the churn projection's [projections.Fold].
type fold struct{}

// Add implements [projections.Fold].
func (fold) Add(events []projections.Event) ([]projections.Rows, []projections.Refusal) {
	out := newEvidenceColumns(len(events) / 4)
	var refused []projections.Refusal
	for _, e := range events {
		ev, ok, err := evidenceOf(e)
		switch {
		case err != nil:
			refused = append(refused, projections.Refusal{Event: e, Err: err})
		case ok:
			out.add(e, ev)
		}
	}
	rows := out.rows()
	rows.SortByUUID()
	return []projections.Rows{rows}, refused
}

// Finish implements [projections.Fold]: nothing waits in memory.
func (fold) Finish() []projections.Rows { return nil }

// evidenceOf returns the evidence e gives, false if none; an error,
// marked [projections.ErrPermanent], if its payload is unreadable.
func evidenceOf(e projections.Event) (fact, bool, error) {
	if !relevant[e.Type] {
		return fact{}, false, nil
	}
	id, err := customer.ParseStream(e.Stream)
	if err != nil {
		return fact{}, false, nil // a customer event type on a stream that is not a customer's: not ours
	}
	p, err := e.Payload()
	if err != nil {
		return fact{}, false, fmt.Errorf("%w: churn evidence of event %s: %w", projections.ErrPermanent, e.ID, err)
	}
	return detailsOf(id, p), true, nil
}

// fact is the evidence one event gives of its customer's churn: the
// details the event has; the others are NULL. Free text (topics,
// comments, reasons) is left out: it may be personal data.
type fact struct {
	customer                     uuid.UUID
	stars, nps, amount           opt[int64]
	invoice, due, currency       opt[string]
	purpose, channel, discountID opt[string]
}

// opt is a detail an event may lack.
type opt[T any] struct {
	v  T
	ok bool
}

func some[T any](v T) opt[T] { return opt[T]{v: v, ok: true} }

// value returns the detail as a row holds it: nil if the event lacks it.
func (o opt[T]) value() any {
	if !o.ok {
		return nil
	}
	return o.v
}

// detailsOf returns the evidence of customer id that payload p holds.
func detailsOf(id uuid.UUID, p domain.Event) fact {
	ev := fact{customer: id}
	switch x := p.(type) {
	case customer.RatingGiven:
		ev.stars = some(int64(x.Stars))
	case customer.SurveyAnswered:
		ev.nps = some(int64(x.NPS))
	case customer.InvoiceIssued:
		ev.invoice, ev.due, ev.amount, ev.currency = some(x.InvoiceID), some(x.DueDate.String()), some(x.Amount), some(string(x.Currency))
	case customer.PaymentReceived:
		ev.invoice, ev.amount, ev.currency = some(x.InvoiceID), some(x.Amount), some(string(x.Currency))
	case customer.ConsentGiven:
		ev.purpose, ev.channel = some(string(x.Purpose)), some(string(x.Channel))
	case customer.ConsentWithdrawn:
		ev.purpose, ev.channel = some(string(x.Purpose)), some(string(x.Channel))
	case customer.DiscountRevoked:
		ev.discountID = some(x.DiscountID)
	}
	return ev
}

// row returns the evidence row of e, in the order of evidenceColumnNames.
func (ev fact) row(e projections.Event) []any {
	return []any{e.ID, ev.customer, e.Type, e.OccurredAt, ev.stars.value(), ev.nps.value(), ev.invoice.value(),
		ev.due.value(), ev.amount.value(), ev.currency.value(), ev.purpose.value(), ev.channel.value(), ev.discountID.value()}
}

// evidenceColumns are evidence rows being built column by column, as row
// has them.
type evidenceColumns struct {
	eventID, customer                                         *readmodel.Of[uuid.UUID]
	typ, invoice, due, currency, purpose, channel, discountID *readmodel.Of[string]
	occurred                                                  *readmodel.Of[time.Time]
	stars, nps, amount                                        *readmodel.Of[int64]
}

func newEvidenceColumns(n int) *evidenceColumns {
	ids, texts, ints := readmodel.NewOf[uuid.UUID], readmodel.NewOf[string], readmodel.NewOf[int64]
	return &evidenceColumns{eventID: ids(n), customer: ids(n), typ: texts(n), invoice: texts(n), due: texts(n),
		currency: texts(n), purpose: texts(n), channel: texts(n), discountID: texts(n),
		occurred: readmodel.NewOf[time.Time](n), stars: ints(n), nps: ints(n), amount: ints(n)}
}

// add appends the evidence row of e.
func (c *evidenceColumns) add(e projections.Event, ev fact) {
	c.eventID.Add(e.ID)
	c.customer.Add(ev.customer)
	c.typ.Add(e.Type)
	c.occurred.Add(e.OccurredAt)
	addOpt(c.stars, ev.stars)
	addOpt(c.nps, ev.nps)
	addOpt(c.invoice, ev.invoice)
	addOpt(c.due, ev.due)
	addOpt(c.amount, ev.amount)
	addOpt(c.currency, ev.currency)
	addOpt(c.purpose, ev.purpose)
	addOpt(c.channel, ev.channel)
	addOpt(c.discountID, ev.discountID)
}

func addOpt[T readmodel.Kind](c *readmodel.Of[T], o opt[T]) { c.AddOrNull(o.v, !o.ok) }

// rows returns the rows, their columns in the order of evidenceColumnNames.
func (c *evidenceColumns) rows() projections.Rows {
	return projections.Rows{Table: "churn_evidence", Columns: readmodel.Named(evidenceColumnNames, c.eventID, c.customer,
		c.typ, c.occurred, c.stars, c.nps, c.invoice, c.due, c.amount, c.currency, c.purpose, c.channel, c.discountID)}
}
