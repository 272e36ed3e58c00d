package tests

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
	pgstore "github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections"
	rmpostgres "github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

// BenchmarkAppendToTimelineLagPostgres appends interactions at 1,000
// events/s (one every millisecond, spread over 50 customers) for b.N
// seconds and measures, for each, the time from the append's return to
// the timeline's commit of its row; it reports the p50 and p99.
func BenchmarkAppendToTimelineLagPostgres(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.Database(b)
	store, err := pgstore.Open(ctx, dsn, pgstore.Config{})
	require.NoError(b, err)
	defer store.Close()
	models, err := rmpostgres.Open(ctx, dsn, rmpostgres.Config{})
	require.NoError(b, err)
	defer models.Close()
	rt, err := projections.New(projections.Config{Events: store, ReadModels: models, Catalogue: catalogue.New(),
		Projectors: []projections.Projector{timeline.New()}, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(b, err)
	require.NoError(b, rt.Migrate(ctx))
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()

	b.ResetTimer()
	lags := measureLag(ctx, b, store, rt, b.N*1000)
	b.StopTimer()
	cancel()
	require.NoError(b, <-done)
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "p99-ms")
}

func measureLag(ctx context.Context, b *testing.B, store eventstore.Store, rt *projections.Runtime, n int) []time.Duration {
	var mu sync.Mutex
	var wg sync.WaitGroup
	lags := make([]time.Duration, 0, n)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for i := range n {
		<-tick.C
		res, err := store.Append(ctx, customer.Stream(uuid.NewSHA1(uuid.Nil, []byte{byte(i % 50)})), eventstore.Any,
			[]eventstore.EventData{interaction(b, i)})
		require.NoError(b, err)
		appended := time.Now()
		wg.Go(func() {
			wctx, stop := context.WithTimeout(ctx, 10*time.Second)
			defer stop()
			require.NoError(b, rt.WaitFor(wctx, res.LastPosition))
			mu.Lock()
			lags = append(lags, time.Since(appended))
			mu.Unlock()
		})
	}
	wg.Wait()
	return lags
}

func interaction(b *testing.B, i int) eventstore.EventData {
	data, err := json.Marshal(customer.InteractionLogged{Channel: channel.Phone, Direction: channel.Inbound, Topic: "order status"})
	require.NoError(b, err)
	return eventstore.EventData{ID: uuid.New(), Type: customer.InteractionLogged{}.EventType(), SchemaVersion: 1, Data: data,
		OccurredAt: time.Date(2026, 1, 1, 0, 0, i%60, 0, time.UTC), Metadata: eventstore.Metadata{Actor: "bench"}}
}
