package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ledgerline/ledgerline/eventstore"
)

func newVerify(opts *options) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Recompute every stream's hash chain; fail loudly on any altered byte",
		Long: `Read the whole event log and recompute each event's SHA-256 hash chained to its
predecessor in the stream. One changed byte in stored history makes verify exit with
code 3, naming the stream, version, position and event id.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := opts.open(cmd.Context(), opts.logger(cmd.ErrOrStderr()))
			if err != nil {
				return err
			}
			defer b.Close()
			bar := newBar(cmd.ErrOrStderr(), opts.json, 0, "verifying", "events")
			rep, err := eventstore.Verify(cmd.Context(), b.events, bar.set)
			bar.finish()
			return reportVerify(cmd, opts, rep, err)
		},
	}
}

// verifyReport is verify's JSON output.
type verifyReport struct {
	eventstore.VerifyReport
	OK      bool                    `json:"ok"`
	Failure *eventstore.TamperError `json:"failure,omitempty"`
}

func reportVerify(cmd *cobra.Command, opts *options, rep eventstore.VerifyReport, err error) error {
	var tamper *eventstore.TamperError
	if err != nil && !errors.As(err, &tamper) {
		return err
	}
	out := verifyReport{VerifyReport: rep, OK: tamper == nil, Failure: tamper}
	if opts.json {
		if perr := printJSON(cmd.OutOrStdout(), out); perr != nil {
			return perr
		}
	} else if tamper == nil {
		fmt.Fprintf(cmd.OutOrStdout(), "OK: %d events in %d streams verified, hash chains intact (last position %d)\n",
			rep.Events, rep.Streams, rep.LastPosition)
	}
	if tamper != nil {
		return &exitError{code: exitTampered, err: fmt.Errorf("verification FAILED after %d good events: %w", rep.Events, tamper)}
	}
	return nil
}
