package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/ops"
)

func newProjections(opts *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "projections",
		Short: "Operate the read models: status, rebuild, verify",
		Long: `Operate the projections that build the read models from the event log.

  status    where each projection is, how far behind the log, what it skipped
  rebuild   recompute one from the whole log into shadow tables, then swap them in
  verify    recompute one into scratch tables and compare them with the live ones`,
	}
	var batch int
	cmd.PersistentFlags().IntVar(&batch, "batch", ops.DefaultBatch, "events per read and per transaction of a rebuild or verify")
	cmd.AddCommand(newProjectionsStatus(opts), newProjectionsRebuild(opts, &batch), newProjectionsVerify(opts, &batch))
	return cmd
}

func newProjectionsStatus(opts *options) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show each projection's position, lag and skipped batches",
		Long: `Show for each projection its checkpoint (the position of the last event applied), its
lag behind the log's head in events and in seconds (between the recorded_at of the head and
of the checkpoint's event), the batches it skipped as poisoned with the last reason, and a
rebuild in progress. A lag above 10,000 events is extrapolated from the first 10,000 and
marked "~": exact on the embedded store, an estimate on PostgreSQL, whose positions have gaps.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, o, err := opts.operator(cmd, 0, nil)
			if err != nil {
				return err
			}
			defer b.Close()
			st, err := o.Status(cmd.Context(), names(b.projectors()))
			if err != nil {
				return err
			}
			if opts.json {
				return printJSON(cmd.OutOrStdout(), st)
			}
			return printStatus(cmd.OutOrStdout(), st)
		},
	}
}

func newProjectionsRebuild(opts *options, batch *int) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "rebuild NAME... | --all",
		Short: "Rebuild projections from the whole log, swapping each in atomically",
		Long: `Recompute the named projections (or every one, with --all) from the first event of the
log into shadow tables, with progress, throughput and ETA, then swap each in atomically with
its checkpoint: readers see the old model until the swap and the new one after it, never a
half-built one. The log is read once for all the projections named. Events appended during
the rebuild are applied before the swap or, if they arrive after it, by the running
projections from the swapped-in checkpoint: none is lost.`,
		Example: "  ledgerline projections rebuild timeline\n  ledgerline projections rebuild --all --json",
		Args: func(cmd *cobra.Command, a []string) error {
			if all == (len(a) > 0) {
				return usageError(fmt.Errorf("name the projections to rebuild, or give --all"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, a []string) error {
			return runRebuild(cmd, opts, a, all, *batch)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "rebuild every projection")
	return cmd
}

func runRebuild(cmd *cobra.Command, opts *options, named []string, all bool, batch int) error {
	bar := &lazyBar{w: cmd.ErrOrStderr(), quiet: opts.json, what: "rebuilding"}
	b, o, err := opts.operator(cmd, batch, bar.progress)
	if err != nil {
		return err
	}
	defer b.Close()
	ps := b.projectors()
	if !all {
		if ps, err = pick(b, named); err != nil {
			return err
		}
	}
	restore := bulkGC()
	reps, err := o.Rebuild(cmd.Context(), ps...)
	restore()
	bar.finish()
	if err != nil {
		return err
	}
	if opts.json {
		return printJSON(cmd.OutOrStdout(), reps)
	}
	return printRebuilds(cmd.OutOrStdout(), reps)
}

func printRebuilds(w io.Writer, reps []ops.Report) error {
	for _, rep := range reps {
		_, err := fmt.Fprintf(w, "Rebuilt %s: %d events in %s (%.0f events/s), swapped in %s\n  tables      %s\n  checkpoint  %d\n  skipped     %d events (see projection_poison)\n",
			rep.Projection, rep.Events, rep.Build.Round(time.Millisecond), rep.EventsPerSecond, rep.Swap.Round(time.Millisecond),
			strings.Join(rep.Tables, ", "), rep.Position, rep.Skipped)
		if err != nil {
			return err
		}
	}
	return nil
}

func newProjectionsVerify(opts *options, batch *int) *cobra.Command {
	return &cobra.Command{
		Use:   "verify NAME",
		Short: "Rebuild a projection into scratch tables and compare them with the live ones",
		Long: `Recompute projection NAME into scratch tables up to its live checkpoint and compare every
