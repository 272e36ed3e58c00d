package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ledgerline/ledgerline/domain/money"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

type historyFlags struct {
	asOf, knownAt string
	channels      []string
	types         []string
	limit         int
}

func newHistory(opts *options) *cobra.Command {
	var f historyFlags
	cmd := &cobra.Command{
		Use:   "history CUSTOMER",
		Short: "Show a customer's complete contact history",
		Long: `Show every event of a customer as a timeline, oldest first. CUSTOMER is the customer's
uuid or the id a source system knows it by (e.g. a CDNOW customer id such as 00042).

--as-of shows the history as it had happened by a business date; --known-at shows it
as ledgerline had recorded it by a moment (what an auditor asks: "what did we know then?").
TIME is RFC 3339 (2025-03-01T12:00:00Z) or a date (2025-03-01, meaning the end of that day, UTC).`,
		Example: "  ledgerline history 00001\n  ledgerline history 00001 --as-of 1997-03-31 --type customer.purchase_recorded --json",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(cmd, opts, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.asOf, "as-of", "", "only what had happened by TIME (business time)")
	fl.StringVar(&f.knownAt, "known-at", "", "only what had been recorded by TIME")
	fl.StringSliceVar(&f.channels, "channel", nil, "only these channels (phone, email, sms, messenger, chat, web_form, social, meeting, fax, letter)")
	fl.StringSliceVar(&f.types, "type", nil, "only these event types (e.g. customer.purchase_recorded)")
	fl.IntVar(&f.limit, "limit", 0, "at most this many entries (0: all)")
	return cmd
}

func runHistory(cmd *cobra.Command, opts *options, ref string, f historyFlags) error {
	filter := timeline.Filter{Channels: f.channels, Types: f.types, Limit: f.limit}
	var err error
	if filter.AsOf, err = parseTime("as-of", f.asOf); err != nil {
		return err
	}
	if filter.KnownAt, err = parseTime("known-at", f.knownAt); err != nil {
		return err
	}
	b, err := opts.open(cmd.Context(), opts.logger(cmd.ErrOrStderr()))
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.catchUp(cmd.Context()); err != nil {
		return err
	}
	c, err := timeline.FindCustomer(cmd.Context(), b.models, ref)
	if errors.Is(err, timeline.ErrCustomerNotFound) || errors.Is(err, timeline.ErrAmbiguous) {
		return usageError(err)
	}
	if err != nil {
		return err
	}
	filter.Customer = c.ID
	entries, err := timeline.Query(cmd.Context(), b.models, filter)
	if err != nil {
		return err
	}
	if opts.json {
		return printJSON(cmd.OutOrStdout(), struct {
			Customer timeline.Customer `json:"customer"`
			Entries  []timeline.Entry  `json:"entries"`
		}{c, entries})
	}
	return printHistory(cmd.OutOrStdout(), c, entries)
}

func printHistory(w io.Writer, c timeline.Customer, entries []timeline.Entry) error {
	name := c.DisplayName
	if c.Forgotten {
		name = "(forgotten)"
	}
	fmt.Fprintf(w, "Customer %s  %s", c.ID, name)
	if c.SourceID != "" {
		fmt.Fprintf(w, "  [%s %s]", c.Source, c.SourceID)
	}
	fmt.Fprintf(w, "\n%d events shown of %d\n\n", len(entries), c.Events)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OCCURRED\tVERSION\tTYPE\tCHANNEL\tAMOUNT\tSUMMARY\tACTOR")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", e.OccurredAt.Format("2006-01-02 15:04"), e.Version,
			e.Type, dash(e.Channel), amount(e), e.Summary, e.Actor)
	}
	return tw.Flush()
}

func amount(e timeline.Entry) string {
	if e.AmountMinor == nil {
		return "-"
	}
	return money.New(*e.AmountMinor, money.Currency(e.Currency)).String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// parseTime reads a --flag TIME: RFC 3339, or a date meaning the end of
// that day in UTC. Empty means unset.
func parseTime(flag, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return d.Add(24*time.Hour - time.Microsecond), nil
	}
	return time.Time{}, usageError(fmt.Errorf("--%s %q: want RFC 3339 (2025-03-01T12:00:00Z) or a date (2025-03-01)", flag, v))
}
