package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ledgerline/ledgerline/domain/money"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/timeline"
	"github.com/ledgerline/ledgerline/projections/value"
)

// asOfHelp explains --as-of for the value commands.
const asOfHelp = `TIME is RFC 3339 (1997-09-30T12:00:00Z) or a date (1997-09-30, meaning the end of that
day, UTC). Without --as-of the evaluation is as of the last purchase in the data, and the
output says so. Nothing reads the clock: the same --as-of always gives the same figures.
The evaluation is also stored in the customer_value and value_models tables for SQL.`

// valueFlags are the flags of every value command.
type valueFlags struct {
	asOf    string
	horizon float64
}

func (f *valueFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.asOf, "as-of", "", "evaluate as of TIME (default: the last purchase in the data)")
	cmd.Flags().Float64Var(&f.horizon, "horizon", value.DefaultHorizonWeeks, "weeks ahead for expected purchases and predicted value")
}

func newValue(opts *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "value",
		Short: "Customer value: revenue, profit, rank, RFM segment and predicted value as of a time",
	}
	cmd.AddCommand(newValueTop(opts), newValueShow(opts), newValueExport(opts))
	return cmd
}

// valuation is an evaluation with how its as-of was chosen.
type valuation struct {
	value.Result
	// AsOfDefault is true when the as-of is the last purchase in the
	// data, not --as-of.
	AsOfDefault bool `json:"as_of_default"`
}

// note is the line that says how the as-of was chosen.
func (v valuation) note() string {
	at := v.AsOf.Format(time.RFC3339Nano)
	if v.AsOfDefault {
		return fmt.Sprintf("as of %s: the last purchase in the data (no --as-of given)", at)
	}
	return "as of " + at
}

// evaluateValue brings the read models up to date and evaluates (and
// stores) customer value as f says.
func evaluateValue(ctx context.Context, b *backend, f valueFlags) (valuation, error) {
	asOf, err := parseTime("as-of", f.asOf)
	if err != nil {
		return valuation{}, err
	}
	if f.horizon <= 0 {
		return valuation{}, usageError(fmt.Errorf("--horizon %g: want a positive number of weeks", f.horizon))
	}
	if err := b.catchUp(ctx); err != nil {
		return valuation{}, err
	}
	v := valuation{AsOfDefault: asOf.IsZero()}
	if v.AsOfDefault {
		last, ok, err := value.LastPurchase(ctx, b.models)
		if err != nil {
			return valuation{}, err
		}
		if !ok {
			return valuation{}, usageError(errors.New("no purchases in the store: nothing to evaluate (import some, e.g. ledgerline import cdnow FILE)"))
		}
		asOf = last
	}
	v.Result, err = value.Materialize(ctx, b.models, asOf, value.Options{HorizonWeeks: f.horizon})
	return v, err
}

// withBackend opens the backend, runs fn and closes it.
func withBackend(cmd *cobra.Command, opts *options, fn func(context.Context, *backend) error) error {
	b, err := opts.open(cmd.Context(), opts.logger(cmd.ErrOrStderr()))
	if err != nil {
		return err
	}
	defer b.Close()
	return fn(cmd.Context(), b)
}

func newValueTop(opts *options) *cobra.Command {
	var f valueFlags
	var limit int
	var currency string
	var asCSV bool
	cmd := &cobra.Command{
		Use:   "top",
		Short: "List the customers with the highest net revenue, per currency",
		Long: `List the customers with the highest net revenue (after discounts and refunds), per
currency, with orders, profit where costs are known, RFM scores and segment, the BG/NBD
inputs (x, t_x, T in weeks), P(alive), expected purchases and predicted value.

` + asOfHelp,
		Example: "  ledgerline value top\n  ledgerline value top --as-of 1997-09-30 --limit 5 --json\n  ledgerline value top --currency USD --csv > top.csv",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asCSV && opts.json {
				return usageError(errors.New("--csv and --json: choose one"))
			}
			return withBackend(cmd, opts, func(ctx context.Context, b *backend) error {
				v, err := evaluateValue(ctx, b, f)
				if err != nil {
					return err
				}
				v.Rows = topRows(v.Rows, currency, limit)
				return printTop(cmd.OutOrStdout(), v, opts.json, asCSV)
			})
		},
	}
	f.register(cmd)
	cmd.Flags().IntVar(&limit, "limit", 20, "at most this many customers per currency (0: all)")
	cmd.Flags().StringVar(&currency, "currency", "", "only this currency (e.g. USD)")
	cmd.Flags().BoolVar(&asCSV, "csv", false, "print CSV (the columns of value export)")
	return cmd
}

// topRows keeps the first limit rows of each currency (rows come sorted
// by currency and rank), of one currency if named.
func topRows(rows []value.Row, currency string, limit int) []value.Row {
	var out []value.Row
	seen := map[string]int{}
	for _, r := range rows {
		if currency != "" && !strings.EqualFold(r.Currency, currency) {
			continue
		}
		if limit > 0 && seen[r.Currency] >= limit {
			continue
		}
		seen[r.Currency]++
		out = append(out, r)
	}
	return out
}

