package churn

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// evidence is one row of churn_evidence.
type evidence struct {
	EventID    uuid.UUID
	Customer   uuid.UUID
	Type       string
	At         time.Time
	Stars, NPS sql.NullInt64
	InvoiceID  string
	Due        day
	Amount     int64
	Currency   string
	Purpose    string
	Channel    string
	DiscountID string
}

// loadEvidence reads the evidence that had happened by asOf, in time
// order (occurred_at, then event id).
func loadEvidence(ctx context.Context, q readmodel.Querier, asOf time.Time) ([]evidence, error) {
	rows, err := q.Query(ctx, `SELECT event_id, customer_id, type, occurred_at, stars, nps, invoice_id, due_date,
		amount_minor, currency, consent_purpose, consent_channel, discount_id FROM churn_evidence WHERE occurred_at <= $1`,
		readmodel.Timestamp(asOf))
	if err != nil {
		return nil, fmt.Errorf("read churn evidence: %w", err)
	}
	defer rows.Close()
	var out []evidence
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read churn evidence: %w", err)
	}
	sortByTime(out, func(e evidence) (time.Time, uuid.UUID) { return e.At, e.EventID })
	return out, nil
}

func scanEvidence(rows readmodel.Rows) (evidence, error) {
	var e evidence
	var event, cust string
	var at readmodel.Time
	var invoice, currency, purpose, channel, discount sql.NullString
	var amount sql.NullInt64
	err := rows.Scan(&event, &cust, &e.Type, &at, &e.Stars, &e.NPS, &invoice, &e.Due, &amount, &currency,
		&purpose, &channel, &discount)
	if err != nil {
		return e, fmt.Errorf("scan churn evidence: %w", err)
	}
	if e.EventID, err = uuid.Parse(event); err != nil {
		return e, fmt.Errorf("scan churn evidence %q: %w", event, err)
	}
	if e.Customer, err = uuid.Parse(cust); err != nil {
		return e, fmt.Errorf("scan churn evidence %s: customer %q: %w", event, cust, err)
	}
	e.At, e.Amount = at.Time, amount.Int64
	e.InvoiceID, e.Currency, e.Purpose, e.Channel, e.DiscountID = invoice.String, currency.String, purpose.String,
		channel.String, discount.String
	return e, nil
}

// day scans a date column: a PostgreSQL date or SQLite text YYYY-MM-DD,
// as midnight UTC; NULL is the zero time.
type day struct{ time.Time }

// Scan implements database/sql.Scanner.
func (d *day) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		d.Time = time.Time{}
	case time.Time:
		y, m, dd := v.Date()
		d.Time = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	default:
		return fmt.Errorf("scan date: unsupported %T", src)
	}
	return nil
}

func (d *day) parse(s string) error {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("scan date %q: %w", s, err)
	}
	d.Time = t
	return nil
}
