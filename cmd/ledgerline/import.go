package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ledgerline/ledgerline/commands/cdnow"
)

func newImport(opts *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import customers and purchases from files",
	}
	cmd.AddCommand(newImportCDNOW(opts))
	return cmd
}

func newImportCDNOW(opts *options) *cobra.Command {
	var batch int
	cmd := &cobra.Command{
		Use:   "cdnow FILE",
		Short: "Import a CDNOW purchase file (master or 1/10 sample)",
		Long: `Import a CDNOW purchase file: one customer per source id, one purchase event per line,
with deterministic ids, so importing the same file twice adds nothing.

A malformed line stops the import with its file, line, column and rule; nothing of the
batch it was in is stored. The contact-history read model is brought up to date before
the command returns.`,
		Example: "  ledgerline import cdnow ../shared/data/cdnow/CDNOW_master.txt",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImportCDNOW(cmd, opts, args[0], batch)
		},
	}
	cmd.Flags().IntVar(&batch, "batch", cdnow.DefaultBatchLines, "lines per transaction")
	return cmd
}

func runImportCDNOW(cmd *cobra.Command, opts *options, file string, batch int) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return usageError(fmt.Errorf("read %s: %w", file, err))
	}
	b, err := opts.open(cmd.Context(), opts.logger(cmd.ErrOrStderr()))
	if err != nil {
		return err
	}
	defer b.Close()
	bar := newBar(cmd.ErrOrStderr(), opts.json, bytes.Count(data, []byte("\n")), "importing", "rows")
	var sum cdnow.Summary
	var imported time.Time
	err = b.withProjections(cmd.Context(), func(ctx context.Context) (uint64, error) {
		var err error
		sum, err = cdnow.Import(ctx, b.events, b.catalogue, bytes.NewReader(data), file, cdnow.Options{
			BatchLines: batch, Progress: func(p cdnow.Progress) { bar.set(p.Lines) },
		})
		bar.finish()
		imported = time.Now()
		return sum.LastPosition, err
	})
	var lineErr *cdnow.LineError
	if errors.As(err, &lineErr) {
		return usageError(err)
	}
	if err != nil {
		return err
	}
	return printImport(cmd.OutOrStdout(), opts.json, sum, time.Since(imported))
}

// importReport is the JSON summary of an import.
type importReport struct {
	cdnow.Summary
	RowsPerSecond    float64 `json:"rows_per_second"`
	ProjectionMillis int64   `json:"projection_catch_up_ms"`
}

func printImport(w io.Writer, asJSON bool, sum cdnow.Summary, projection time.Duration) error {
	rep := importReport{Summary: sum, RowsPerSecond: float64(sum.Lines) / sum.Duration.Seconds(),
		ProjectionMillis: projection.Milliseconds()}
	if asJSON {
		return printJSON(w, rep)
	}
	_, err := fmt.Fprintf(w, `Imported %s (%s dataset)
  lines       %d (%.0f rows/s, %s)
  customers   %d
  purchases   %d, %s USD
  events      %d in the file, %d new (last position %d)
  read models up to date %s after the last batch
`, sum.File, sum.Dataset, sum.Lines, rep.RowsPerSecond, sum.Duration.Round(time.Millisecond), sum.Customers,
		sum.Purchases, dollars(sum.Cents), sum.Events, sum.Appended, sum.LastPosition, projection.Round(time.Millisecond))
	return err
}

func dollars(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

// bar is a progress bar on a terminal, and nothing elsewhere.
type bar struct{ pb *progressbar.ProgressBar }

func newBar(w io.Writer, quiet bool, total int, what, unit string) *bar {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return &bar{}
	}
	return &bar{pb: progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())}
}

func (b *bar) set(n int) {
	if b.pb != nil {
		b.pb.Set(n)
	}
}

func (b *bar) finish() {
	if b.pb != nil {
		b.pb.Finish()
	}
}
