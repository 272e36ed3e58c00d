package clv_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/integrate/quad"

	"github.com/ledgerline/ledgerline/projections/value/clv"
)

// spendModel is the Gamma-Gamma fit Fader & Hardie (2013) report for the
// CDNOW sample, in dollars.
var spendModel = clv.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}

func TestConditionalSpend(t *testing.T) {
	m := spendModel
	population := m.P * m.V / (m.Q - 1)
	tests := []struct {
		name string
		m    clv.GammaGamma
		c    clv.Customer
		want float64
	}{
		{"a one-time buyer gets the population mean", m, clv.Customer{T: 30}, population},
		{"a repeat buyer: a weighted mean of theirs and the population's", m, clv.Customer{X: 2, TX: 10, T: 30, MeanSpend: 50},
			(m.Q-1)/(2*m.P+m.Q-1)*population + 2*m.P/(2*m.P+m.Q-1)*50},
		{"no mean when q ≤ 1", clv.GammaGamma{P: 1, Q: 0.5, V: 1}, clv.Customer{T: 30}, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, tt.m.ConditionalSpend(tt.c), 1e-9)
		})
	}
}

// TestSpendDensityIntegratesToOne integrates the density of the mean
// spend over m_x, on a log scale, for several x.
func TestSpendDensityIntegratesToOne(t *testing.T) {
	for _, x := range []float64{1, 2, 5, 30} {
		density := func(u float64) float64 {
			m := math.Exp(u)
			return math.Exp(spendModel.LogLikelihoodOf(clv.Customer{X: x, TX: 1, T: 1, MeanSpend: m})) * m
		}
		assert.InDelta(t, 1, quad.Fixed(density, -15, 15, 2000, nil, 0), 1e-9, "x = %v", x)
	}
}

func TestPredictedValueIsTransactionsTimesSpend(t *testing.T) {
	c := clv.Customer{X: 2, TX: 30.43, T: 38.86, MeanSpend: 22.345}
	want := published.ExpectedTransactions(52, c) * spendModel.ConditionalSpend(c)
	assert.InDelta(t, want, clv.PredictedValue(52, c, published, spendModel), 1e-12)
	assert.Zero(t, clv.PredictedValue(0, c, published, spendModel))
}

func TestFitGammaGammaRejects(t *testing.T) {
	tests := []struct {
		name      string
		customers []clv.Customer
		want      error
		field     string
	}{
		{"no customers", nil, clv.ErrNoCustomers, ""},
		{"only one-time buyers and free repeat purchases", []clv.Customer{{T: 3}, {X: 2, TX: 1, T: 3}}, clv.ErrNoCustomers, ""},
		{"a negative mean spend", []clv.Customer{{X: 1, TX: 1, T: 3, MeanSpend: -1}}, nil, "mean_spend"},
		{"an infinite mean spend", []clv.Customer{{X: 1, TX: 1, T: 3, MeanSpend: math.Inf(1)}}, nil, "mean_spend"},
		{"everyone spends the same", []clv.Customer{{X: 1, TX: 1, T: 1, MeanSpend: 10}, {X: 2, TX: 1, T: 1, MeanSpend: 10}},
			clv.ErrDegenerate, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := clv.FitGammaGamma(context.Background(), tt.customers)
			if tt.field != "" {
				assertField(t, err, tt.field)
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}
