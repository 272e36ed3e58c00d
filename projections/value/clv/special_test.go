package clv

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
)

// series sums the Gaussian hypergeometric series
//
//	₂F₁(a, b; c; z) = Σ_j u_j,  u_0 = 1,  u_j = u_{j−1} (a+j−1)(b+j−1) / ((c+j−1) j) z,
//
// the recursion Fader, Hardie & Lee (2005) give for evaluating
// their eq. 10, for 0 ≤ z < 1. It stops when 20 consecutive terms are each
// below 1e-17 of the sum, and fails the test if that takes a million
// terms. It is the independent oracle for mathext.Hypergeo.
func series(t *testing.T, a, b, c, z float64) float64 {
	t.Helper()
	u, sum, small := 1.0, 1.0, 0
	for j := 1.0; j < 1e6; j++ {
		u *= (a + j - 1) * (b + j - 1) / ((c + j - 1) * j) * z
		sum += u
		if math.Abs(u) >= 1e-17*math.Abs(sum) {
			small = 0
		} else if small++; small == 20 {
			return sum
		}
	}
	require.FailNow(t, "hypergeometric series did not converge", "a=%v b=%v c=%v z=%v", a, b, c, z)
	return math.NaN()
}

// published are the BG/NBD parameters Fader, Hardie & Lee (2005) report
// for the CDNOW sample.
var published = BGNBD{R: 0.2426, Alpha: 4.4135, A: 0.7929, B: 2.4258}

func TestHypergeoAgreesWithTheSeries(t *testing.T) {
	m := published
	tests := []struct {
		name       string
		a, b, c, z float64
	}{
		{"the paper's customer, as in eq. 10", m.R + 2, m.B + 2, m.A + m.B + 1, 39 / (m.Alpha + 38.86 + 39)},
		{"the paper's customer, after Euler's transformation", m.A - 1, m.A + m.B - 1 - m.R, m.A + m.B + 1, 39 / (m.Alpha + 38.86 + 39)},
		{"one-time buyer, 52 weeks, transformed", m.A - 1, m.A + m.B - 1 - m.R, m.A + m.B - 1, 52 / (m.Alpha + 30 + 52)},
		{"long horizon, z near 1", m.A - 1, m.A + m.B - 1 - m.R, m.A + m.B + 9, 0.95},
		{"huge x", m.A - 1, m.A + m.B - 1 - m.R, m.A + m.B + 1e5 - 1, 0.5},
		{"a above 1", 1.7, 3.1, 4.2, 0.3},
		{"z = 0", 0.5, 0.5, 1.5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := series(t, tt.a, tt.b, tt.c, tt.z)
			assert.InEpsilon(t, want, mathext.Hypergeo(tt.a, tt.b, tt.c, tt.z), 1e-11)
		})
	}
}

// TestEulerFormEqualsEq10 evaluates eq. 10 as printed, with the series,
// against the transformed form the package computes.
func TestEulerFormEqualsEq10(t *testing.T) {
	m := published
	tests := []struct {
		name string
		t    float64
		c    Customer
	}{
		{"the paper's customer", 39, Customer{X: 2, TX: 30.43, T: 38.86}},
		{"one-time buyer", 39, Customer{T: 30}},
		{"frequent buyer", 52, Customer{X: 20, TX: 35, T: 38}},
		{"short horizon", 1, Customer{X: 3, TX: 10, T: 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, c := tt.c.X, tt.c
			z := tt.t / (m.Alpha + c.T + tt.t)
			power := math.Pow((m.Alpha+c.T)/(m.Alpha+c.T+tt.t), m.R+x)
			printed := (m.A + m.B + x - 1) / (m.A - 1) * (1 - power*series(t, m.R+x, m.B+x, m.A+m.B+x-1, z))
			assert.InEpsilon(t, printed, m.expectedIfAlive(tt.t, c), 1e-10)
		})
	}
}

func TestLogSumExp(t *testing.T) {
	tests := []struct{ u, v, want float64 }{
		{0, 0, math.Ln2},
		{1000, 1000, 1000 + math.Ln2},
		{-1000, -1000, -1000 + math.Ln2},
		{0, -800, 0},
		{-800, 3, 3},
		{math.Inf(-1), 5, 5},
		{math.Log(2), math.Log(3), math.Log(5)},
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, logSumExp(tt.u, tt.v), 1e-12, "u=%v v=%v", tt.u, tt.v)
	}
}

func TestHistoriesCollapseAndSort(t *testing.T) {
	cs := []Customer{{X: 2, TX: 1, T: 3}, {T: 5}, {X: 2, TX: 1, T: 3}, {T: 4}, {X: 1, TX: 2, T: 3}}
	assert.Equal(t, []history{{t: 4, n: 1}, {t: 5, n: 1}, {x: 1, tx: 2, t: 3, n: 1}, {x: 2, tx: 1, t: 3, n: 2}}, histories(cs))
	var sum float64
	for _, c := range cs {
		sum += published.LogLikelihoodOf(c)
	}
	assert.InDelta(t, sum, published.logLikelihood(histories(cs)), 1e-9)
}

func TestSpendsKeepPositiveRepeatSpend(t *testing.T) {
	cs := []Customer{{X: 2, TX: 1, T: 3, MeanSpend: 7}, {T: 5}, {X: 1, TX: 1, T: 3}, {X: 2, TX: 2, T: 3, MeanSpend: 7}, {X: 1, TX: 2, T: 3, MeanSpend: 9}}
	assert.Equal(t, []spend{{x: 1, m: 9, n: 1}, {x: 2, m: 7, n: 2}}, spends(cs))
}
