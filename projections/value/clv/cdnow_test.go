package clv_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/ledgerline/ledgerline/commands/cdnow"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections/value/clv"
)

const (
	sampleFile = "../../../../shared/data/cdnow/CDNOW_sample.txt"
	masterFile = "../../../../shared/data/cdnow/CDNOW_master.txt"
)

// calibrationEnd is the last day of the papers' 39-week calibration
// period, 1997-01-01 through 1997-09-30 inclusive.
var calibrationEnd = time.Date(1997, time.September, 30, 0, 0, 0, 0, time.UTC)

// importCDNOW imports a CDNOW file into a fresh in-memory store.
func importCDNOW(tb testing.TB, file string) eventstore.Store {
	tb.Helper()
	data, err := os.ReadFile(file)
	require.NoError(tb, err)
	store := memory.New(nil)
	_, err = cdnow.Import(context.Background(), store, catalogue.New(), bytes.NewReader(data), file, cdnow.Options{})
	require.NoError(tb, err)
	return store
}

// purchasesByStream reads the whole log back and collects each customer
// stream's purchases from the recorded events.
func purchasesByStream(tb testing.TB, store eventstore.Store) map[string][]clv.Purchase {
	tb.Helper()
	out := map[string][]clv.Purchase{}
	for after := uint64(0); ; {
		page, err := store.ReadAll(context.Background(), eventstore.ReadAllOptions{After: after, Limit: 10000})
		require.NoError(tb, err)
		if len(page) == 0 {
			return out
		}
		for _, r := range page {
			after = r.Position
			if r.Type != "customer.purchase_recorded" {
				continue
			}
			var p customer.PurchaseRecorded
			require.NoError(tb, json.Unmarshal(r.Data, &p))
			require.Equal(tb, cdnow.Currency, p.Currency)
			out[r.Stream] = append(out[r.Stream], clv.Purchase{At: r.OccurredAt, Amount: p.Total})
		}
	}
}

// summaries imports a CDNOW file and summarises every customer over the
// calibration period, in stream order (deterministic input to the fits).
func summaries(tb testing.TB, file string) []clv.Customer {
	tb.Helper()
	byStream := purchasesByStream(tb, importCDNOW(tb, file))
	streams := make([]string, 0, len(byStream))
	for s := range byStream {
		streams = append(streams, s)
	}
	slices.Sort(streams)
	out := make([]clv.Customer, 0, len(streams))
	for _, s := range streams {
		c, err := clv.Summarize(s, byStream[s], calibrationEnd)
		require.NoError(tb, err)
		out = append(out, c)
	}
	return out
}

// TestCDNOWSample imports the CDNOW 1/10 sample once and checks the
// summaries and fits against the published figures.
func TestCDNOWSample(t *testing.T) {
	cs := summaries(t, sampleFile)
	t.Run("summaries match the papers", func(t *testing.T) { checkSummaries(t, cs) })
	t.Run("BG/NBD reproduces the published fit", func(t *testing.T) { checkBGNBD(t, cs) })
	t.Run("Gamma-Gamma reproduces the published fit", func(t *testing.T) { checkGammaGamma(t, cs) })
	t.Run("fits do not depend on customer order", func(t *testing.T) { checkOrder(t, cs) })
}

// checkSummaries checks the inputs against what the papers describe:
// 2,357 customers, 946 repeat buyers, and the paper's example customer
// (source id 00004: x = 2, t_x = 30.43, T = 38.86).
func checkSummaries(t *testing.T, cs []clv.Customer) {
	require.Len(t, cs, 2357)
	repeat := 0
	for _, c := range cs {
		if c.X > 0 {
			repeat++
		}
	}
	assert.Equal(t, 946, repeat)
	c := papersCustomerFrom(t, cs)
	assert.Equal(t, 2.0, c.X)
	assert.InDelta(t, 30.43, c.TX, 0.005)
	assert.InDelta(t, 38.86, c.T, 0.005)
	assert.InDelta(t, (2973+1496)/2.0, c.MeanSpend, 1e-9, "the mean of the two repeat days, in cents")
}

