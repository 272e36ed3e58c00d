package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// nearOne is how close to 1 the parameter a may come before the
// expectations interpolate between a = 1 ± nearOne: their closed form
// divides by a − 1, a removable singularity where the cancellation would
// otherwise eat the digits (at distance 1e-5 about five of them, and the
// interpolation's own error is of order 1e-10).
const nearOne = 1e-5

// ExpectedTransactions returns the number of transactions a customer
// with history (X, TX, T) is expected to make in the next t weeks,
// E[Y(t) | x, t_x, T] of Fader, Hardie & Lee (2005) eq. 10:
//
//	(a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)] · P(alive),
//	z = t/(α+T+t).
//
// ₂F₁ is gonum's mathext.Hypergeo, evaluated after Euler's transformation
// ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z), which turns the
// bracket into 1 − (1−z)^(a−1) ₂F₁(a−1, a+b−1−r; a+b+x−1; z): the
// parameters no longer grow with x, and the huge ₂F₁ and the tiny power
// of the original no longer have to cancel. t must be finite and not
// negative, or the result is NaN.
func (m BGNBD) ExpectedTransactions(t float64, c Customer) float64 {
	return m.expectedIfAlive(t, c) * m.PAlive(c)
}

// Expected returns E[X(t)], the number of transactions a customer is
// expected to make in the t weeks after their first purchase, unconditional
// on their history (Fader, Hardie & Lee 2005). It is
// [BGNBD.ExpectedTransactions] for x = 0 at T = 0.
func (m BGNBD) Expected(t float64) float64 {
	return m.expectedIfAlive(t, Customer{})
}

// expectedIfAlive is ExpectedTransactions without the P(alive) factor,
// interpolated linearly in a when a is within nearOne of 1.
func (m BGNBD) expectedIfAlive(t float64, c Customer) float64 {
	d := m.A - 1
	if math.Abs(d) >= nearOne {
		return m.expectedIfAliveAt(t, c)
	}
	lo, hi := m, m
	lo.A, hi.A = 1-nearOne, 1+nearOne
	w := (d + nearOne) / (2 * nearOne)
	return (1-w)*lo.expectedIfAliveAt(t, c) + w*hi.expectedIfAliveAt(t, c)
}

// expectedIfAliveAt evaluates the closed form; a must not be 1.
func (m BGNBD) expectedIfAliveAt(t float64, c Customer) float64 {
	if t < 0 || math.IsNaN(t) || math.IsInf(t, 0) {
		return math.NaN()
	}
	z := t / (m.Alpha + c.T + t)
	logPower := -(m.A - 1) * math.Log1p(t/(m.Alpha+c.T)) // ln (1−z)^(a−1)
	f := mathext.Hypergeo(m.A-1, m.A+m.B-1-m.R, m.A+m.B+c.X-1, z)
	return (m.A + m.B + c.X - 1) / (m.A - 1) * (1 - math.Exp(logPower)*f)
}
