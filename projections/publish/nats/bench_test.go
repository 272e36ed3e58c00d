package nats_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"

	"github.com/ledgerline/ledgerline/projections/publish"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// benchEvents is the log size of the throughput benchmarks.
const benchEvents = 50_000

// benchLog returns a memory store holding benchEvents events of 1,000
// customers, ten per append, each payload about 200 bytes.
func benchLog(b *testing.B) (*memory.Store, []eventstore.Record) {
	store := memory.New(nil)
	ctx := context.Background()
	data := []byte(`{"channel":"phone","direction":"inbound","topic":"delivery question","outcome":"answered","employee":"user:anna","note":"called about the parcel"}`)
	for i := 0; i < benchEvents; i += 10 {
		evs := make([]eventstore.EventData, 10)
		for j := range evs {
			evs[j] = eventstore.EventData{ID: uuid.New(), Type: "customer.interaction_logged", SchemaVersion: 1, Data: data,
				OccurredAt: time.Unix(int64(i+j), 0), Metadata: eventstore.Metadata{Actor: "user:anna", CommandID: uuid.New(),
					CorrelationID: uuid.New(), CausationID: uuid.New()}}
		}
		_, err := store.Append(ctx, fmt.Sprintf("customer-%04d", (i/10)%1000), eventstore.Any, evs)
		require.NoError(b, err)
	}
	recs, err := store.ReadAll(ctx, eventstore.ReadAllOptions{Limit: benchEvents})
	require.NoError(b, err)
	return store, recs
}

// BenchmarkForwardToJetStream forwards a log of 50,000 events through the
// forwarder (envelope JSON, 16 shards, batches of 1,024, async publish,
// checkpoint per batch) to the shared NATS; each iteration uses fresh
// streams and a fresh checkpoint.
func BenchmarkForwardToJetStream(b *testing.B) {
	_, js := connect(b)
	store, recs := benchLog(b)
	models, err := rmsqlite.Open(context.Background(), filepath.Join(b.TempDir(), "checkpoints.db"))
	require.NoError(b, err)
	defer models.Close()
	var elapsed time.Duration
	for i := 0; b.Loop(); i++ {
		s := sharding(b, js, 16)
		p, err := pubnats.Open(context.Background(), pubnats.Config{URL: natsURL(), Sharding: s})
		require.NoError(b, err)
		fwd, err := publish.New(publish.Config{Events: store, Checkpoints: models, Publisher: publish.FromWatermill(p),
			Name: fmt.Sprintf("bench-%d", i), Sharding: s, Logger: slog.New(slog.DiscardHandler)})
		require.NoError(b, err)
		elapsed += runUntil(b, fwd, recs[len(recs)-1].Position)
		require.NoError(b, p.Close())
	}
	b.ReportMetric(float64(b.N*benchEvents)/elapsed.Seconds(), "events/s")
}

func runUntil(b *testing.B, fwd *publish.Forwarder, head uint64) time.Duration {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- fwd.Run(ctx) }()
	require.NoError(b, fwd.WaitFor(context.Background(), head))
	took := time.Since(start)
	cancel()
	require.NoError(b, <-done)
	return took
}

// BenchmarkRawJetStreamAsync is the baseline of BenchmarkForwardToJetStream:
// the same envelopes, headers and subjects, published with nats.go's
// async publish in windows of 1,024 awaited together, with no store read,
// no JSON encoding and no checkpoint.
func BenchmarkRawJetStreamAsync(b *testing.B) {
	nc, js := connect(b)
	_, recs := benchLog(b)
	var elapsed time.Duration
	for b.Loop() {
		s := sharding(b, js, 16)
		require.NoError(b, pubnats.EnsureStreams(context.Background(), js, s, 0))
		msgs := make([]*natsMsg, len(recs))
		for i, r := range recs {
			m, err := publish.NewMessage(r)
			require.NoError(b, err)
			nm, err := (&wmnats.NATSMarshaler{}).Marshal(s.TopicOf(r.Stream), m)
			require.NoError(b, err)
			msgs[i] = &natsMsg{msg: nm, id: m.UUID}
		}
		pub, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(pubnats.DefaultMaxPending))
		require.NoError(b, err)
		start := time.Now()
		for i := 0; i < len(msgs); i += publish.DefaultMaxBatch {
			publishWindow(b, pub, msgs[i:min(i+publish.DefaultMaxBatch, len(msgs))])
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(b.N*benchEvents)/elapsed.Seconds(), "events/s")
}

// BenchmarkAppendToConsumerLag appends 1,000 events/s for 5 s, one per
// append, while the forwarder publishes to the shared NATS and a
// one-member consumer group reads all 16 shards, and reports the lag from
// the call to Append to the consumer's handler: p50, p99 and max. The
// store is in memory (wake-up in process) or PostgreSQL (LISTEN/NOTIFY).
func BenchmarkAppendToConsumerLag(b *testing.B) {
	for _, c := range []struct {
		name string
		open func(b *testing.B) eventstore.Store
	}{
		{"memory", func(*testing.B) eventstore.Store { return memory.New(nil) }},
		{"postgres", openPostgres},
	} {
		b.Run(c.name, func(b *testing.B) {
			var lags []time.Duration
			for b.Loop() {
				lags = append(lags, measureLag(b, c.open(b), 1000, 5*time.Second)...)
			}
			slices.Sort(lags)
			b.ReportMetric(ms(lags[len(lags)/2]), "p50-ms")
			b.ReportMetric(ms(lags[len(lags)*99/100]), "p99-ms")
			b.ReportMetric(ms(lags[len(lags)-1]), "max-ms")
		})
	}
}

func openPostgres(b *testing.B) eventstore.Store {
	s, err := postgres.Open(context.Background(), pgtest.Database(b), postgres.Config{})
	require.NoError(b, err)
	b.Cleanup(func() { _ = s.Close() })
	return s
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