func printTop(w io.Writer, v valuation, asJSON, asCSV bool) error {
	switch {
	case asJSON:
		return printJSON(w, v)
	case asCSV:
		return value.WriteCSV(w, v.Rows)
	}
	fmt.Fprintf(w, "Customer value %s\n", v.note())
	printModels(w, v.Models)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "RANK\tSOURCE ID\tCURRENCY\tNET\tORDERS\tPROFIT\tRFM\tSEGMENT\tx\tt_x\tT\tP(ALIVE)\tE[PURCHASES %gw]\tPREDICTED\n", v.HorizonWeeks)
	for _, r := range v.Rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%d%d%d\t%s\t%g\t%.2f\t%.2f\t%s\t%s\t%s\n", r.Rank, dash(r.SourceID),
			r.Currency, amountOf(r.Net, r.Currency), r.Orders, optionalAmount(r.Profit, r.Currency), r.R, r.F, r.M,
			r.Segment, r.X, r.TX, r.T, optionalFloat(r.PAlive, "%.2f"), optionalFloat(r.ExpectedTransactions, "%.2f"),
			predicted(r))
	}
	return tw.Flush()
}

// printModels says what was fitted per currency.
func printModels(w io.Writer, models []value.Model) {
	for _, m := range models {
		fmt.Fprintf(w, "%s: %d customers; ", m.Currency, m.Customers)
		if b := m.BGNBD; b != nil {
			fmt.Fprintf(w, "BG/NBD r=%.4f α=%.4f a=%.4f b=%.4f", b.R, b.Alpha, b.A, b.B)
		} else {
			fmt.Fprintf(w, "BG/NBD not fitted (%s)", m.BGNBDError)
		}
		if g := m.GammaGamma; g != nil {
			fmt.Fprintf(w, "; Gamma-Gamma p=%.2f q=%.2f v=%.2f on %d repeat buyers\n", g.P, g.Q, g.V, g.Customers)
		} else {
			fmt.Fprintf(w, "; Gamma-Gamma not fitted (%s)\n", m.GammaGammaError)
		}
	}
	fmt.Fprintln(w)
}

func amountOf(minor int64, currency string) string {
	s := money.New(minor, money.Currency(currency)).String()
	return strings.TrimSuffix(s, " "+currency)
}

func optionalAmount(minor *int64, currency string) string {
	if minor == nil {
		return "-"
	}
	return amountOf(*minor, currency)
}

func optionalFloat(v *float64, format string) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf(format, *v)
}

func predicted(r value.Row) string {
	if r.PredictedValue == nil {
		return "-"
	}
	return amountOf(int64(*r.PredictedValue+0.5), r.Currency)
}

func newValueShow(opts *options) *cobra.Command {
	var f valueFlags
	cmd := &cobra.Command{
		Use:   "show CUSTOMER",
		Short: "Show one customer's value, scores and predictions",
		Long: `Show one customer's value in each currency they bought in: revenue, discounts, refunds,
cost and profit, rank and percentile, RFM scores and segment, the BG/NBD inputs and the
predictions. CUSTOMER is the customer's uuid or the id a source system knows it by.

` + asOfHelp,
		Example: "  ledgerline value show 00004 --as-of 1997-09-30\n  ledgerline value show 00004 --json",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withBackend(cmd, opts, func(ctx context.Context, b *backend) error {
				return runValueShow(cmd, opts, b, a[0], f)
			})
		},
	}
	f.register(cmd)
	return cmd
}

func runValueShow(cmd *cobra.Command, opts *options, b *backend, ref string, f valueFlags) error {
	v, err := evaluateValue(cmd.Context(), b, f)
	if err != nil {
		return err
	}
	c, err := findCustomer(cmd.Context(), b.models, ref)
	if err != nil {
		return err
	}
	var rows []value.Row
	for _, r := range v.Rows {
		if r.CustomerID == c.ID {
			rows = append(rows, r)
		}
	}
	if opts.json {
		return printJSON(cmd.OutOrStdout(), struct {
			Customer    timeline.Customer `json:"customer"`
			AsOf        time.Time         `json:"as_of"`
			AsOfDefault bool              `json:"as_of_default"`
			Rows        []value.Row       `json:"rows"`
			Models      []value.Model     `json:"models"`
		}{c, v.AsOf, v.AsOfDefault, rows, v.Models})
	}
	return printValueShow(cmd.OutOrStdout(), v, c, rows)
}

// findCustomer looks a customer up in the directory; an unknown or
// ambiguous reference is a usage error.
func findCustomer(ctx context.Context, q readmodel.Querier, ref string) (timeline.Customer, error) {
	c, err := timeline.FindCustomer(ctx, q, ref)
	if errors.Is(err, timeline.ErrCustomerNotFound) || errors.Is(err, timeline.ErrAmbiguous) {
		return c, usageError(err)
	}
	return c, err
}

