package value_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/cdnow"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/value"
	"github.com/ledgerline/ledgerline/projections/value/valuetest"
)

// BenchmarkProjectCDNOWMaster applies the CDNOW master file's 93,229
// events (registrations and purchases) to fresh SQLite fact tables in
// batches of 1,000, as the runtime does, and reports events per second.
func BenchmarkProjectCDNOWMaster(b *testing.B) {
	data, err := os.ReadFile(masterFile)
	require.NoError(b, err)
	events := memory.New(nil)
	_, err = cdnow.Import(context.Background(), events, catalogue.New(), bytes.NewReader(data), masterFile, cdnow.Options{})
	require.NoError(b, err)
	recs, err := events.ReadAll(context.Background(), eventstore.ReadAllOptions{Limit: 200000})
	require.NoError(b, err)
	batch := projections.Events(catalogue.New(), recs)
	for b.Loop() {
		b.StopTimer()
		models := valuetest.SQLite(b)
		require.NoError(b, models.Migrate(context.Background(), value.New().Schema(models.Dialect())))
		b.StartTimer()
		for from := 0; from < len(batch); from += 1000 {
			part := batch[from:min(from+1000, len(batch))]
			err := models.Apply(context.Background(), value.Name, uint64(from), readmodel.Checkpoint{Position: uint64(from + len(part))},
				func(ctx context.Context, tx readmodel.Tx) error { return value.New().Project(ctx, tx, part) })
			require.NoError(b, err)
		}
	}
	b.ReportMetric(float64(len(batch))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
