package churn_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/cdnow"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections/churn"
	"github.com/ledgerline/ledgerline/projections/value"
	"github.com/ledgerline/ledgerline/projections/value/valuetest"
)

const masterFile = "../../../shared/data/cdnow/CDNOW_master.txt"

// BenchmarkEvaluateCDNOWMaster scores the CDNOW master file's 23,570
// customers as of its last day: the value evaluation (with both fits)
// that the purchase rules read, then every rule.
func BenchmarkEvaluateCDNOWMaster(b *testing.B) {
	data, err := os.ReadFile(masterFile)
	require.NoError(b, err)
	events := memory.New(nil)
	_, err = cdnow.Import(context.Background(), events, catalogue.New(), bytes.NewReader(data), masterFile, cdnow.Options{})
	require.NoError(b, err)
	models := valuetest.SQLite(b)
	valuetest.Project(b, events, models, value.New(), churn.New())
	asOf := time.Date(1998, time.June, 30, 23, 59, 59, 0, time.UTC)
	for b.Loop() {
		res, err := churn.Evaluate(context.Background(), models, asOf, churn.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Signals)), "customers")
	}
}