table with the live one: row counts, order-independent checksums and the first row that
differs in primary-key order. The live tables are only read. A difference exits with code 3.`,
		Example: "  ledgerline projections verify timeline --json",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return runVerify(cmd, opts, a[0], *batch)
		},
	}
}

func runVerify(cmd *cobra.Command, opts *options, name string, batch int) error {
	bar := &lazyBar{w: cmd.ErrOrStderr(), quiet: opts.json, what: "verifying " + name}
	b, o, err := opts.operator(cmd, batch, bar.progress)
	if err != nil {
		return err
	}
	defer b.Close()
	p, err := projector(b, name)
	if err != nil {
		return err
	}
	restore := bulkGC()
	v, err := o.Verify(cmd.Context(), p)
	restore()
	bar.finish()
	if err != nil {
		return err
	}
	if opts.json {
		err = printJSON(cmd.OutOrStdout(), v)
	} else {
		err = printVerification(cmd.OutOrStdout(), v)
	}
	if err == nil && !v.Equal {
		err = &exitError{code: exitTampered, err: fmt.Errorf("projection %s differs from its rebuild at position %d", v.Projection, v.Position)}
	}
	return err
}

// operator opens the backend and an operator on it.
func (o *options) operator(cmd *cobra.Command, batch int, progress func(ops.Progress)) (*backend, *ops.Operator, error) {
	if batch < 0 {
		return nil, nil, usageError(fmt.Errorf("--batch %d: must not be negative", batch))
	}
	b, err := o.open(cmd.Context(), o.logger(cmd.ErrOrStderr()))
	if err != nil {
		return nil, nil, err
	}
	op, err := ops.New(ops.Config{Events: b.events, ReadModels: b.models, Catalogue: b.catalogue, Batch: batch, Progress: progress})
	if err != nil {
		return nil, nil, fmt.Errorf("%w (closing: %v)", err, b.Close())
	}
	return b, op, nil
}

// projector returns the backend's projector called name.
func projector(b *backend, name string) (projections.Projector, error) {
	ps, err := pick(b, []string{name})
	if err != nil {
		return nil, err
	}
	return ps[0], nil
}

// pick returns the backend's projectors called names.
func pick(b *backend, wanted []string) ([]projections.Projector, error) {
	all := b.projectors()
	out := make([]projections.Projector, len(wanted))
	for i, name := range wanted {
		j := slices.IndexFunc(all, func(p projections.Projector) bool { return p.Name() == name })
		if j < 0 {
			return nil, usageError(fmt.Errorf("no projection %q (known: %s)", name, strings.Join(names(all), ", ")))
		}
		out[i] = all[j]
	}
	return out, nil
}

func names(ps []projections.Projector) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name()
	}
	return out
}

// lazyBar is a progress bar made at the first progress report, when the
// build knows how far it goes; with several builds it follows the
// slowest.
type lazyBar struct {
	w     io.Writer
	quiet bool
	what  string
	bar   *bar
	total uint64
	done  map[string]uint64
}

func (l *lazyBar) progress(p ops.Progress) {
	if l.bar == nil {
		l.total = p.Total()
		l.bar = newBar(l.w, l.quiet, int(l.total), l.what, "events")
		l.done = map[string]uint64{}
	}
	l.done[p.Projection] = p.Events
	slowest := p.Events
	for _, n := range l.done {
		slowest = min(slowest, n)
	}
	l.bar.set(int(min(slowest, l.total)))
}

func (l *lazyBar) finish() {
	if l.bar != nil {
		l.bar.finish()
	}
}

func printStatus(w io.Writer, st []ops.Status) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROJECTION\tPOSITION\tHEAD\tLAG EVENTS\tLAG\tPOISONED\tREBUILD")
	for _, s := range st {
		lag := fmt.Sprint(s.LagEvents)
		if s.LagEstimated {
			lag = "~" + lag
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%d\t%s\n", s.Projection, s.Position, s.Head, lag,
			(time.Duration(s.LagSeconds * float64(time.Second))).Round(time.Millisecond), s.Poisoned, rebuildState(s.Rebuild))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range st {
		if s.LastError != "" {
			fmt.Fprintf(w, "%s: last skipped batch: %s\n", s.Projection, s.LastError)
		}
	}
	return nil
}

func rebuildState(r *ops.Rebuilding) string {
	switch {
	case r == nil:
		return "-"
	case !r.Running:
		return "abandoned (the next rebuild drops it)"
	case r.Position != nil:
		return fmt.Sprintf("running, at %d", *r.Position)
	default:
		return "running"
	}
}

func printVerification(w io.Writer, v ops.Verification) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "TABLE\tLIVE ROWS\tREBUILT ROWS\tLIVE CHECKSUM\tREBUILT CHECKSUM\tRESULT\n")
	for _, c := range v.Tables {
		result := "equal"
		if !c.Equal {
			result = "DIFFERS: " + c.Difference
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", c.Table, c.LiveRows, c.RebuiltRows, c.LiveChecksum, c.RebuiltChecksum, result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	verdict := "equals"
	if !v.Equal {
		verdict = "DIFFERS from"
	}
	_, err := fmt.Fprintf(w, "projection %s at position %d %s its rebuild from the log (%d events skipped by the projector)\n",
		v.Projection, v.Position, verdict, v.Skipped)
	return err
}
