package clv_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/ledgerline/ledgerline/projections/value/clv"
)

// published are the BG/NBD parameters Fader, Hardie & Lee (2005) report
// for the CDNOW sample.
var published = clv.BGNBD{R: 0.2426, Alpha: 4.4135, A: 0.7929, B: 2.4258}

// papersCustomer is the customer of the paper's worked example.
var papersCustomer = clv.Customer{X: 2, TX: 30.43, T: 38.86}

func TestExpectedTransactionsOfThePapersCustomer(t *testing.T) {
	assert.InDelta(t, 1.226, published.ExpectedTransactions(39, papersCustomer), 0.001)
}

func TestBGNBDEdgeCases(t *testing.T) {
	m := published
	huge := 1e6
	tests := []struct {
		name       string
		c          clv.Customer
		wantPAlive float64
	}{
		{"one-time buyer: P(alive) is 1 however long the silence", clv.Customer{T: 38}, 1},
		{"bought on the day of the calibration end: T = t_x", clv.Customer{X: 3, TX: 20, T: 20}, 1 / (1 + m.A/(m.B+2))},
		{"huge x, last purchase at T", clv.Customer{X: huge, TX: 30, T: 30}, 1 / (1 + m.A/(m.B+huge-1))},
		{"huge x, silent since", clv.Customer{X: huge, TX: 20, T: 30}, 0},
		{"new customer, T = 0", clv.Customer{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.wantPAlive, m.PAlive(tt.c), 1e-12)
			ll := m.LogLikelihoodOf(tt.c)
			assert.False(t, math.IsNaN(ll) || math.IsInf(ll, 0), "log-likelihood %v", ll)
			assert.Zero(t, m.ExpectedTransactions(0, tt.c))
			prev := 0.0
			for _, weeks := range []float64{1, 13, 39, 52, 520} {
				e := m.ExpectedTransactions(weeks, tt.c)
				require.False(t, math.IsNaN(e) || math.IsInf(e, 0), "E[Y(%v)] = %v", weeks, e)
				assert.GreaterOrEqual(t, e, prev, "E[Y(t)] grows with t")
				prev = e
			}
		})
	}
}

func TestExpectationsRejectBadHorizons(t *testing.T) {
	for _, weeks := range []float64{-1, math.NaN(), math.Inf(1)} {
		assert.True(t, math.IsNaN(published.ExpectedTransactions(weeks, papersCustomer)), "t = %v", weeks)
		assert.True(t, math.IsNaN(published.Expected(weeks)), "t = %v", weeks)
	}
}

// TestExpectationIsContinuousAtAOne: the closed form divides by a − 1;
// near a = 1 the values lie on the line through the closed form's values
// at a = 1 ± 1e-4, outside the interpolated band.
func TestExpectationIsContinuousAtAOne(t *testing.T) {
	at := func(a float64) float64 {
		m := published
		m.A = a
		return m.ExpectedTransactions(39, papersCustomer)
	}
	const h = 1e-4
	lo, hi := at(1-h), at(1+h)
	for _, a := range []float64{1, 1 + 1e-6, 1 - 1e-6, 1 + 0.9e-5, 1 + 1.1e-5, 1 - 1.1e-5} {
		e := at(a)
		require.False(t, math.IsNaN(e) || math.IsInf(e, 0), "a = %v", a)
		assert.InEpsilon(t, lo+(hi-lo)*(a-1+h)/(2*h), e, 1e-8, "a = %v", a)
	}
}

// TestExpectedAgreesWithSimulation draws customers from the BG/NBD
// process itself — λ ~ Gamma(r, α), p ~ Beta(a, b), Poisson purchases,
// death with probability p after each — and checks E[X(t)] against their
// mean count, within four standard errors.
func TestExpectedAgreesWithSimulation(t *testing.T) {
	const n, weeks = 200000, 39.0
	m := published
	src := rand.NewPCG(1, 2)
	rate := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: src}
	death := distuv.Beta{Alpha: m.A, Beta: m.B, Src: src}
	uniform := rand.New(src)
	var sum, sumSq float64
	for range n {
		lambda, p := rate.Rand(), death.Rand()
		count := 0.0
		for at := uniform.ExpFloat64() / lambda; at <= weeks; at += uniform.ExpFloat64() / lambda {
			count++
			if uniform.Float64() < p {
				break
			}
		}
		sum, sumSq = sum+count, sumSq+count*count
	}
	mean := sum / n
	se := math.Sqrt((sumSq/n - mean*mean) / n)
	assert.InDelta(t, mean, m.Expected(weeks), 4*se, "simulated mean %v ± %v", mean, se)
	assert.Equal(t, m.Expected(weeks), m.ExpectedTransactions(weeks, clv.Customer{}))
}

func TestFitBGNBDRejects(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	valid := []clv.Customer{{X: 1, TX: 2, T: 3}, {T: 4}}
	tests := []struct {
		name      string
		ctx       context.Context
		customers []clv.Customer
		want      error
		field     string
	}{
		{"no customers", context.Background(), nil, clv.ErrNoCustomers, ""},
		{"a NaN recency", context.Background(), append(valid, clv.Customer{X: 1, TX: math.NaN(), T: 3}), nil, "t_x"},
		{"a negative frequency", context.Background(), append(valid, clv.Customer{X: -1, T: 3}), nil, "x"},
		{"a cancelled context", cancelled, valid, context.Canceled, ""},
		{"nobody bought twice", context.Background(), []clv.Customer{{T: 10}, {T: 20}, {T: 30}}, clv.ErrDegenerate, ""},
		{"nobody ever went silent", context.Background(),
			[]clv.Customer{{X: 1, TX: 10, T: 10}, {X: 2, TX: 20, T: 20}, {X: 3, TX: 30, T: 30}}, clv.ErrDegenerate, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := clv.FitBGNBD(tt.ctx, tt.customers)
			if tt.field != "" {
				assertField(t, err, tt.field)
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}
