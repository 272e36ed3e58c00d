package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/ledgerline/ledgerline/projections/churn"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

// churnAsOfHelp explains --as-of for the churn commands.
const churnAsOfHelp = `--as-of is required: churn signals depend on how long customers have been silent, and
ledgerline never reads the clock for them, so the same --as-of always gives the same
signals. TIME is RFC 3339 (1997-09-30T12:00:00Z) or a date (1997-09-30, meaning the end
of that day, UTC). The evaluation is also stored in the churn_signals and churn_reasons
tables for SQL.`

func newChurn(opts *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "churn",
		Short: "Churn signals: who is drifting away, why, and the events that say so",
		Long: `Score every customer from 0 to 100 as of a time, with the reasons behind the score:
silence beyond their own purchase rhythm, falling spend, complaints, low ratings, NPS
detractors, overdue invoices, withdrawn consent, a revoked discount, a declared departure,
and a low BG/NBD P(alive) for repeat buyers. Every reason names the events it rests on.`,
	}
	cmd.AddCommand(newChurnList(opts), newChurnShow(opts))
	return cmd
}

// evaluateChurn brings the read models up to date and evaluates (and
// stores) churn signals as of the --as-of flag's value.
func evaluateChurn(ctx context.Context, b *backend, asOfFlag string) (churn.Result, error) {
	asOf, err := parseTime("as-of", asOfFlag)
	if err != nil {
		return churn.Result{}, err
	}
	if asOf.IsZero() {
		return churn.Result{}, usageError(errors.New("--as-of is required (churn signals never read the clock)"))
	}
	if err := b.catchUp(ctx); err != nil {
		return churn.Result{}, err
	}
	return churn.Materialize(ctx, b.models, asOf, churn.Options{})
}

