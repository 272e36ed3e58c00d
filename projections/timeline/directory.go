package timeline

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
)

// registration is the part of a registration event the directory keeps.
type registration struct {
	Kind, Name, Source, SourceID string
	SampleIndex                  int
}

// directory keeps the customers table: a row per registered customer, its
// name blanked once forgotten. Registrations are inserted a few dozen at a
// time ([batch.Insert]: one statement per row costs a round trip each on
// PostgreSQL); pending ones are written before anything that may touch
// their rows: a forgetting, and the batch's activity. Of two
// registrations of one customer, the first stays.
type directory struct {
	pending *batch.Insert
}

func newDirectory() *directory {
	return &directory{pending: batch.NewInsert("customers", customerColumns[:7], "ON CONFLICT (customer_id) DO NOTHING")}
}

func (d *directory) add(ctx context.Context, tx readmodel.Tx, e projections.Event, en entry) error {
	var err error
	switch e.Type {
	case "customer.registered":
		var r registration
		if r, err = registrationOf(e); err != nil {
			return err
		}
		err = d.pending.Add(ctx, tx, en.customer, r.Kind, r.Name, r.Source, r.SourceID, sampleIndex(r.SampleIndex), e.OccurredAt)
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

// flush inserts the pending registrations.
func (d *directory) flush(ctx context.Context, tx readmodel.Tx) error {
	return d.pending.Flush(ctx, tx)
}

// registrationOf returns the registration e is; an error, marked
// [projections.ErrPermanent], if it is unreadable.
func registrationOf(e projections.Event) (registration, error) {
	p, err := e.Payload()
	if err != nil {
		return registration{}, fmt.Errorf("%w: registration %s: %w", projections.ErrPermanent, e.ID, err)
	}
	r, ok := p.(customer.Registered)
	if !ok {
		return registration{}, fmt.Errorf("%w: registration %s: the payload is a %T", projections.ErrPermanent, e.ID, p)
	}
	return registration{Kind: string(r.Kind), Name: r.Name, Source: r.SourceSystem, SourceID: r.SourceID, SampleIndex: r.SampleIndex}, nil
}

func sampleIndex(i int) string {
	if i == 0 {
		return ""
	}
	return strconv.Itoa(i)
}
