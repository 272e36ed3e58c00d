package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/spf13/cobra"

	"github.com/ledgerline/ledgerline/projections/publish"
	pubamqp "github.com/ledgerline/ledgerline/projections/publish/amqp"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
	pubsql "github.com/ledgerline/ledgerline/projections/publish/sql"
)

// publishFlags are the flags of `ledgerline publish`.
type publishFlags struct {
	broker string
	name   string
	prefix string
	shards int
	batch  int
	groups []string
}

func newPublish(opts *options) *cobra.Command {
	f := &publishFlags{}
	cmd := &cobra.Command{
		Use:   "publish",
		Short: "Forward the event log to a message broker until stopped",
		Long: `Publish every event of the log, from the publisher's checkpoint on, to a message broker,
one message per event (the envelope of docs/events.md as JSON, the ids in the metadata), and
keep publishing new events until SIGINT or SIGTERM. A customer's events go to one topic,
<prefix>.<hash(stream) mod shards>, in order. The checkpoint moves only after the broker has
acknowledged a batch: a restart resumes where the last run stopped and may publish the last
batch again (same event ids), never skip one.

  nats://host:4222        NATS JetStream: one stream per shard, Nats-Msg-Id = event id
  amqp://user:pass@host/  RabbitMQ: a fanout exchange per shard, queues of --group declared
  postgres://…            the Watermill SQL pub/sub: a table per shard in that database`,
		Example: "  ledgerline --store postgres://localhost/crm publish --broker nats://127.0.0.1:4222\n" +
			"  ledgerline publish --broker amqp://guest:guest@127.0.0.1:5672/ --group billing --json",
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runPublish(cmd, opts, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.broker, "broker", os.Getenv("LEDGERLINE_BROKER"), "broker URL: nats://…, amqp://… or postgres://… (env LEDGERLINE_BROKER)")
	fl.StringVar(&f.name, "name", "", "name of the publish checkpoint (default: the broker's scheme, e.g. nats)")
	fl.StringVar(&f.prefix, "prefix", publish.DefaultPrefix, "topic prefix")
	fl.IntVar(&f.shards, "shards", publish.DefaultShards, "number of shard topics (changing it moves customers to other topics)")
	fl.IntVar(&f.batch, "batch", publish.DefaultMaxBatch, "events per batch")
	fl.StringSliceVar(&f.groups, "group", []string{"ledgerline"}, "RabbitMQ: consumer groups whose queues to declare before publishing")
	return cmd
}

// publishReport is what `publish --json` prints on exit.
type publishReport struct {
	Broker string `json:"broker"`
	publish.Status
}

func runPublish(cmd *cobra.Command, opts *options, f *publishFlags) error {
	ctx := cmd.Context()
	s := publish.Sharding{Prefix: f.prefix, Shards: f.shards}
	if err := s.Validate(); err != nil {
		return usageError(err)
	}
	log := opts.logger(cmd.ErrOrStderr())
	b, err := opts.open(ctx, log)
	if err != nil {
		return err
	}
	defer b.Close()
	pub, scheme, err := openBroker(ctx, f, s)
	if err != nil {
		return err
	}
	defer pub.Close()
	fwd, err := publish.New(publish.Config{Events: b.events, Checkpoints: b.models, Publisher: pub,
		Name: cmp.Or(f.name, scheme), Sharding: s, MaxBatch: f.batch, Logger: log})
	if err != nil {
		return usageError(err)
	}
	if !opts.json {
		fmt.Fprintf(cmd.ErrOrStderr(), "publishing %s to %s (%d shards of %s); Ctrl-C to stop\n", b.location, redact(f.broker), s.Shards, s.Prefix)
	}
	runErr := fwd.Run(ctx)
	report := publishReport{Broker: redact(f.broker), Status: fwd.Status()}
	if opts.json {
		return errors.Join(runErr, printJSON(cmd.OutOrStdout(), report))
	}
	printPublishReport(cmd.OutOrStdout(), report)
	return runErr
}

// openBroker opens the publisher the broker URL's scheme names, and
// returns that scheme's short name.
func openBroker(ctx context.Context, f *publishFlags, s publish.Sharding) (publish.Publisher, string, error) {
	switch scheme(f.broker) {
	case "nats", "tls":
		p, err := pubnats.Open(ctx, pubnats.Config{URL: f.broker, Sharding: s})
		return wrap(p, err, "nats")
	case "amqp", "amqps":
		p, err := pubamqp.Open(ctx, pubamqp.Config{URL: f.broker, Sharding: s, Groups: f.groups})
		return wrap(p, err, "amqp")
	case "postgres", "postgresql":
		p, err := pubsql.Open(ctx, f.broker, nil)
		return wrap(p, err, "sql")
	case "":
		return nil, "", usageError(fmt.Errorf("--broker is required (nats://…, amqp://… or postgres://…)"))
	default:
		return nil, "", usageError(fmt.Errorf("--broker %q: unsupported scheme (want nats://, amqp:// or postgres://)", redact(f.broker)))
	}
}

// wrap turns an adapter's Watermill publisher into the port.
func wrap(p message.Publisher, err error, name string) (publish.Publisher, string, error) {
	if err != nil {
		return nil, "", fmt.Errorf("open %s broker: %w", name, err)
	}
	return publish.FromWatermill(p), name, nil
}

func printPublishReport(w io.Writer, r publishReport) {
	fmt.Fprintf(w, "published %d events in %d batches to %s; checkpoint %s at position %d", r.Published, r.Batches, r.Broker, r.Name, r.Checkpoint)
	if r.Failures > 0 {
		fmt.Fprintf(w, "; %d failed attempts", r.Failures)
	}
	fmt.Fprintln(w)
	if r.LastError != "" {
		fmt.Fprintf(w, "last error: %s\n", r.LastError)
	}
}
