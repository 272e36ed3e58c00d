package timeline

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
)

// Projector maintains the timeline and customers tables.
type Projector struct{}

var _ projections.Rebuilder = Projector{}

// New returns the timeline projector.
func New() Projector { return Projector{} }

// Name implements [projections.Projector].
func (Projector) Name() string { return Name }

// Schema implements [projections.Projector].
func (Projector) Schema(d readmodel.Dialect) []string { return schema(d) }

// Project implements [projections.Projector]: one timeline row per event,
// and the customers directory kept up to date.
func (Projector) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	rows, dir := make([][]any, 0, len(events)), newDirectory()
	for _, e := range events {
		en := describe(e)
		rows = append(rows, timelineRow(e, en))
		if en.customer == uuid.Nil {
			continue
		}
		if err := dir.add(ctx, tx, e, en); err != nil {
			return err
		}
	}
	if err := batch.Copy(ctx, tx, "timeline", columnNames, rows); err != nil {
		return fmt.Errorf("timeline rows up to %d: %w", events[len(events)-1].Position, err)
	}
	if err := dir.flush(ctx, tx); err != nil {
		return fmt.Errorf("customer directory: %w", err)
	}
	return activity(ctx, tx, events[0].Position, events[len(events)-1].Position)
}

// columnNames are the timeline's columns in the order rows carry them.
var columnNames = []string{"position", "event_id", "stream", "customer_id", "version", "type", "channel", "direction",
	"summary", "amount_minor", "currency", "actor", "occurred_at", "recorded_at"}

// timelineRow returns e's timeline row, described by en.
func timelineRow(e projections.Event, en entry) []any {
	var amount any
	if en.hasAmount {
		amount = en.amount
	}
	return []any{int64(e.Position), e.ID, e.Stream, nullUUID(en.customer), int64(e.Version), e.Type,
		nullString(en.channel), nullString(en.direction), en.summary, amount, nullString(en.currency),
		e.Metadata.Actor, e.OccurredAt, e.RecordedAt}
}

// activity adds the timeline rows of positions first to last to their
// customers' directory rows (event count, latest business time), in one
// set-based statement per batch: one UPDATE per customer costs a round
// trip each on PostgreSQL.
func activity(ctx context.Context, tx readmodel.Tx, first, last uint64) error {
	err := tx.Exec(ctx, `UPDATE customers SET events = customers.events + a.n,
			last_event_at = CASE WHEN customers.last_event_at IS NULL OR customers.last_event_at < a.latest
				THEN a.latest ELSE customers.last_event_at END
		FROM (SELECT customer_id, COUNT(*) AS n, MAX(occurred_at) AS latest FROM timeline
			WHERE position >= $1 AND position <= $2 AND customer_id IS NOT NULL GROUP BY customer_id) AS a
		WHERE customers.customer_id = a.customer_id`, int64(first), int64(last))
	if err != nil {
		return fmt.Errorf("customer activity of positions %d to %d: %w", first, last, err)
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
	return id
}
