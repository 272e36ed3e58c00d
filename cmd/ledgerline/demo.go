package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/commands/demo"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

type demoFlags struct {
	seed            uint64
	customers, days int
	start           string
}

func newDemo(opts *options) *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a realistic demo population (every event type)",
		Long: `Generate a year of a small smart-home shop's CRM: persons and companies with purchases,
invoices, payments and reminders, interactions on every channel, ratings, NPS surveys,
complaints and support cases, discounts, promotions and rewards, departures, win-backs
and returns, a merge of duplicates, a forgotten customer, leads and campaigns. Every
event type of the catalogue appears at least once.

Everything goes through the same commands and rules as real use. Customers behave by
persona (loyal, declining, churned, new, unprofitable), so the value and churn read
models have something to find. Customers are numbered D0001, D0002… (source "demo");
the first ten play fixed roles, listed at the end.

The population is a function of --seed, --customers, --days and --start: the same
flags give the same events, and running them again on the same store adds nothing.
Use a fresh --db for a different population.`,
		Example: "  ledgerline --db /tmp/demo.db demo\n  ledgerline --db /tmp/demo.db demo --seed 7 --customers 500 --start 2025-01-01 --json",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, opts, f)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&f.seed, "seed", 0, "selects the population; the same seed gives the same events")
	fl.IntVar(&f.customers, "customers", demo.DefaultCustomers, fmt.Sprintf("customers at the start (at least %d); converted leads add some", demo.MinCustomers))
	fl.IntVar(&f.days, "days", demo.DefaultDays, fmt.Sprintf("days to simulate (at least %d)", demo.MinDays))
	fl.StringVar(&f.start, "start", demo.DefaultStart.Format(time.DateOnly), "first simulated day, YYYY-MM-DD (UTC)")
	return cmd
}

func runDemo(cmd *cobra.Command, opts *options, f demoFlags) error {
	cfg, err := f.config()
	if err != nil {
		return err
	}
	b, err := opts.open(cmd.Context(), opts.logger(cmd.ErrOrStderr()))
	if err != nil {
		return err
	}
	defer b.Close()
	if err := vacant(cmd.Context(), b, cfg); err != nil {
		return err
	}
	bar := newBar(cmd.ErrOrStderr(), opts.json, cfg.Days, "simulating", "days")
	cfg.Progress = func(done, _ int) { bar.set(done) }
	began := time.Now()
	sum, err := demo.Generate(cmd.Context(), commands.NewHandler(b.events, b.catalogue), cfg)
	bar.finish()
	if errors.Is(err, demo.ErrOtherPopulation) {
		return usageError(fmt.Errorf("%w: use a fresh --db", err))
	}
	if err != nil {
		return err
	}
	took := time.Since(began)
	if err := b.catchUp(cmd.Context()); err != nil {
		return err
	}
	if opts.json {
		return printJSON(cmd.OutOrStdout(), demoReport{Summary: sum, Store: b.location, DurationMillis: took.Milliseconds()})
	}
	return printDemo(cmd.OutOrStdout(), sum, took, opts.selector())
}

// config returns the generator's configuration, or a usage error.
func (f demoFlags) config() (demo.Config, error) {
	start, err := time.Parse(time.DateOnly, f.start)
	if err != nil {
		return demo.Config{}, usageError(fmt.Errorf("--start %q: want a date, YYYY-MM-DD", f.start))
	}
	cfg := demo.Config{Seed: f.seed, Customers: f.customers, Days: f.days, Start: start}
	if err := cfg.Validate(); err != nil {
		return demo.Config{}, usageError(fmt.Errorf("demo: %w", err))
	}
	return cfg, nil
}

