package timeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// registration is the part of a registration event the directory keeps.
type registration struct {
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Source      string `json:"source_system"`
	SourceID    string `json:"source_id"`
	SampleIndex int    `json:"sample_index"`
}

// registrationsPerInsert is how many directory rows one INSERT carries.
const registrationsPerInsert = 64

// registrationColumns is the number of values of a directory row.
const registrationColumns = 7

// directory keeps the customers table: a row per registered customer, its
// name blanked once forgotten. Registrations are inserted
// registrationsPerInsert at a time (one statement per row costs a round
// trip each on PostgreSQL); pending ones are written before anything that
// may touch their rows: a forgetting, and the batch's activity.
type directory struct {
	args []any
}

func newDirectory() *directory {
	return &directory{args: make([]any, 0, registrationsPerInsert*registrationColumns)}
}

func (d *directory) add(ctx context.Context, tx readmodel.Tx, e projections.Event, en entry) error {
	var err error
	switch e.Type {
	case "customer.registered":
		var r registration
		if err = json.Unmarshal(e.Data, &r); err != nil {
			return fmt.Errorf("%w: registration %s: %w", projections.ErrPermanent, e.ID, err)
		}
		d.args = append(d.args, en.customer.String(), r.Kind, r.Name, r.Source, r.SourceID, sampleIndex(r.SampleIndex),
			readmodel.Timestamp(e.OccurredAt))
		if len(d.args) == cap(d.args) {
			err = d.flush(ctx, tx)
		}
	case "customer.forgotten":
		if err = d.flush(ctx, tx); err == nil {
			err = tx.Exec(ctx, `UPDATE customers SET forgotten = TRUE, display_name = '' WHERE customer_id = $1`, en.customer.String())
		}
	}
	if err != nil {
		return fmt.Errorf("customer directory for %s: %w", e.ID, err)
	}
	return nil
}

// flush inserts the pending registrations; of two for one customer, the
// first stays.
func (d *directory) flush(ctx context.Context, tx readmodel.Tx) error {
	if len(d.args) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO customers (customer_id, kind, display_name, source, source_id, sample_index, registered_at) VALUES `)
	for i := range len(d.args) / registrationColumns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for c := range registrationColumns {
			if c > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", i*registrationColumns+c+1)
		}
		b.WriteString(")")
	}
	b.WriteString(` ON CONFLICT (customer_id) DO NOTHING`)
	err := tx.Exec(ctx, b.String(), d.args...)
	d.args = d.args[:0]
	return err
}

func sampleIndex(i int) string {
	if i == 0 {
		return ""
	}
	return strconv.Itoa(i)
}
