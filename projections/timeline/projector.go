package timeline

import (
	"context"
	"fmt"
	"strings"
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

// rowsPerInsert is how many timeline rows one INSERT statement carries:
// one statement per row costs more than the row itself.
const rowsPerInsert = 64

const columns = 14

var insertFull = insertRows(rowsPerInsert)

// insertRows returns an INSERT of n timeline rows.
func insertRows(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO timeline (position, event_id, stream, customer_id, version, type, channel, direction,
	summary, amount_minor, currency, actor, occurred_at, recorded_at) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for c := range columns {
			if c > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", i*columns+c+1)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Project implements [projections.Projector]: one timeline row per event,
// and the customers directory kept up to date.
func (Projector) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	touched := map[uuid.UUID]*activity{}
	var order []uuid.UUID
	rows := make([]any, 0, rowsPerInsert*columns)
	for _, e := range events {
		en := describe(e)
		rows = append(rows, int64(e.Position), e.ID.String(), e.Stream, nullUUID(en.customer),
			int64(e.Version), e.Type, nullString(en.channel), nullString(en.direction), en.summary,
			en.amount, nullString(en.currency), e.Metadata.Actor,
			readmodel.Timestamp(e.OccurredAt), readmodel.Timestamp(e.RecordedAt))
		if len(rows) == cap(rows) {
			if err := tx.Exec(ctx, insertFull, rows...); err != nil {
				return fmt.Errorf("timeline rows up to %d: %w", e.Position, err)
			}
			rows = rows[:0]
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
	if len(rows) > 0 {
		if err := tx.Exec(ctx, insertRows(len(rows)/columns), rows...); err != nil {
			return fmt.Errorf("timeline rows: %w", err)
		}
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
