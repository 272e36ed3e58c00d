package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// options are the flags every command shares.
type options struct {
	store      string
	db         string
	readModels string
	json       bool
	logLevel   string
	profile    string
}

func newRoot() *cobra.Command {
	opts := &options{}
	root := &cobra.Command{
		Use:   "ledgerline",
		Short: "An event-sourced CRM core: complete history, provable audit, explainable analytics",
		Long: `ledgerline keeps every fact about a customer as an immutable, hash-chained event
and builds read models (contact history, value, churn) from them.

By default it runs on an embedded store: one SQLite file in your data directory
(--db to choose another). Use --store (or LEDGERLINE_STORE) for a server backend.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	f := root.PersistentFlags()
	f.StringVar(&opts.store, "store", os.Getenv("LEDGERLINE_STORE"), "event store URL: postgres://…, esdb://… or kurrentdb://… (default: embedded file, env LEDGERLINE_STORE)")
	f.StringVar(&opts.readModels, "readmodels", os.Getenv("LEDGERLINE_READMODELS"), "PostgreSQL URL for read models (default: the postgres store itself, or the embedded file for KurrentDB; env LEDGERLINE_READMODELS)")
	f.StringVar(&opts.db, "db", os.Getenv("LEDGERLINE_DB"), "embedded store file (default: $XDG_DATA_HOME/ledgerline/ledgerline.db, env LEDGERLINE_DB)")
	f.BoolVar(&opts.json, "json", false, "print machine-readable JSON")
	f.StringVar(&opts.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	f.StringVar(&opts.profile, "cpuprofile", "", "write a CPU profile of the command to this file (for pprof)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return opts.startProfile() }
	root.PersistentPostRun = func(*cobra.Command, []string) { pprof.StopCPUProfile() }
	root.AddCommand(newImport(opts), newHistory(opts), newVerify(opts), newDemo(opts))
	root.AddCommand(newProjections(opts))
	root.AddCommand(newValue(opts), newChurn(opts), newSegments(opts))
	root.AddCommand(newPublish(opts))
	root.AddCommand(newServe(opts))
	return root
}

func (o *options) startProfile() error {
	if o.profile == "" {
		return nil
	}
	f, err := os.Create(o.profile)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	return pprof.StartCPUProfile(f)
}

func (o *options) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		level = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
