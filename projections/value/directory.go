package value

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Customer is a customer as the value facts know it.
type Customer struct {
	ID uuid.UUID `json:"customer_id"`
	// Source and SourceID name the record the customer was imported
	// from, e.g. "cdnow" and "00004"; empty if none.
	Source   string `json:"source,omitempty"`
	SourceID string `json:"source_id,omitempty"`
	// RegisteredAt is the business time of the registration.
	RegisteredAt time.Time `json:"registered_at"`
	// MergedInto is the customer this one was merged into, if any.
	MergedInto uuid.UUID `json:"merged_into,omitzero"`
	// Forgotten is true once the customer was erased.
	Forgotten bool `json:"forgotten,omitempty"`
}

// Directory is every customer the value facts know, by id.
type Directory map[uuid.UUID]Customer

// maxMerges bounds how many merges Resolve follows.
const maxMerges = 64

// Resolve returns the customer that id's facts count for: id itself, or
// the customer it was merged into (following merges of merges). It
// returns false when id or that customer was forgotten: an erased
// customer is out of value and churn analytics. An id the directory does
// not know resolves to itself.
func (d Directory) Resolve(id uuid.UUID) (Customer, bool) {
	c, ok := d[id]
	if !ok {
		return Customer{ID: id}, true
	}
	for range maxMerges {
		if c.Forgotten {
			return Customer{}, false
		}
		next, ok := d[c.MergedInto]
		if c.MergedInto == uuid.Nil || !ok {
			return c, true
		}
		c = next
	}
	return c, !c.Forgotten
}

// LoadDirectory reads the value_customers table.
func LoadDirectory(ctx context.Context, q readmodel.Querier) (Directory, error) {
	rows, err := q.Query(ctx, `SELECT customer_id, source, source_id, registered_at, merged_into, forgotten_at FROM value_customers`)
	if err != nil {
		return nil, fmt.Errorf("read value customers: %w", err)
	}
	defer rows.Close()
	d := Directory{}
	for rows.Next() {
		var id string
		var merged sql.NullString
		var registered, forgotten readmodel.Time
		var c Customer
		if err := rows.Scan(&id, &c.Source, &c.SourceID, &registered, &merged, &forgotten); err != nil {
			return nil, fmt.Errorf("scan value customer: %w", err)
		}
		if c.ID, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("scan value customer %q: %w", id, err)
		}
		c.MergedInto, _ = uuid.Parse(merged.String)
		c.RegisteredAt, c.Forgotten = registered.Time, !forgotten.IsZero()
		d[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read value customers: %w", err)
	}
	return d, nil
}
