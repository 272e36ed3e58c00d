package clv

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// BGNBD is a fitted BG/NBD model (Fader, Hardie & Lee 2005): while alive,
// a customer buys at a Poisson rate λ ~ Gamma(R, Alpha); after each
// transaction they die with probability p ~ Beta(A, B). Times are in the
// weeks of [Customer]. A BGNBD is a value, safe for concurrent use.
type BGNBD struct {
	R, Alpha, A, B float64
	// LogLikelihood is the fit's log-likelihood, summed over Customers.
	LogLikelihood float64
	// Customers is how many customers the fit used.
	Customers int
}

// FitBGNBD returns the maximum-likelihood BG/NBD parameters for the
// customers, searched with Nelder-Mead over the logarithms of the
// parameters from r = alpha = a = b = 1. Customers with the same
// (X, TX, T) are evaluated once, with their count as weight, in a fixed
// order: the result does not depend on the order of customers and is the
// same, bit for bit, on every run on a platform. It fails with [ErrNoCustomers] on an
// empty slice, a validation error naming the field of an invalid
// customer, [ErrNotConverged], [ErrDegenerate] (e.g. when no customer
// has bought twice), or the context's error.
func FitBGNBD(ctx context.Context, customers []Customer) (BGNBD, error) {
	if len(customers) == 0 {
		return BGNBD{}, fmt.Errorf("fit BG/NBD: %w", ErrNoCustomers)
	}
	if err := validateAll(customers); err != nil {
		return BGNBD{}, fmt.Errorf("fit BG/NBD: %w", err)
	}
	hs, n := histories(customers), float64(len(customers))
	negMean := func(p []float64) float64 {
		m := BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]}
		return -m.logLikelihood(hs) / n
	}
	p, f, err := minimizeLog(ctx, negMean, "r", "alpha", "a", "b")
	if err != nil {
		return BGNBD{}, fmt.Errorf("fit BG/NBD: %w", err)
	}
	return BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3], LogLikelihood: -f * n, Customers: len(customers)}, nil
}

// history is one distinct (x, t_x, T) and how many customers share it.
type history struct{ x, tx, t, n float64 }

// histories collapses the customers into their distinct histories,
// sorted by x, then t_x, then T.
func histories(customers []Customer) []history {
	count := map[history]float64{}
	for _, c := range customers {
		count[history{x: c.X, tx: c.TX, t: c.T}]++
	}
	out := make([]history, 0, len(count))
	for h, n := range count {
		h.n = n
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b history) int {
		return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.tx, b.tx), cmp.Compare(a.t, b.t))
	})
	return out
}

// LogLikelihoodOf returns the log of the likelihood of one customer's
// (X, TX, T) (Fader, Hardie & Lee 2005), computed in log space:
//
//	ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
//	       + ln[ (α+T)^−(r+x) + δ(x>0) a/(b+x−1) (α+t_x)^−(r+x) ]
//
// with the last logarithm taken as a log-sum-exp, so that no power
// overflows however large x is (the problem of Fader & Hardie's 2013
// note on the #NUM! error).
func (m BGNBD) LogLikelihoodOf(c Customer) float64 {
	return m.logLikelihood([]history{{x: c.X, tx: c.TX, t: c.T, n: 1}})
}

// logLikelihood sums the weighted log-likelihoods of histories sorted by
// x, computing the terms that depend only on the parameters once and
// those that depend on x once per x.
func (m BGNBD) logLikelihood(hs []history) float64 {
	lgR, _ := math.Lgamma(m.R)
	base := m.R*math.Log(m.Alpha) - lgR - mathext.Lbeta(m.A, m.B)
	logA := math.Log(m.A)
	sum, x, perX := 0.0, math.NaN(), 0.0
	for _, h := range hs {
		if h.x != x {
			x = h.x
			lg, _ := math.Lgamma(m.R + x)
			perX = lg + mathext.Lbeta(m.A, m.B+x)
		}
		alive := -(m.R + x) * math.Log(m.Alpha+h.t)
		if x > 0 {
			dead := logA - math.Log(m.B+x-1) - (m.R+x)*math.Log(m.Alpha+h.tx)
			alive = logSumExp(alive, dead)
		}
		sum += h.n * (base + perX + alive)
	}
	return sum
}

// logSumExp returns ln(e^u + e^v) without overflow.
func logSumExp(u, v float64) float64 {
	hi, lo := max(u, v), min(u, v)
	return hi + math.Log1p(math.Exp(lo-hi))
}

// PAlive returns the probability that the customer is still alive at T,
// given (X, TX, T) (Fader, Hardie & Lee 2008, "Computing P(alive) Using
// the BG/NBD Model"):
//
//	P(alive) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x))
//
// It is exactly 1 for X = 0: the model lets a customer die only at a
// transaction, so a one-time buyer is never counted as gone however long
// their silence. A churn signal must not read that 1 as "safe".
func (m BGNBD) PAlive(c Customer) float64 {
	if c.X == 0 {
		return 1
	}
	return 1 / (1 + math.Exp(m.logDeadOdds(c)))
}

// logDeadOdds is ln[a/(b+x−1) ((α+T)/(α+t_x))^(r+x)] for X > 0: the log
// of the odds that the customer died after their last transaction.
func (m BGNBD) logDeadOdds(c Customer) float64 {
	return math.Log(m.A) - math.Log(m.B+c.X-1) + (m.R+c.X)*(math.Log(m.Alpha+c.T)-math.Log(m.Alpha+c.TX))
}
