package churn

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
	"github.com/ledgerline/ledgerline/projections/value/snapshot"
)

// Materialize evaluates as of asOf and stores the result in churn_signals
// and churn_reasons, replacing the rows of the same as_of in one
// transaction at the churn projection's checkpoint. In the same
// transaction it removes the rows of customers forgotten since from every
// as_of. It creates the tables if needed.
func Materialize(ctx context.Context, store readmodel.Store, asOf time.Time, opts Options) (Result, error) {
	if err := store.Migrate(ctx, Schema(store.Dialect())); err != nil {
		return Result{}, fmt.Errorf("materialize churn signals: %w", err)
	}
	var res Result
	evaluate := func(ctx context.Context, q readmodel.Querier) error {
		var err error
		res, err = Evaluate(ctx, q, asOf, opts)
		return err
	}
	write := func(ctx context.Context, tx readmodel.Tx, _ uint64) error { return writeResult(ctx, tx, res) }
	if err := snapshot.Replace(ctx, store, Name, evaluate, write); err != nil {
		return Result{}, fmt.Errorf("materialize churn signals as of %s: %w", asOf.Format(time.RFC3339), err)
	}
	return res, nil
}

func writeResult(ctx context.Context, tx readmodel.Tx, res Result) error {
	asOf := readmodel.Timestamp(res.AsOf)
	if err := clearAsOf(ctx, tx, asOf); err != nil {
		return err
	}
	signals := batch.NewInsert("churn_signals", []string{"as_of", "customer_id", "source", "source_id", "score",
		"top_reason", "reasons"}, "")
	reasons := batch.NewInsert("churn_reasons", []string{"as_of", "customer_id", "code", "weight", "detail", "event_ids"}, "")
	for _, s := range res.Signals {
		if err := signals.Add(ctx, tx, asOf, s.CustomerID.String(), s.Source, s.SourceID, s.Score,
			nullCode(s.TopReason), len(s.Reasons)); err != nil {
			return err
		}
		for _, r := range s.Reasons {
			if err := reasons.Add(ctx, tx, asOf, s.CustomerID.String(), string(r.Code), r.Weight, r.Detail, eventIDs(r)); err != nil {
				return err
			}
		}
	}
	if err := signals.Flush(ctx, tx); err != nil {
		return err
	}
	return reasons.Flush(ctx, tx)
}

// clearAsOf deletes the rows of asOf, and of forgotten customers at any
// as_of.
func clearAsOf(ctx context.Context, tx readmodel.Tx, asOf any) error {
	for _, table := range []string{"churn_signals", "churn_reasons"} {
		if err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE as_of = $1`, asOf); err != nil {
			return err
		}
		if err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE customer_id IN
			(SELECT customer_id FROM value_customers WHERE forgotten_at IS NOT NULL)`); err != nil {
			return err
		}
	}
	return nil
}

// eventIDs returns r's event ids as a JSON array.
func eventIDs(r Reason) string {
	ids := make([]string, len(r.EventIDs))
	for i, id := range r.EventIDs {
		ids[i] = `"` + id.String() + `"`
	}
	return "[" + strings.Join(ids, ",") + "]"
}

func nullCode(c Code) any {
	if c == "" {
		return nil
	}
	return string(c)
}
