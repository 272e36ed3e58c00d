package timeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

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

// directory keeps the customers table: a row per registered customer, its
// name blanked once forgotten.
func directory(ctx context.Context, tx readmodel.Tx, e projections.Event, en entry) error {
	var err error
	switch e.Type {
	case "customer.registered":
		var r registration
		if err = json.Unmarshal(e.Data, &r); err != nil {
			return fmt.Errorf("%w: registration %s: %w", projections.ErrPermanent, e.ID, err)
		}
		err = tx.Exec(ctx, `INSERT INTO customers (customer_id, kind, display_name, source, source_id, sample_index, registered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (customer_id) DO NOTHING`,
			en.customer.String(), r.Kind, r.Name, r.Source, r.SourceID, sampleIndex(r.SampleIndex), readmodel.Timestamp(e.OccurredAt))
	case "customer.forgotten":
		err = tx.Exec(ctx, `UPDATE customers SET forgotten = TRUE, display_name = '' WHERE customer_id = $1`, en.customer.String())
	}
	if err != nil {
		return fmt.Errorf("customer directory for %s: %w", e.ID, err)
	}
	return nil
}

func sampleIndex(i int) string {
	if i == 0 {
		return ""
	}
	return strconv.Itoa(i)
}