func newChurnList(opts *options) *cobra.Command {
	var asOf string
	var minScore, limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the customers most likely to leave, highest score first",
		Long: `List the customers whose churn score is at least --min-score, highest first, with the
top reason of each.

` + churnAsOfHelp,
		Example: "  ledgerline churn list --as-of 1998-06-30\n  ledgerline churn list --as-of 1998-06-30 --min-score 80 --limit 0 --json",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if minScore < 0 || minScore > 100 {
				return usageError(fmt.Errorf("--min-score %d: want 0 to 100", minScore))
			}
			return withBackend(cmd, opts, func(ctx context.Context, b *backend) error {
				res, err := evaluateChurn(ctx, b, asOf)
				if err != nil {
					return err
				}
				rep := churnList{AsOf: res.AsOf, MinScore: minScore, Customers: len(res.Signals)}
				rep.Signals, rep.Matching = filterSignals(res.Signals, minScore, limit)
				if opts.json {
					return printJSON(cmd.OutOrStdout(), rep)
				}
				return printChurnList(cmd.OutOrStdout(), rep)
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "evaluate as of TIME (required)")
	cmd.Flags().IntVar(&minScore, "min-score", 50, "only customers scoring at least this (0 to 100)")
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many customers (0: all)")
	return cmd
}

// churnList is churn list's JSON output.
type churnList struct {
	AsOf     time.Time `json:"as_of"`
	MinScore int       `json:"min_score"`
	// Customers were evaluated; Matching scored at least MinScore, of
	// which Signals are the first (by score) up to the limit.
	Customers int            `json:"customers"`
	Matching  int            `json:"matching"`
	Signals   []churn.Signal `json:"signals"`
}

// filterSignals keeps the signals (sorted by score) scoring at least
// minScore, at most limit of them, and counts all that match.
func filterSignals(signals []churn.Signal, minScore, limit int) ([]churn.Signal, int) {
	out := []churn.Signal{}
	matching := 0
	for _, s := range signals {
		if s.Score < minScore {
			break
		}
		matching++
		if limit == 0 || len(out) < limit {
			out = append(out, s)
		}
	}
	return out, matching
}

func printChurnList(w io.Writer, rep churnList) error {
	fmt.Fprintf(w, "Churn signals as of %s: %d of %d customers score %d or more", rep.AsOf.Format(time.RFC3339Nano),
		rep.Matching, rep.Customers, rep.MinScore)
	if len(rep.Signals) < rep.Matching {
		fmt.Fprintf(w, " (the first %d shown)", len(rep.Signals))
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tSOURCE ID\tCUSTOMER\tREASONS\tTOP REASON\tDETAIL")
	for _, s := range rep.Signals {
		top := churn.Reason{}
		if len(s.Reasons) > 0 {
			top = s.Reasons[0]
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", s.Score, dash(s.SourceID), s.CustomerID, len(s.Reasons),
			dash(string(top.Code)), dash(top.Detail))
	}
	return tw.Flush()
}

func newChurnShow(opts *options) *cobra.Command {
	var asOf string
	cmd := &cobra.Command{
		Use:   "show CUSTOMER",
		Short: "Show a customer's churn score with every reason and the events behind it",
		Long: `Show a customer's churn score and every reason that fired, each with its weight, what
was found, and the events it rests on (as the contact history shows them). CUSTOMER is
the customer's uuid or the id a source system knows it by.

` + churnAsOfHelp,
		Example: "  ledgerline churn show 00004 --as-of 1998-06-30\n  ledgerline churn show 00004 --as-of 1998-06-30 --json",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withBackend(cmd, opts, func(ctx context.Context, b *backend) error {
				return runChurnShow(cmd, opts, b, a[0], asOf)
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "evaluate as of TIME (required)")
	return cmd
}

func runChurnShow(cmd *cobra.Command, opts *options, b *backend, ref, asOf string) error {
	res, err := evaluateChurn(cmd.Context(), b, asOf)
	if err != nil {
		return err
	}
	c, err := findCustomer(cmd.Context(), b.models, ref)
	if err != nil {
		return err
	}
	sig, found := churn.Signal{AsOf: res.AsOf, CustomerID: c.ID, Reasons: []churn.Reason{}}, false
	for _, s := range res.Signals {
		if s.CustomerID == c.ID {
			sig, found = s, true
		}
	}
	if opts.json {
		return printJSON(cmd.OutOrStdout(), struct {
			Customer  timeline.Customer `json:"customer"`
			Evaluated bool              `json:"evaluated"`
			churn.Signal
		}{c, found, sig})
	}
	entries, err := timeline.Query(cmd.Context(), b.models, timeline.Filter{Customer: c.ID, AsOf: res.AsOf})
	if err != nil {
		return err
	}
	return printChurnShow(cmd.OutOrStdout(), c, sig, found, entries)
}

func printChurnShow(w io.Writer, c timeline.Customer, sig churn.Signal, found bool, entries []timeline.Entry) error {
	customerLine(w, c)
	if !found {
		_, err := fmt.Fprintf(w, "Not evaluated as of %s: not registered by then, forgotten, or merged into another customer.\n",
			sig.AsOf.Format(time.RFC3339Nano))
		return err
	}
	fmt.Fprintf(w, "Churn score %d as of %s", sig.Score, sig.AsOf.Format(time.RFC3339Nano))
	if len(sig.Reasons) == 0 {
		_, err := fmt.Fprintln(w, ": no reason found")
		return err
	}
	fmt.Fprintf(w, ", %d reason(s)\n", len(sig.Reasons))
	byID := map[uuid.UUID]timeline.Entry{}
	for _, e := range entries {
		byID[e.EventID] = e
	}
	for _, r := range sig.Reasons {
		fmt.Fprintf(w, "\n%s  (weight %.2f)\n  %s\n", r.Code, r.Weight, r.Detail)
		for _, id := range r.EventIDs {
			fmt.Fprintf(w, "  - %s  %s\n", id, describeEvent(byID, id))
		}
	}
	return nil
}

// describeEvent shows an event as the timeline does, if it has it (a
// merged duplicate's events are on another customer's timeline).
func describeEvent(byID map[uuid.UUID]timeline.Entry, id uuid.UUID) string {
	e, ok := byID[id]
	if !ok {
		return "(on a merged customer's timeline)"
	}
	return strings.Join([]string{e.OccurredAt.Format("2006-01-02 15:04"), "v" + fmt.Sprint(e.Version), e.Summary}, "  ")
}
