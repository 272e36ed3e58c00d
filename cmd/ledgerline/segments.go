package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ledgerline/ledgerline/projections/value"
)

func newSegments(opts *options) *cobra.Command {
	var f valueFlags
	cmd := &cobra.Command{
		Use:   "segments",
		Short: "Count customers and revenue per RFM segment",
		Long: `Count the customers of each RFM segment (Champions, Loyal, Potential loyalist, New,
Promising, Need attention, About to sleep, At risk, Can't lose, Hibernating, Lost) and
sum their net revenue, per currency. Recency, frequency (orders) and monetary value
(net revenue) are scored 1 to 5 in quintiles of the currency's customers; the segment
follows from R and the mean of F and M (see go doc ledgerline/projections/value).

` + asOfHelp,
		Example: "  ledgerline segments --as-of 1997-09-30\n  ledgerline segments --json",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withBackend(cmd, opts, func(ctx context.Context, b *backend) error {
				v, err := evaluateValue(ctx, b, f)
				if err != nil {
					return err
				}
				rep := segmentReport{AsOf: v.AsOf, AsOfDefault: v.AsOfDefault, Currencies: tally(v.Rows)}
				if opts.json {
					return printJSON(cmd.OutOrStdout(), rep)
				}
				return printSegments(cmd.OutOrStdout(), v, rep)
			})
		},
	}
	f.register(cmd)
	return cmd
}

// segmentReport is segments' JSON output.
type segmentReport struct {
	AsOf        time.Time          `json:"as_of"`
	AsOfDefault bool               `json:"as_of_default"`
	Currencies  []currencySegments `json:"currencies"`
}

// currencySegments are one currency's segments, in value.Segments order.
type currencySegments struct {
	Currency  string         `json:"currency"`
	Customers int            `json:"customers"`
	NetMinor  int64          `json:"net_minor"`
	Segments  []segmentTally `json:"segments"`
}

// segmentTally is one segment's count and revenue.
type segmentTally struct {
	Segment   value.Segment `json:"segment"`
	Customers int           `json:"customers"`
	NetMinor  int64         `json:"net_minor"`
}

// tally counts rows (sorted by currency) per currency and segment.
func tally(rows []value.Row) []currencySegments {
	var out []currencySegments
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Currency != r.Currency {
			out = append(out, newCurrencySegments(r.Currency))
		}
		c := &out[len(out)-1]
		c.Customers++
		c.NetMinor += r.Net
		for i := range c.Segments {
			if c.Segments[i].Segment == r.Segment {
				c.Segments[i].Customers++
				c.Segments[i].NetMinor += r.Net
			}
		}
	}
	return out
}

func newCurrencySegments(currency string) currencySegments {
	c := currencySegments{Currency: currency}
	for _, s := range value.Segments() {
		c.Segments = append(c.Segments, segmentTally{Segment: s})
	}
	return c
}

func printSegments(w io.Writer, v valuation, rep segmentReport) error {
	fmt.Fprintf(w, "RFM segments %s\n", v.note())
	if len(rep.Currencies) == 0 {
		_, err := fmt.Fprintln(w, "\nNo customer had purchased by then.")
		return err
	}
	for _, c := range rep.Currencies {
		fmt.Fprintf(w, "\n%s: %d customers, net revenue %s\n", c.Currency, c.Customers, amountOf(c.NetMinor, c.Currency))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SEGMENT\tCUSTOMERS\tSHARE\tNET REVENUE\tSHARE")
		for _, s := range c.Segments {
			fmt.Fprintf(tw, "%s\t%d\t%.1f %%\t%s\t%.1f %%\n", s.Segment, s.Customers, share(int64(s.Customers), int64(c.Customers)),
				amountOf(s.NetMinor, c.Currency), share(s.NetMinor, c.NetMinor))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}
