package value_test

import (
	"bufio"
	"bytes"
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/cdnow"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/value"
	"github.com/ledgerline/ledgerline/projections/value/valuetest"
)

const (
	sampleFile = "../../../shared/data/cdnow/CDNOW_sample.txt"
	masterFile = "../../../shared/data/cdnow/CDNOW_master.txt"
)

// endOfDay is the last microsecond of a UTC day, what the CLI makes of
// --as-of 1997-09-30.
func endOfDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 23, 59, 59, 999999000, time.UTC)
}

// importCDNOW imports a CDNOW file into memory and projects the value
// facts into SQLite.
func importCDNOW(tb testing.TB, file string) readmodel.Store {
	tb.Helper()
	data, err := os.ReadFile(file)
	require.NoError(tb, err)
	events := memory.New(nil)
	_, err = cdnow.Import(context.Background(), events, catalogue.New(), bytes.NewReader(data), file, cdnow.Options{})
	require.NoError(tb, err)
	models := valuetest.SQLite(tb)
	valuetest.Project(tb, events, models, value.New())
	return models
}

// fileCents sums the dollar column of a CDNOW file per customer id.
func fileCents(t *testing.T, file string) map[string]int64 {
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Fields(sc.Text())
		dollars, err := strconv.ParseFloat(cols[len(cols)-1], 64)
		require.NoError(t, err)
		out[cols[0]] += int64(math.Round(dollars * 100))
	}
	require.NoError(t, sc.Err())
	return out
}

func TestCDNOWSample(t *testing.T) {
	models := importCDNOW(t, sampleFile)
	calibration := endOfDay(1997, time.September, 30)
	res, err := value.Evaluate(t.Context(), models, calibration, value.Options{})
	require.NoError(t, err)

	t.Run("BG/NBD inputs of the papers' customer 00004", func(t *testing.T) {
		r := bySource(t, res, "00004")
		assert.Equal(t, 2.0, r.X)
		assert.InDelta(t, 30.43, r.TX, 0.005)
		assert.InDelta(t, 38.86, r.T, 0.005)
		assert.InDelta(t, (2973+1496)/2.0, r.MeanSpend, 1e-9)
		assert.Equal(t, 52.0, r.HorizonWeeks)
		papers, err := value.Evaluate(t.Context(), models, calibration, value.Options{HorizonWeeks: 39})
		require.NoError(t, err)
		e := bySource(t, papers, "00004").ExpectedTransactions
		require.NotNil(t, e)
		assert.InDelta(t, 1.226, *e, 0.001, "E[Y(39) | x = 2, t_x = 30.43, T = 38.86] as published")
	})
	t.Run("the population fit is the published one", func(t *testing.T) {
		require.Len(t, res.Models, 1)
		m := res.Models[0]
		assert.Equal(t, 2357, m.Customers)
		require.NotNil(t, m.BGNBD, m.BGNBDError)
		assert.InDelta(t, 0.2426, m.BGNBD.R, 1e-3)
		assert.InDelta(t, 4.4135, m.BGNBD.Alpha, 1e-3)
		assert.InDelta(t, 0.7929, m.BGNBD.A, 1e-3)
		assert.InDelta(t, 2.4258, m.BGNBD.B, 1e-3)
		require.NotNil(t, m.GammaGamma, m.GammaGammaError)
		assert.Equal(t, 946, m.GammaGamma.Customers)
	})
	t.Run("the same as-of gives the same rows", func(t *testing.T) {
		again, err := value.Evaluate(t.Context(), models, calibration, value.Options{})
		require.NoError(t, err)
		assert.Equal(t, res, again)
	})
	t.Run("net revenue per customer is the file's sum", func(t *testing.T) {
		all, err := value.Evaluate(t.Context(), models, endOfDay(1998, time.June, 30), value.Options{})
		require.NoError(t, err)
		want := fileCents(t, sampleFile)
		require.Len(t, all.Rows, len(want))
		for _, r := range all.Rows {
			assert.Equal(t, want[r.SourceID], r.Net, r.SourceID)
			assert.Equal(t, r.Gross, r.Net, "CDNOW has no discounts nor refunds")
		}
	})
}

func bySource(t *testing.T, res value.Result, sourceID string) value.Row {
	t.Helper()
	for _, r := range res.Rows {
		if r.SourceID == sourceID {
			return r
		}
	}
	t.Fatalf("no row of source id %s", sourceID)
	return value.Row{}
}

// BenchmarkEvaluateCDNOWMaster evaluates the CDNOW master file's 23,570
// customers as of the end of the papers' calibration period: reading the
// facts from SQLite, the figures, the scores, and both fits.
func BenchmarkEvaluateCDNOWMaster(b *testing.B) {
	models := importCDNOW(b, masterFile)
	for b.Loop() {
		res, err := value.Evaluate(context.Background(), models, endOfDay(1997, time.September, 30), value.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Rows)), "customers")
	}
}
