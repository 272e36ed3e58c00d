package churn

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

var evidenceColumns = []string{"event_id", "customer_id", "type", "occurred_at", "stars", "nps", "invoice_id",
	"due_date", "amount_minor", "currency", "consent_purpose", "consent_channel", "discount_id"}

// Project implements [projections.Projector]. Rows are keyed by event id
// and inserted with ON CONFLICT DO NOTHING, so applying a batch again
// changes nothing.
func (Projector) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	rows := batch.NewInsert("churn_evidence", evidenceColumns, "ON CONFLICT (event_id) DO NOTHING")
	for _, e := range events {
		row, err := evidenceOf(e)
		if err != nil {
			return err
		}
		if row == nil {
			continue
		}
		if err := rows.Add(ctx, tx, row...); err != nil {
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
	var evidence [][]any
	var refused []projections.Refusal
	for _, e := range events {
		row, err := evidenceOf(e)
		switch {
		case err != nil:
			refused = append(refused, projections.Refusal{Event: e, Err: err})
		case row != nil:
			evidence = append(evidence, row)
		}
	}
	rows := projections.Rows{Table: "churn_evidence", Columns: readmodel.ColumnsOf(evidenceColumns, evidence)}
	rows.SortByUUID()
	return []projections.Rows{rows}, refused
}

// Finish implements [projections.Fold]: nothing waits in memory.
func (fold) Finish() []projections.Rows { return nil }

// evidenceOf returns the evidence row of e, nil if e is no evidence; an
// error, marked [projections.ErrPermanent], if its payload is unreadable.
func evidenceOf(e projections.Event) ([]any, error) {
	if !relevant[e.Type] {
		return nil, nil
	}
	id, err := customer.ParseStream(e.Stream)
	if err != nil {
		return nil, nil // a customer event type on a stream that is not a customer's: not ours
	}
	p, err := e.Payload()
	if err != nil {
		return nil, fmt.Errorf("%w: churn evidence of event %s: %w", projections.ErrPermanent, e.ID, err)
	}
	return evidenceRow(e, id, p), nil
}

// evidenceRow returns the evidence columns of one event; the details
// that the event does not have are NULL. Free text (topics, comments,
// reasons) is left out: it may be personal data.
func evidenceRow(e projections.Event, id uuid.UUID, p domain.Event) []any {
	row := make([]any, len(evidenceColumns))
	row[0], row[1], row[2], row[3] = e.ID, id, e.Type, e.OccurredAt
	switch ev := p.(type) {
	case customer.RatingGiven:
		row[4] = ev.Stars
	case customer.SurveyAnswered:
		row[5] = ev.NPS
	case customer.InvoiceIssued:
		row[6], row[7], row[8], row[9] = ev.InvoiceID, ev.DueDate.String(), ev.Amount, string(ev.Currency)
	case customer.PaymentReceived:
		row[6], row[8], row[9] = ev.InvoiceID, ev.Amount, string(ev.Currency)
	case customer.ConsentGiven:
		row[10], row[11] = string(ev.Purpose), string(ev.Channel)
	case customer.ConsentWithdrawn:
		row[10], row[11] = string(ev.Purpose), string(ev.Channel)
	case customer.DiscountRevoked:
		row[12] = ev.DiscountID
	}
	return row
}
