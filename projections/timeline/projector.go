package timeline

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Projector maintains the timeline and customers tables.
type Projector struct{}

var _ projections.Projector = Projector{}

// New returns the timeline projector.
func New() Projector { return Projector{} }

// Name implements [projections.Projector].
func (Projector) Name() string { return Name }

// Schema implements [projections.Projector].
func (Projector) Schema(d readmodel.Dialect) []string { return schema(d) }

const insertRow = `INSERT INTO timeline (position, event_id, stream, customer_id, version, type, channel, direction,
	summary, amount_minor, currency, actor, occurred_at, recorded_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`

// Project implements [projections.Projector]: one timeline row per event,
// and the customers directory kept up to date.
func (Projector) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	touched := map[uuid.UUID]*activity{}
	var order []uuid.UUID
	for _, e := range events {
		en := describe(e)
		if err := tx.Exec(ctx, insertRow, int64(e.Position), e.ID.String(), e.Stream, nullUUID(en.customer),
			int64(e.Version), e.Type, nullString(en.channel), nullString(en.direction), en.summary,
			en.amount, nullString(en.currency), e.Metadata.Actor,
			readmodel.Timestamp(e.OccurredAt), readmodel.Timestamp(e.RecordedAt)); err != nil {
			return fmt.Errorf("timeline row for %s: %w", e.ID, err)
		}
		if en.customer == uuid.Nil {
			continue
		}
		if err := directory(ctx, tx, e, en); err != nil {
			return err
		}
		a := touched[en.customer]
		if a == nil {
			a = &activity{}
			touched[en.customer] = a
			order = append(order, en.customer)
		}
		a.add(e.OccurredAt)
	}
	return flushActivity(ctx, tx, order, touched)
}

// activity is what one batch adds to a customer's directory row.
type activity struct {
	events int64
	last   time.Time
}

func (a *activity) add(at time.Time) {
	a.events++
	if at.After(a.last) {
		a.last = at
	}
}

func flushActivity(ctx context.Context, tx readmodel.Tx, order []uuid.UUID, touched map[uuid.UUID]*activity) error {
	for _, id := range order {
		a := touched[id]
		err := tx.Exec(ctx, `UPDATE customers SET events = events + $2,
			last_event_at = CASE WHEN last_event_at IS NULL OR last_event_at < $3 THEN $3 ELSE last_event_at END
			WHERE customer_id = $1`, id.String(), a.events, readmodel.Timestamp(a.last))
		if err != nil {
			return fmt.Errorf("customer activity of %s: %w", id, err)
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullUUID(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return id.String()
}
