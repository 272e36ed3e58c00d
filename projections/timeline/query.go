package timeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Filter selects timeline entries of one customer.
type Filter struct {
	Customer uuid.UUID
	// Channels and Types keep entries with one of these values.
	Channels []string
	Types    []string
	// AsOf keeps what had happened by then (occurred_at ≤ AsOf).
	AsOf time.Time
	// KnownAt keeps what ledgerline had recorded by then.
	KnownAt time.Time
	// Limit caps the entries returned; 0 means all.
	Limit int
}

// Entry is one row of a customer's timeline.
type Entry struct {
	Position    uint64    `json:"position"`
	EventID     uuid.UUID `json:"event_id"`
	Stream      string    `json:"stream"`
	Version     uint64    `json:"version"`
	Type        string    `json:"type"`
	Channel     string    `json:"channel,omitempty"`
	Direction   string    `json:"direction,omitempty"`
	Summary     string    `json:"summary"`
	AmountMinor *int64    `json:"amount_minor,omitempty"`
	Currency    string    `json:"currency,omitempty"`
	Actor       string    `json:"actor"`
	OccurredAt  time.Time `json:"occurred_at"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// Query returns f.Customer's timeline in the order things happened.
func Query(ctx context.Context, q readmodel.Querier, f Filter) ([]Entry, error) {
	where, args := []string{"customer_id = $1"}, []any{f.Customer.String()}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if len(f.Channels) > 0 {
		where = append(where, "channel IN ("+list(f.Channels, arg)+")")
	}
	if len(f.Types) > 0 {
		where = append(where, "type IN ("+list(f.Types, arg)+")")
	}
	if !f.AsOf.IsZero() {
		where = append(where, "occurred_at <= "+arg(readmodel.Timestamp(f.AsOf)))
	}
	if !f.KnownAt.IsZero() {
		where = append(where, "recorded_at <= "+arg(readmodel.Timestamp(f.KnownAt)))
	}
	query := `SELECT position, event_id, stream, version, type, channel, direction, summary, amount_minor, currency,
		actor, occurred_at, recorded_at FROM timeline WHERE ` + strings.Join(where, " AND ") + ` ORDER BY occurred_at, position`
	if f.Limit > 0 {
		query += " LIMIT " + arg(f.Limit)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query timeline of %s: %w", f.Customer, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func list(vals []string, arg func(any) string) string {
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = arg(v)
	}
	return strings.Join(ph, ", ")
}

func scanEntry(rows readmodel.Rows) (Entry, error) {
	var e Entry
	var id string
	var pos, ver int64
	var channel, direction, currency sql.NullString
	var amount sql.NullInt64
	var occurred, recorded readmodel.Time
	err := rows.Scan(&pos, &id, &e.Stream, &ver, &e.Type, &channel, &direction, &e.Summary, &amount, &currency,
		&e.Actor, &occurred, &recorded)
	if err != nil {
		return e, fmt.Errorf("scan timeline: %w", err)
	}
	e.Position, e.Version = uint64(pos), uint64(ver)
	e.EventID, _ = uuid.Parse(id)
	e.Channel, e.Direction, e.Currency = channel.String, direction.String, currency.String
	if amount.Valid {
		e.AmountMinor = &amount.Int64
	}
	e.OccurredAt, e.RecordedAt = occurred.Time, recorded.Time
	return e, nil
}

// Customer is a row of the customers directory.
type Customer struct {
	ID           uuid.UUID `json:"customer_id"`
	Kind         string    `json:"kind"`
	DisplayName  string    `json:"display_name"`
	Source       string    `json:"source,omitempty"`
	SourceID     string    `json:"source_id,omitempty"`
	SampleIndex  string    `json:"sample_index,omitempty"`
	RegisteredAt time.Time `json:"registered_at"`
	Events       int64     `json:"events"`
	LastEventAt  time.Time `json:"last_event_at"`
	Forgotten    bool      `json:"forgotten"`
}

// Lookup errors.
var (
	// ErrCustomerNotFound means no customer has that id or source id.
	ErrCustomerNotFound = errors.New("customer not found")
	// ErrAmbiguous means a source id names customers of several sources.
	ErrAmbiguous = errors.New("source id names several customers")
)

// FindCustomer returns the customer ref names: a customer uuid, or a
// source id ("00042") that the customer was imported or registered with.
func FindCustomer(ctx context.Context, q readmodel.Querier, ref string) (Customer, error) {
	cond, arg := "source_id = $1", ref
	if id, err := uuid.Parse(ref); err == nil {
		cond, arg = "customer_id = $1", id.String()
	}
	rows, err := q.Query(ctx, `SELECT customer_id, kind, display_name, source, source_id, sample_index, registered_at,
		events, last_event_at, forgotten FROM customers WHERE `+cond+` LIMIT 2`, arg)
	if err != nil {
		return Customer{}, fmt.Errorf("find customer %q: %w", ref, err)
	}
	defer rows.Close()
	var found []Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return Customer{}, err
		}
		found = append(found, c)
	}
	switch {
	case rows.Err() != nil:
		return Customer{}, fmt.Errorf("find customer %q: %w", ref, rows.Err())
	case len(found) == 0:
		return Customer{}, fmt.Errorf("find customer %q: %w", ref, ErrCustomerNotFound)
	case len(found) > 1:
		return Customer{}, fmt.Errorf("find customer %q: %w: use the customer's uuid", ref, ErrAmbiguous)
	}
	return found[0], nil
}

func scanCustomer(rows readmodel.Rows) (Customer, error) {
	var c Customer
	var id string
	var registered, last readmodel.Time
	var forgotten any
	err := rows.Scan(&id, &c.Kind, &c.DisplayName, &c.Source, &c.SourceID, &c.SampleIndex, &registered,
		&c.Events, &last, &forgotten)
	if err != nil {
		return c, fmt.Errorf("scan customer: %w", err)
	}
	c.ID, _ = uuid.Parse(id)
	c.RegisteredAt, c.LastEventAt = registered.Time, last.Time
	c.Forgotten = forgotten == true || forgotten == int64(1)
	return c, nil
}
