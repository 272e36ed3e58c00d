package value

import (
	"context"
	"errors"
	"math"

	"github.com/ledgerline/ledgerline/projections/value/clv"
)

// fit fits both models to one currency's customers. A fit that fails on
// the data (too few customers, nobody bought twice, no convergence) is
// reported in the model, not as an error; only a cancelled context is.
func fit(ctx context.Context, currency string, inputs []clv.Customer) (Model, error) {
	m := Model{Currency: currency, Customers: len(inputs)}
	bg, err := clv.FitBGNBD(ctx, inputs)
	if ctx.Err() != nil {
		return Model{}, errors.Join(err, ctx.Err())
	}
	if err != nil {
		m.BGNBDError = err.Error()
	} else {
		m.BGNBD = &bg
	}
	gg, err := clv.FitGammaGamma(ctx, inputs)
	if ctx.Err() != nil {
		return Model{}, errors.Join(err, ctx.Err())
	}
	if err != nil {
		m.GammaGammaError = err.Error()
	} else {
		m.GammaGamma = &gg
	}
	return m, nil
}

// predict sets the model outputs of each row: expected transactions over
// the horizon and P(alive) when BG/NBD was fitted, predicted value when
// Gamma-Gamma was too. Values that are not finite stay nil.
func predict(rows []Row, inputs []clv.Customer, m Model, horizon float64) {
	if m.BGNBD == nil {
		return
	}
	for i, c := range inputs {
		rows[i].ExpectedTransactions = finite(m.BGNBD.ExpectedTransactions(horizon, c))
		rows[i].PAlive = finite(m.BGNBD.PAlive(c))
		if m.GammaGamma != nil {
			rows[i].PredictedValue = finite(clv.PredictedValue(horizon, c, *m.BGNBD, *m.GammaGamma))
		}
	}
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
