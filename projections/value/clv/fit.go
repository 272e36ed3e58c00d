package clv

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

var (
	// ErrNoCustomers means a fit was given no customer it can use (for
	// Gamma-Gamma: no repeat buyer with a positive mean spend).
	ErrNoCustomers = errors.New("clv: no customers to fit")
	// ErrNotConverged means the optimiser stopped without converging; the
	// parameters it reached are not maximum-likelihood estimates.
	ErrNotConverged = errors.New("clv: fit did not converge")
	// ErrDegenerate means the likelihood keeps growing as a parameter runs
	// off to 0 or infinity: the data do not identify the model (no repeat
	// buyer, no sign of churn, too few customers). Predictions from such a
	// fit would be meaningless.
	ErrDegenerate = errors.New("clv: data do not identify the model")
)

// Optimiser limits and bounds.
const (
	// maxIterations stops a search that wanders off; a fit that reaches
	// it reports ErrNotConverged.
	maxIterations = 20000
	// restarts is how many times Nelder-Mead is restarted from its own
	// optimum with a fresh simplex, the usual remedy for a simplex that
	// collapses before the optimum.
	restarts = 2
	// logBound bounds the log-parameters searched: exp(±40) is far
	// outside any plausible estimate, and stops overflow in the
	// likelihood.
	logBound = 40
	// degenerateBound is where an estimate counts as run off: exp(±20) is
	// about 2e-9 and 5e8 (a V of 5e8 minor units would mean transactions
	// of millions in a currency's major unit).
	degenerateBound = 20
)

// minimizeLog minimises f over the positive parameters named, searching
// over their logarithms with Nelder-Mead from all parameters 1. It
// returns the parameters and f there. Non-finite values of f count as
// +Inf, so the search steps back from them.
func minimizeLog(ctx context.Context, f func(params []float64) float64, names ...string) ([]float64, float64, error) {
	obj := func(u []float64) float64 {
		p := make([]float64, len(u))
		for i, v := range u {
			if math.Abs(v) > logBound {
				return math.Inf(1)
			}
			p[i] = math.Exp(v)
		}
		if v := f(p); !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v
		}
		return math.Inf(1)
	}
	u := make([]float64, len(names))
	var res *optimize.Result
	for range restarts + 1 {
		var err error
		if res, err = optimize.Minimize(optimize.Problem{Func: obj}, u, settings(ctx), &optimize.NelderMead{}); err != nil {
			return nil, 0, fmt.Errorf("minimize: %w", err)
		}
		u = res.X
	}
	if res.Status != optimize.FunctionConvergence || math.IsInf(res.F, 0) {
		return nil, 0, fmt.Errorf("minimize: %w (%v)", ErrNotConverged, res.Status)
	}
	p := make([]float64, len(names))
	for i, v := range res.X {
		p[i] = math.Exp(v)
		if math.Abs(v) > degenerateBound {
			return nil, 0, fmt.Errorf("minimize: %s ran off to %g: %w", names[i], p[i], ErrDegenerate)
		}
	}
	return p, res.F, nil
}

// settings stop a run when the mean negative log-likelihood has not
// improved by more than 1e-12 in 100 iterations, or when ctx ends.
func settings(ctx context.Context) *optimize.Settings {
	return &optimize.Settings{
		Converger:       &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-13, Iterations: 100},
		MajorIterations: maxIterations,
		Recorder:        stopper(ctx.Err),
	}
}

// stopper is an optimize.Recorder that stops the optimiser, at any
// iteration, with the error its function returns (a context's Err).
type stopper func() error

// Init implements optimize.Recorder.
func (s stopper) Init() error { return s() }

// Record implements optimize.Recorder.
func (s stopper) Record(*optimize.Location, optimize.Operation, *optimize.Stats) error { return s() }