// vacant returns a usage error if the store holds a demo population of
// other flags: its customers would share source ids with the new one, and
// "history D0001" would no longer know which is meant. The same flags
// again are fine: the commands replay.
func vacant(ctx context.Context, b *backend, cfg demo.Config) error {
	if err := b.catchUp(ctx); err != nil {
		return err
	}
	c, err := timeline.FindCustomer(ctx, b.models, "D0001")
	switch {
	case errors.Is(err, timeline.ErrCustomerNotFound):
		return nil
	case err == nil && c.ID == cfg.CustomerID(1):
		return nil
	case errors.Is(err, timeline.ErrAmbiguous):
		return usageError(fmt.Errorf("%w, several in fact: use a fresh --db", demo.ErrOtherPopulation))
	case err == nil:
		return usageError(fmt.Errorf("%w (its D0001 is %s): use a fresh --db, or repeat the flags it was generated with",
			demo.ErrOtherPopulation, c.ID))
	}
	return err
}

// demoReport is demo's JSON output.
type demoReport struct {
	demo.Summary
	Store          string `json:"store"`
	DurationMillis int64  `json:"duration_ms"`
}

// selector returns the flags that point another command at the same
// backend, passwords redacted ("" for the default embedded file).
func (o *options) selector() string {
	var sel string
	switch {
	case o.store != "":
		sel = " --store " + shellQuote(redact(o.store))
	case o.db != "":
		sel = " --db " + shellQuote(o.db)
	}
	if o.readModels != "" {
		sel += " --readmodels " + shellQuote(redact(o.readModels))
	}
	return sel
}

// shellQuote quotes s for a POSIX shell when it holds anything special.
func shellQuote(s string) string {
	if !strings.ContainsAny(s, " \t'\"$`\\!*?&;|<>()#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func printDemo(w io.Writer, sum demo.Summary, took time.Duration, selector string) error {
	var personas []string
	for _, p := range demo.Personas() {
		personas = append(personas, fmt.Sprintf("%s %d", p, sum.Personas[p]))
	}
	fmt.Fprintf(w, `Generated a demo population in %s: seed %d, %s to %s
  customers   %d (%s)
  leads       %d
  campaigns   %d
  commands    %d executed, %d of them already in the store
  events      %d of %d types
  read models up to date

`, took.Round(time.Millisecond), sum.Seed, sum.Start.Format(time.DateOnly), sum.End.Add(-time.Nanosecond).Format(time.DateOnly),
		sum.Customers, strings.Join(personas, ", "), sum.Leads, sum.Campaigns, sum.Commands, sum.Replayed, sum.Events, len(sum.EventsByType))
	if err := printEventTypes(w, sum); err != nil {
		return err
	}
	return printNext(w, sum, selector)
}

func printEventTypes(w io.Writer, sum demo.Summary) error {
	fmt.Fprintln(w, "Events by type:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, typ := range slices.Sorted(maps.Keys(sum.EventsByType)) {
		fmt.Fprintf(tw, "  %s\t%d\t\n", typ, sum.EventsByType[typ])
	}
	return tw.Flush()
}

// printNext lists the showcase customers and commands to look at them.
func printNext(w io.Writer, sum demo.Summary, selector string) error {
	if len(sum.Showcase) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nCustomers worth a look:")
	for _, s := range sum.Showcase {
		fmt.Fprintf(w, "  %s  %s\n", s.SourceID, s.Role)
	}
	first, churned := sum.Showcase[0], sum.Showcase[0]
	for _, s := range sum.Showcase {
		if s.Persona == demo.Churned {
			churned = s
			break
		}
	}
	cli := "ledgerline" + selector
	tw := tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "\nWhat to try next:")
	fmt.Fprintf(tw, "  %s history %s\t# %s's whole history\n", cli, first.SourceID, first.SourceID)
	fmt.Fprintf(tw, "  %s history %s --channel email,meeting\t# only its e-mails and meetings\n", cli, first.SourceID)
	fmt.Fprintf(tw, "  %s history %s --as-of %s\t# %s as it stood then\n", cli, churned.CustomerID, churned.Moment.Format(time.DateOnly), churned.SourceID)
	fmt.Fprintf(tw, "  %s history %s --type customer.purchase_recorded,customer.purchase_refunded\t# its orders and refunds\n", cli, churned.SourceID)
	fmt.Fprintf(tw, "  %s verify\t# recompute every hash chain\n", cli)
	return tw.Flush()
}