func customerLine(w io.Writer, c timeline.Customer) {
	fmt.Fprintf(w, "Customer %s", c.ID)
	if c.SourceID != "" {
		fmt.Fprintf(w, "  [%s %s]", c.Source, c.SourceID)
	}
	if c.Forgotten {
		fmt.Fprint(w, "  (forgotten)")
	}
	fmt.Fprintln(w)
}

func printValueShow(w io.Writer, v valuation, c timeline.Customer, rows []value.Row) error {
	customerLine(w, c)
	fmt.Fprintln(w, v.note())
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "\nNo purchases by then (or the customer was forgotten or merged into another).")
		return err
	}
	counts := map[string]int{}
	for _, r := range v.Rows {
		counts[r.Currency]++
	}
	for _, r := range rows {
		if err := printValueRow(w, r, counts[r.Currency]); err != nil {
			return err
		}
	}
	return nil
}

func printValueRow(w io.Writer, r value.Row, customers int) error {
	cur := r.Currency
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\n%s\n", cur)
	fmt.Fprintf(tw, "  orders\t%d, average %s\n", r.Orders, amountOf(r.AOV, cur))
	fmt.Fprintf(tw, "  net revenue\t%s (gross %s, discounts %s, refunds %s)\n", amountOf(r.Net, cur), amountOf(r.Gross, cur),
		amountOf(r.Discount, cur), amountOf(r.Refunded, cur))
	fmt.Fprintf(tw, "  cost, profit\t%s, %s%s\n", optionalAmount(r.Cost, cur), optionalAmount(r.Profit, cur), unprofitable(r))
	fmt.Fprintf(tw, "  first, last purchase\t%s, %s (%d days before)\n", r.FirstPurchase.Format(time.DateOnly),
		r.LastPurchase.Format(time.DateOnly), r.RecencyDays)
	fmt.Fprintf(tw, "  rank\t%d of %d (percentile %.1f)\n", r.Rank, customers, r.Percentile)
	fmt.Fprintf(tw, "  RFM\tR%d F%d M%d: %s\n", r.R, r.F, r.M, r.Segment)
	fmt.Fprintf(tw, "  BG/NBD inputs\tx = %g, t_x = %.2f, T = %.2f weeks\n", r.X, r.TX, r.T)
	fmt.Fprintf(tw, "  P(alive)\t%s%s\n", optionalFloat(r.PAlive, "%.3f"), oneTime(r))
	fmt.Fprintf(tw, "  expected purchases\t%s in %g weeks\n", optionalFloat(r.ExpectedTransactions, "%.3f"), r.HorizonWeeks)
	fmt.Fprintf(tw, "  predicted value\t%s\n", predicted(r))
	return tw.Flush()
}

func unprofitable(r value.Row) string {
	if r.Unprofitable {
		return "  UNPROFITABLE"
	}
	return ""
}

func oneTime(r value.Row) string {
	if r.X == 0 && r.PAlive != nil {
		return " (1 by the model's construction for a one-time buyer: not a sign of safety)"
	}
	return ""
}

func newValueExport(opts *options) *cobra.Command {
	var f valueFlags
	var out string
	var asCSV bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export every customer's value as CSV (default) or JSON",
		Long: `Export every customer's value row: the customer's source id, the BG/NBD inputs x, t_x and
T (weeks) next to the RFM scores, then revenue, profit, rank and predictions. Money is in
minor units. CSV by default; --json writes the full evaluation with the fitted models.

` + asOfHelp,
		Example: "  ledgerline value export --as-of 1997-09-30 --out value.csv\n  ledgerline value export --json --out value.json",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asCSV && opts.json {
				return usageError(errors.New("--csv and --json: choose one"))
			}
			return withBackend(cmd, opts, func(ctx context.Context, b *backend) error {
				v, err := evaluateValue(ctx, b, f)
				if err != nil {
					return err
				}
				return export(cmd, out, v, opts.json)
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&out, "out", "", "write to this file (default: standard output)")
	cmd.Flags().BoolVar(&asCSV, "csv", false, "write CSV (the default)")
	return cmd
}

func export(cmd *cobra.Command, out string, v valuation, asJSON bool) error {
	if out == "" {
		return writeExport(cmd.OutOrStdout(), v, asJSON)
	}
	f, err := os.Create(out)
	if err != nil {
		return usageError(fmt.Errorf("create %s: %w", out, err))
	}
	if err := errors.Join(writeExport(f, v, asJSON), f.Close()); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d customers to %s (%s)\n", len(v.Rows), out, v.note())
	return nil
}

func writeExport(w io.Writer, v valuation, asJSON bool) error {
	if asJSON {
		return printJSON(w, v)
	}
	return value.WriteCSV(w, v.Rows)
}