// papersCustomerFrom finds the sample's customer 00004 by its stream.
func papersCustomerFrom(t *testing.T, cs []clv.Customer) clv.Customer {
	t.Helper()
	stream := customer.Stream(cdnow.CustomerID(cdnow.Sample, "00004"))
	i := slices.IndexFunc(cs, func(c clv.Customer) bool { return c.ID == stream })
	require.GreaterOrEqual(t, i, 0, "stream %s", stream)
	return cs[i]
}

// checkBGNBD fits the imported sample and compares with Fader, Hardie &
// Lee (2005).
func checkBGNBD(t *testing.T, cs []clv.Customer) {
	m, err := clv.FitBGNBD(context.Background(), cs)
	require.NoError(t, err)
	t.Logf("BG/NBD on the CDNOW sample: %+v", m)
	assert.InDelta(t, 0.2426, m.R, 1e-3)
	assert.InDelta(t, 4.4135, m.Alpha, 1e-3)
	assert.InDelta(t, 0.7929, m.A, 1e-3)
	assert.InDelta(t, 2.4258, m.B, 1e-3)
	assert.InDelta(t, -9582.43, m.LogLikelihood, 0.05)
	assert.Equal(t, 2357, m.Customers)
	assert.InDelta(t, 1.226, m.ExpectedTransactions(39, papersCustomerFrom(t, cs)), 0.001)
}

// checkOrder fits the sample reversed and expects the very same numbers.
func checkOrder(t *testing.T, cs []clv.Customer) {
	reversed := slices.Clone(cs)
	slices.Reverse(reversed)
	for name, fit := range map[string]func([]clv.Customer) (any, error){
		"BG/NBD":      func(cs []clv.Customer) (any, error) { return clv.FitBGNBD(context.Background(), cs) },
		"Gamma-Gamma": func(cs []clv.Customer) (any, error) { return clv.FitGammaGamma(context.Background(), cs) },
	} {
		want, err := fit(cs)
		require.NoError(t, err, name)
		got, err := fit(reversed)
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
}

// checkGammaGamma fits the repeat buyers' mean spend in dollars and
// compares with Fader & Hardie (2013); in cents only v scales, by 100.
func checkGammaGamma(t *testing.T, cents []clv.Customer) {
	dollars := make([]clv.Customer, len(cents))
	for i, c := range cents {
		c.MeanSpend /= 100
		dollars[i] = c
	}
	m, err := clv.FitGammaGamma(context.Background(), dollars)
	require.NoError(t, err)
	t.Logf("Gamma-Gamma on the CDNOW sample, dollars: %+v", m)
	assert.InDelta(t, 6.25, m.P, 0.02)
	assert.InDelta(t, 3.74, m.Q, 0.02)
	assert.InDelta(t, 15.44, m.V, 0.02)
	assert.Equal(t, 946, m.Customers)

	inCents, err := clv.FitGammaGamma(context.Background(), cents)
	require.NoError(t, err)
	assert.InDelta(t, m.P, inCents.P, 1e-4)
	assert.InDelta(t, m.Q, inCents.Q, 1e-4)
	assert.InDelta(t, 100*m.V, inCents.V, 1e-2)
	t.Logf("correlation of frequency and mean spend among repeat buyers (the model assumes none): %.3f", correlation(dollars))
}

// correlation is Pearson's correlation of X and MeanSpend over the repeat
// buyers.
func correlation(cs []clv.Customer) float64 {
	var xs, ms []float64
	for _, c := range cs {
		if c.X > 0 {
			xs, ms = append(xs, c.X), append(ms, c.MeanSpend)
		}
	}
	return stat.Correlation(xs, ms, nil)
}
