package value

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// CSVHeader is the header row of [WriteCSV]: the customer's ids, the
// BG/NBD inputs x, t_x and T (weeks), the RFM scores and segment, then the
// revenue figures and the model outputs. Money is in minor units.
var CSVHeader = []string{"as_of", "customer_id", "source", "source_id", "currency", "x", "t_x", "T",
	"r_score", "f_score", "m_score", "segment", "recency_days", "orders", "gross_minor", "discount_minor",
	"refunded_minor", "net_minor", "cost_minor", "profit_minor", "unprofitable", "aov_minor", "first_purchase_at",
	"last_purchase_at", "revenue_rank", "revenue_percentile", "mean_spend_minor", "horizon_weeks",
	"expected_transactions", "p_alive", "predicted_value_minor"}

// WriteCSV writes rows as CSV under [CSVHeader]. Instants are RFC 3339 in
// UTC, numbers are exact (the shortest text that reads back as the same
// float64), and an unknown value is an empty field.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write value csv: %w", err)
	}
	for _, r := range rows {
		if err := cw.Write(r.record()); err != nil {
			return fmt.Errorf("write value csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write value csv: %w", err)
	}
	return nil
}

func (r Row) record() []string {
	i := strconv.FormatInt
	return []string{instant(r.AsOf), r.CustomerID.String(), r.Source, r.SourceID, r.Currency,
		float(r.X), float(r.TX), float(r.T), strconv.Itoa(r.R), strconv.Itoa(r.F), strconv.Itoa(r.M), string(r.Segment),
		i(r.RecencyDays, 10), i(r.Orders, 10), i(r.Gross, 10), i(r.Discount, 10), i(r.Refunded, 10), i(r.Net, 10),
		optional(r.Cost, func(v int64) string { return i(v, 10) }), optional(r.Profit, func(v int64) string { return i(v, 10) }),
		strconv.FormatBool(r.Unprofitable), i(r.AOV, 10), instant(r.FirstPurchase), instant(r.LastPurchase),
		i(r.Rank, 10), float(r.Percentile), float(r.MeanSpend), float(r.HorizonWeeks),
		optional(r.ExpectedTransactions, float), optional(r.PAlive, float), optional(r.PredictedValue, float)}
}

func instant(t time.Time) string { return t.UTC().Format(readmodel.TimeLayout) }

func float(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optional[T any](p *T, format func(T) string) string {
	if p == nil {
		return ""
	}
	return format(*p)
}
