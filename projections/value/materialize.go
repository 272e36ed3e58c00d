package value

import (
	"context"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
	"github.com/ledgerline/ledgerline/projections/value/snapshot"
)

// Materialize evaluates as of asOf and stores the result in the
// customer_value and value_models tables, replacing the rows of the same
// as_of in one transaction, consistent with the position of the value
// projection it reflects (value_models.log_position). In the same
// transaction it removes the rows of customers forgotten since from every
// as_of. It creates the tables if needed.
func Materialize(ctx context.Context, store readmodel.Store, asOf time.Time, opts Options) (Result, error) {
	if err := store.Migrate(ctx, Schema(store.Dialect())); err != nil {
		return Result{}, fmt.Errorf("materialize customer value: %w", err)
	}
	var res Result
	evaluate := func(ctx context.Context, q readmodel.Querier) error {
		var err error
		res, err = Evaluate(ctx, q, asOf, opts)
		return err
	}
	write := func(ctx context.Context, tx readmodel.Tx, position uint64) error {
		return writeResult(ctx, tx, res, position)
	}
	if err := snapshot.Replace(ctx, store, Name, evaluate, write); err != nil {
		return Result{}, fmt.Errorf("materialize customer value as of %s: %w", asOf.Format(time.RFC3339), err)
	}
	return res, nil
}

var (
	valueColumns = []string{"as_of", "customer_id", "currency", "source", "source_id", "orders", "gross_minor",
		"discount_minor", "refunded_minor", "net_minor", "cost_minor", "profit_minor", "unprofitable", "aov_minor",
		"first_purchase_at", "last_purchase_at", "revenue_rank", "revenue_percentile", "recency_days", "r_score",
		"f_score", "m_score", "segment", "bgnbd_x", "bgnbd_t_x", "bgnbd_t", "mean_spend_minor", "horizon_weeks",
		"expected_transactions", "p_alive", "predicted_value_minor"}
	modelColumns = []string{"as_of", "currency", "log_position", "customers", "bgnbd_r", "bgnbd_alpha", "bgnbd_a",
		"bgnbd_b", "bgnbd_log_likelihood", "bgnbd_error", "gg_p", "gg_q", "gg_v", "gg_customers", "gg_log_likelihood",
		"gg_error"}
)

func writeResult(ctx context.Context, tx readmodel.Tx, res Result, position uint64) error {
	asOf := readmodel.Timestamp(res.AsOf)
	if err := clearAsOf(ctx, tx, asOf); err != nil {
		return err
	}
	rows := batch.NewInsert("customer_value", valueColumns, "")
	for _, r := range res.Rows {
		if err := rows.Add(ctx, tx, r.values()...); err != nil {
			return err
		}
	}
	models := batch.NewInsert("value_models", modelColumns, "")
	for _, m := range res.Models {
		if err := models.Add(ctx, tx, m.values(asOf, position)...); err != nil {
			return err
		}
	}
	if err := rows.Flush(ctx, tx); err != nil {
		return err
	}
	return models.Flush(ctx, tx)
}

// clearAsOf deletes the rows of asOf, and the rows of forgotten customers
// at any as_of.
func clearAsOf(ctx context.Context, tx readmodel.Tx, asOf any) error {
	for _, st := range []string{
		`DELETE FROM customer_value WHERE as_of = $1`,
		`DELETE FROM value_models WHERE as_of = $1`,
	} {
		if err := tx.Exec(ctx, st, asOf); err != nil {
			return err
		}
	}
	return tx.Exec(ctx, `DELETE FROM customer_value WHERE customer_id IN
		(SELECT customer_id FROM value_customers WHERE forgotten_at IS NOT NULL)`)
}

// values returns r's columns in valueColumns' order.
func (r Row) values() []any {
	return []any{readmodel.Timestamp(r.AsOf), r.CustomerID.String(), r.Currency, r.Source, r.SourceID, r.Orders,
		r.Gross, r.Discount, r.Refunded, r.Net, nullable(r.Cost), nullable(r.Profit), r.Unprofitable, r.AOV,
		readmodel.Timestamp(r.FirstPurchase), readmodel.Timestamp(r.LastPurchase), r.Rank, r.Percentile,
		r.RecencyDays, r.R, r.F, r.M, string(r.Segment), r.X, r.TX, r.T, r.MeanSpend, r.HorizonWeeks,
		nullable(r.ExpectedTransactions), nullable(r.PAlive), nullable(r.PredictedValue)}
}

// values returns m's columns in modelColumns' order.
func (m Model) values(asOf any, position uint64) []any {
	v := []any{asOf, m.Currency, int64(position), m.Customers, nil, nil, nil, nil, nil, nullString(m.BGNBDError),
		nil, nil, nil, nil, nil, nullString(m.GammaGammaError)}
	if b := m.BGNBD; b != nil {
		v[4], v[5], v[6], v[7], v[8] = b.R, b.Alpha, b.A, b.B, b.LogLikelihood
	}
	if g := m.GammaGamma; g != nil {
		v[10], v[11], v[12], v[13], v[14] = g.P, g.Q, g.V, g.Customers, g.LogLikelihood
	}
	return v
}

// nullable returns *p, or nil for NULL.
func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
