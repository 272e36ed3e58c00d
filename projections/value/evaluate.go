package value

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/value/clv"
)

// DefaultHorizonWeeks is the horizon of the predictions of an Options
// that sets none: a year.
const DefaultHorizonWeeks = 52

// Options tune an evaluation.
type Options struct {
	// HorizonWeeks is how far ahead expected transactions and predicted
	// value look; 0 means DefaultHorizonWeeks.
	HorizonWeeks float64
}

func (o Options) withDefaults() Options {
	if o.HorizonWeeks <= 0 {
		o.HorizonWeeks = DefaultHorizonWeeks
	}
	return o
}

// Row is one customer's value in one currency as of a time. Money is in
// minor units of Currency.
type Row struct {
	AsOf       time.Time `json:"as_of"`
	CustomerID uuid.UUID `json:"customer_id"`
	Currency   string    `json:"currency"`
	Source     string    `json:"source,omitempty"`
	SourceID   string    `json:"source_id,omitempty"`

	Orders   int64 `json:"orders"`
	Gross    int64 `json:"gross_minor"`
	Discount int64 `json:"discount_minor"`
	Refunded int64 `json:"refunded_minor"`
	// Net is Gross − Discount − Refunded.
	Net int64 `json:"net_minor"`
	// Cost and Profit (Net − Cost) are nil unless every purchase's cost
	// is known.
	Cost         *int64 `json:"cost_minor"`
	Profit       *int64 `json:"profit_minor"`
	Unprofitable bool   `json:"unprofitable"`
	// AOV is the mean order total (after discounts, before refunds),
	// rounded half away from zero.
	AOV           int64     `json:"aov_minor"`
	FirstPurchase time.Time `json:"first_purchase_at"`
	LastPurchase  time.Time `json:"last_purchase_at"`

	// Rank is 1 for the highest net revenue in the currency; equal
	// revenues share a rank (1, 2, 2, 4). Percentile is the share of the
	// currency's other customers with a lower net revenue, 0 to 100.
	Rank       int64   `json:"revenue_rank"`
	Percentile float64 `json:"revenue_percentile"`

	// RecencyDays are the calendar days (UTC) from the last purchase to
	// the as-of date.
	RecencyDays int64   `json:"recency_days"`
	R           int     `json:"r_score"`
	F           int     `json:"f_score"`
	M           int     `json:"m_score"`
	Segment     Segment `json:"segment"`

	// X, TX, T and MeanSpend are the BG/NBD and Gamma-Gamma inputs as
	// of the as-of date (see clv.Customer): repeat purchase days,
	// recency and age in weeks, mean repeat-day spend in minor units.
	X         float64 `json:"x"`
	TX        float64 `json:"t_x"`
	T         float64 `json:"T"`
	MeanSpend float64 `json:"mean_spend_minor"`
	// HorizonWeeks is the horizon of ExpectedTransactions and
	// PredictedValue. The three are nil when the currency's model could
	// not be fitted.
	HorizonWeeks         float64  `json:"horizon_weeks"`
	ExpectedTransactions *float64 `json:"expected_transactions"`
	PAlive               *float64 `json:"p_alive"`
	PredictedValue       *float64 `json:"predicted_value_minor"`
}

// Model is what was fitted for one currency's customers.
type Model struct {
	Currency  string `json:"currency"`
	Customers int    `json:"customers"`
	// BGNBD is nil, and BGNBDError says why, when the fit failed (e.g.
	// too few customers, nobody bought twice).
	BGNBD      *clv.BGNBD `json:"bgnbd,omitempty"`
	BGNBDError string     `json:"bgnbd_error,omitempty"`
	// GammaGamma is nil, and GammaGammaError says why, when its fit
	// failed.
	GammaGamma      *clv.GammaGamma `json:"gamma_gamma,omitempty"`
	GammaGammaError string          `json:"gamma_gamma_error,omitempty"`
}

// Result is an evaluation as of a time.
type Result struct {
	AsOf         time.Time `json:"as_of"`
	HorizonWeeks float64   `json:"horizon_weeks"`
	// Rows are sorted by currency, rank, then customer id.
	Rows []Row `json:"rows"`
	// Models are sorted by currency.
	Models []Model `json:"models"`
}

// Evaluate computes every customer's value as of asOf from the facts in
// q. The same facts and asOf always give the same result.
func Evaluate(ctx context.Context, q readmodel.Querier, asOf time.Time, opts Options) (Result, error) {
	facts, err := Load(ctx, q, asOf)
	if err != nil {
		return Result{}, err
	}
	return Compute(ctx, facts, opts)
}

// Compute evaluates loaded facts: per currency, the revenue figures,
// ranks and RFM scores of every customer with a purchase, and the BG/NBD
// and Gamma-Gamma models fitted over them.
func Compute(ctx context.Context, facts Facts, opts Options) (Result, error) {
	opts = opts.withDefaults()
	res := Result{AsOf: facts.AsOf, HorizonWeeks: opts.HorizonWeeks}
	for _, group := range byCurrency(facts.Histories) {
		rows, model, err := evaluateCurrency(ctx, group, facts.AsOf, opts)
		if err != nil {
			return Result{}, err
		}
		res.Rows = append(res.Rows, rows...)
		res.Models = append(res.Models, model)
	}
	return res, nil
}

