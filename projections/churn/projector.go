package churn

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/value/batch"
)

// Projector keeps the churn evidence: one row per event that can tell a
// customer is drifting away (or back).
type Projector struct{}

var _ projections.Projector = Projector{}

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
		if !relevant[e.Type] {
			continue
		}
		id, err := customer.ParseStream(e.Stream)
		if err != nil {
			continue // a customer event type on a stream that is not a customer's: not ours
		}
		p, err := e.Payload()
		if err != nil {
			return fmt.Errorf("%w: churn evidence of event %s: %w", projections.ErrPermanent, e.ID, err)
		}
		if err := rows.Add(ctx, tx, evidenceRow(e, id, p)...); err != nil {
			return fmt.Errorf("churn evidence of event %s: %w", e.ID, err)
		}
	}
	return rows.Flush(ctx, tx)
}

// evidenceRow returns the evidence columns of one event; the details
// that the event does not have are NULL. Free text (topics, comments,
// reasons) is left out: it may be personal data.
func evidenceRow(e projections.Event, id uuid.UUID, p domain.Event) []any {
	row := make([]any, len(evidenceColumns))
	row[0], row[1], row[2], row[3] = e.ID.String(), id.String(), e.Type, readmodel.Timestamp(e.OccurredAt)
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
