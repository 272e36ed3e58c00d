package timeline

import (
	"context"
	"fmt"
	"strings"

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
	rows, dir := newRowWriter(tx), newDirectory()
	for _, e := range events {
		en := describe(e)
		err := rows.add(ctx, tx, int64(e.Position), e.ID.String(), e.Stream, nullUUID(en.customer),
			int64(e.Version), e.Type, nullString(en.channel), nullString(en.direction), en.summary,
			en.amount, nullString(en.currency), e.Metadata.Actor,
			readmodel.Timestamp(e.OccurredAt), readmodel.Timestamp(e.RecordedAt))
		if err != nil {
			return fmt.Errorf("timeline rows up to %d: %w", e.Position, err)
		}
		if en.customer == uuid.Nil {
			continue
		}
		if err := dir.add(ctx, tx, e, en); err != nil {
			return err
		}
	}
	if err := rows.flush(ctx, tx); err != nil {
		return fmt.Errorf("timeline rows: %w", err)
	}
	if err := dir.flush(ctx, tx); err != nil {
		return fmt.Errorf("customer directory: %w", err)
	}
	return activity(ctx, tx, events[0].Position, events[len(events)-1].Position)
}

// columnNames are the timeline's columns in the order rows carry them.
var columnNames = []string{"position", "event_id", "stream", "customer_id", "version", "type", "channel", "direction",
	"summary", "amount_minor", "currency", "actor", "occurred_at", "recorded_at"}

// rowWriter writes timeline rows: with COPY when the transaction can
// ([readmodel.Copier], once per batch), else with INSERTs of
// rowsPerInsert rows.
type rowWriter struct {
	copier readmodel.Copier
	args   []any
	copies [][]any
}

func newRowWriter(tx readmodel.Tx) *rowWriter {
	if c, ok := tx.(readmodel.Copier); ok {
		return &rowWriter{copier: c}
	}
	return &rowWriter{args: make([]any, 0, rowsPerInsert*columns)}
}

func (w *rowWriter) add(ctx context.Context, tx readmodel.Tx, values ...any) error {
	if w.copier != nil {
		w.copies = append(w.copies, values)
		return nil
	}
	w.args = append(w.args, values...)
	if len(w.args) < cap(w.args) {
		return nil
	}
	err := tx.Exec(ctx, insertFull, w.args...)
	w.args = w.args[:0]
	return err
}

func (w *rowWriter) flush(ctx context.Context, tx readmodel.Tx) error {
	if w.copier != nil {
		return w.copier.CopyFrom(ctx, "timeline", columnNames, w.copies)
	}
	if len(w.args) == 0 {
		return nil
	}
	return tx.Exec(ctx, insertRows(len(w.args)/columns), w.args...)
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
	return id.String()
}