// byCurrency splits histories by currency, in currency order.
func byCurrency(hs []History) [][]History {
	groups := map[string][]History{}
	for _, h := range hs {
		groups[h.Currency] = append(groups[h.Currency], h)
	}
	keys := slices.Sorted(maps.Keys(groups))
	out := make([][]History, len(keys))
	for i, k := range keys {
		out[i] = groups[k]
	}
	return out
}

func evaluateCurrency(ctx context.Context, hs []History, asOf time.Time, opts Options) ([]Row, Model, error) {
	rows := make([]Row, len(hs))
	inputs := make([]clv.Customer, len(hs))
	for i, h := range hs {
		var err error
		if rows[i], inputs[i], err = basics(h, asOf, opts); err != nil {
			return nil, Model{}, err
		}
	}
	rank(rows)
	score(rows)
	model, err := fit(ctx, hs[0].Currency, inputs)
	if err != nil {
		return nil, Model{}, err
	}
	predict(rows, inputs, model, opts.HorizonWeeks)
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), compareUUID(a.CustomerID, b.CustomerID))
	})
	return rows, model, nil
}

// basics computes a row's revenue figures and the models' inputs.
func basics(h History, asOf time.Time, opts Options) (Row, clv.Customer, error) {
	r := Row{AsOf: asOf, CustomerID: h.Customer.ID, Currency: h.Currency, Source: h.Customer.Source,
		SourceID: h.Customer.SourceID, Orders: int64(len(h.Purchases)), HorizonWeeks: opts.HorizonWeeks}
	in := make([]clv.Purchase, len(h.Purchases))
	costKnown, cost := true, int64(0)
	for i, p := range h.Purchases {
		r.Gross, r.Discount, r.Refunded = r.Gross+p.Gross, r.Discount+p.Discount, r.Refunded+p.Refunded
		if p.Cost == nil {
			costKnown = false
		} else {
			cost += *p.Cost
		}
		in[i] = clv.Purchase{At: p.At, Amount: max(p.Net(), 0)}
	}
	r.Net = r.Gross - r.Discount - r.Refunded
	if costKnown {
		profit := r.Net - cost
		r.Cost, r.Profit, r.Unprofitable = &cost, &profit, profit < 0
	}
	r.AOV = roundDiv(r.Gross-r.Discount, r.Orders)
	r.FirstPurchase, r.LastPurchase = h.Purchases[0].At, h.Purchases[len(h.Purchases)-1].At
	r.RecencyDays = days(r.LastPurchase, asOf)
	c, err := clv.Summarize(h.Customer.ID.String(), in, asOf)
	if err != nil {
		return Row{}, clv.Customer{}, fmt.Errorf("evaluate value of %s: %w", h.Customer.ID, err)
	}
	r.X, r.TX, r.T, r.MeanSpend = c.X, c.TX, c.T, c.MeanSpend
	return r, c, nil
}

// roundDiv returns a/n rounded half away from zero; n > 0.
func roundDiv(a, n int64) int64 {
	if a < 0 {
		return -roundDiv(-a, n)
	}
	return (2*a + n) / (2 * n)
}

// days returns the calendar days (UTC) from from's date to to's.
func days(from, to time.Time) int64 {
	return dayNumber(to) - dayNumber(from)
}

func dayNumber(t time.Time) int64 {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// rank sets the competition rank and percentile by net revenue.
func rank(rows []Row) {
	nets := make([]int64, len(rows))
	for i, r := range rows {
		nets[i] = r.Net
	}
	sorted := slices.Clone(nets)
	slices.Sort(sorted)
	n := len(rows)
	for i := range rows {
		below, _ := slices.BinarySearch(sorted, nets[i])
		above := n - upperBound(sorted, nets[i])
		rows[i].Rank = int64(above + 1)
		rows[i].Percentile = 100
		if n > 1 {
			rows[i].Percentile = 100 * float64(below) / float64(n-1)
		}
	}
}

// upperBound returns how many of sorted are ≤ v.
func upperBound(sorted []int64, v int64) int {
	i, _ := slices.BinarySearchFunc(sorted, v, func(e, t int64) int {
		if e <= t {
			return -1
		}
		return 1
	})
	return i
}

// score sets the RFM scores and segment: recency by days since the last
// purchase (fewer is better), frequency by orders, monetary by net
// revenue, each in quintiles of the currency's customers.
func score(rows []Row) {
	recency, frequency, monetary := make([]int64, len(rows)), make([]int64, len(rows)), make([]int64, len(rows))
	for i, r := range rows {
		recency[i], frequency[i], monetary[i] = -r.RecencyDays, r.Orders, r.Net
	}
	rs, fs, ms := Quintiles(recency), Quintiles(frequency), Quintiles(monetary)
	for i := range rows {
		rows[i].R, rows[i].F, rows[i].M = rs[i], fs[i], ms[i]
		rows[i].Segment = SegmentOf(rs[i], fs[i], ms[i])
	}
}
