package clv

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// GammaGamma is a fitted Gamma-Gamma model of spend (Fader, Hardie & Lee
// 2005, "RFM and CLV"; Fader & Hardie 2013): a customer's transaction
// amounts are Gamma(P, ν) around their own mean, and ν ~ Gamma(Q, V)
// across customers. V carries the unit of [Customer.MeanSpend] (Fader &
// Hardie's γ, lifetimes' v); P and Q are unitless. A GammaGamma is a
// value, safe for concurrent use.
type GammaGamma struct {
	P, Q, V float64
	// LogLikelihood is the fit's log-likelihood, summed over Customers.
	LogLikelihood float64
	// Customers is how many customers the fit used.
	Customers int
}

// FitGammaGamma returns the maximum-likelihood Gamma-Gamma parameters for
// the repeat buyers among the customers (X > 0) and their MeanSpend,
// searched with Nelder-Mead over the logarithms of the parameters from
// p = q = v = 1. Customers with X = 0, and repeat buyers whose mean spend
// is 0 (only free items: the model's density lives on positive amounts),
// are left out. Like [FitBGNBD] it evaluates the customers in a fixed
// order, so the result does not depend on theirs. It fails with
// [ErrNoCustomers] if no customer is left, a validation error naming the
// field of an invalid customer, [ErrNotConverged], [ErrDegenerate], or the
// context's error.
func FitGammaGamma(ctx context.Context, customers []Customer) (GammaGamma, error) {
	if err := validateAll(customers); err != nil {
		return GammaGamma{}, fmt.Errorf("fit Gamma-Gamma: %w", err)
	}
	ss := spends(customers)
	if len(ss) == 0 {
		return GammaGamma{}, fmt.Errorf("fit Gamma-Gamma: %w", ErrNoCustomers)
	}
	var n float64
	for _, s := range ss {
		n += s.n
	}
	negMean := func(p []float64) float64 {
		m := GammaGamma{P: p[0], Q: p[1], V: p[2]}
		return -m.logLikelihood(ss) / n
	}
	p, f, err := minimizeLog(ctx, negMean, "p", "q", "v")
	if err != nil {
		return GammaGamma{}, fmt.Errorf("fit Gamma-Gamma: %w", err)
	}
	return GammaGamma{P: p[0], Q: p[1], V: p[2], LogLikelihood: -f * n, Customers: int(n)}, nil
}

// spend is one distinct (x, m_x) of a repeat buyer and how many customers
// share it.
type spend struct{ x, m, n float64 }

// spends collapses the repeat buyers with a positive mean spend into
// their distinct (x, m_x), sorted by x, then m_x.
func spends(customers []Customer) []spend {
	count := map[spend]float64{}
	for _, c := range customers {
		if c.X > 0 && c.MeanSpend > 0 {
			count[spend{x: c.X, m: c.MeanSpend}]++
		}
	}
	out := make([]spend, 0, len(count))
	for s, n := range count {
		s.n = n
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b spend) int { return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.m, b.m)) })
	return out
}

// LogLikelihoodOf returns the log-density of a repeat buyer's mean spend
// m_x given their X = x transactions (Fader & Hardie 2013):
//
//	ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m_x + px ln x − (px+q) ln(v + x m_x)
//
// It is −Inf for m_x = 0 and NaN for x = 0, where the density is not
// defined.
func (m GammaGamma) LogLikelihoodOf(c Customer) float64 {
	return m.logLikelihood([]spend{{x: c.X, m: c.MeanSpend, n: 1}})
}

// logLikelihood sums the weighted log-densities of spends sorted by x,
// computing the Gamma functions of px once per x.
func (m GammaGamma) logLikelihood(ss []spend) float64 {
	lgQ, _ := math.Lgamma(m.Q)
	base := m.Q*math.Log(m.V) - lgQ
	sum, x, perX := 0.0, math.NaN(), 0.0
	for _, s := range ss {
		px := m.P * s.x
		if s.x != x {
			x = s.x
			lgPXQ, _ := math.Lgamma(px + m.Q)
			lgPX, _ := math.Lgamma(px)
			perX = lgPXQ - lgPX + px*math.Log(x)
		}
		sum += s.n * (base + perX + (px-1)*math.Log(s.m) - (px+m.Q)*math.Log(m.V+x*s.m))
	}
	return sum
}

// ConditionalSpend returns the expected amount of the customer's future
// transactions given their X and MeanSpend (Fader, Hardie & Lee 2005,
// "RFM and CLV"; Fader & Hardie 2013):
//
//	E[M | p, q, v, m_x, x] = p (v + x m_x) / (p x + q − 1),
//
// a weighted mean of the population mean p v/(q−1) and the customer's own
// m_x; for X = 0 it is the population mean. The unit is MeanSpend's. It
// is +Inf when p x + q ≤ 1, where the mean does not exist.
func (m GammaGamma) ConditionalSpend(c Customer) float64 {
	d := m.P*c.X + m.Q - 1
	if d <= 0 {
		return math.Inf(1)
	}
	return m.P * (m.V + c.X*c.MeanSpend) / d
}

// PredictedValue returns the value a customer is expected to bring in the
// next horizonWeeks: [BGNBD.ExpectedTransactions] × [GammaGamma.ConditionalSpend],
// in MeanSpend's unit (minor units). It is not discounted: a horizon of a
// year or two, which the CDNOW holdout of 39 weeks fits, makes little
// difference; a lifetime value needs discounting per period, which this
// package does not do.
func PredictedValue(horizonWeeks float64, c Customer, transactions BGNBD, spend GammaGamma) float64 {
	return transactions.ExpectedTransactions(horizonWeeks, c) * spend.ConditionalSpend(c)
}
