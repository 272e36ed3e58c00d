package clv_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/projections/value/clv"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestSummarize(t *testing.T) {
	end := day(1997, time.September, 30)
	tests := []struct {
		name      string
		purchases []clv.Purchase
		want      clv.Customer
	}{
		{"one purchase on the first day of the period: T is 272 days, 38.86 weeks",
			[]clv.Purchase{{At: day(1997, 1, 1), Amount: 2933}},
			clv.Customer{ID: "c", T: 272.0 / 7}},
		{"the paper's customer: x 2, t_x 30.43, T 38.86, and the holdout is ignored",
			[]clv.Purchase{{At: day(1997, 1, 1), Amount: 2933}, {At: day(1997, 1, 18), Amount: 2973},
				{At: day(1997, 8, 2), Amount: 1496}, {At: day(1997, 12, 12), Amount: 2648}},
			clv.Customer{ID: "c", X: 2, TX: 213.0 / 7, T: 272.0 / 7, MeanSpend: 2234.5}},
		{"purchases of one day merge into one transaction, also on the first day",
			[]clv.Purchase{{At: day(1997, 3, 1), Amount: 100}, {At: day(1997, 3, 1).Add(20 * time.Hour), Amount: 50},
				{At: day(1997, 3, 8), Amount: 300}, {At: day(1997, 3, 8).Add(time.Hour), Amount: 200}},
			clv.Customer{ID: "c", X: 1, TX: 1, T: 213.0 / 7, MeanSpend: 500}},
		{"order does not matter",
			[]clv.Purchase{{At: day(1997, 9, 30), Amount: 10}, {At: day(1997, 9, 16), Amount: 30}, {At: day(1997, 9, 2), Amount: 0}},
			clv.Customer{ID: "c", X: 2, TX: 4, T: 4, MeanSpend: 20}},
		{"a first purchase on the calibration end day gives T = 0",
			[]clv.Purchase{{At: day(1997, 9, 30).Add(23 * time.Hour), Amount: 10}},
			clv.Customer{ID: "c"}},
		{"free repeat purchases count, with a mean spend of 0",
			[]clv.Purchase{{At: day(1997, 9, 2), Amount: 0}, {At: day(1997, 9, 9), Amount: 0}},
			clv.Customer{ID: "c", X: 1, TX: 1, T: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := clv.Summarize("c", tt.purchases, end)
			require.NoError(t, err)
			assert.Equal(t, tt.want.X, got.X)
			assert.InDelta(t, tt.want.TX, got.TX, 1e-12)
			assert.InDelta(t, tt.want.T, got.T, 1e-12)
			assert.InDelta(t, tt.want.MeanSpend, got.MeanSpend, 1e-12)
			assert.NoError(t, got.Validate())
		})
	}
}

// TestSummarizeCountsDaysInTheEndsLocation: a purchase late in the
// evening in New York is on the next day in UTC.
func TestSummarizeCountsDaysInTheEndsLocation(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	first := time.Date(1997, 3, 1, 20, 0, 0, 0, ny) // 1997-03-02 01:00 UTC
	second := time.Date(1997, 3, 2, 9, 0, 0, 0, ny)
	purchases := []clv.Purchase{{At: first, Amount: 1}, {At: second, Amount: 1}}
	inNY, err := clv.Summarize("c", purchases, time.Date(1997, 3, 2, 0, 0, 0, 0, ny))
	require.NoError(t, err)
	assert.Equal(t, 1.0, inNY.X)
	inUTC, err := clv.Summarize("c", purchases, day(1997, 3, 2))
	require.NoError(t, err)
	assert.Equal(t, 0.0, inUTC.X, "both purchases are on 1997-03-02 in UTC")
}

func TestSummarizeRejects(t *testing.T) {
	end := day(1997, 9, 30)
	tests := []struct {
		name      string
		purchases []clv.Purchase
		field     string
	}{
		{"no purchase", nil, "purchases"},
		{"only purchases after the calibration end", []clv.Purchase{{At: day(1997, 10, 1), Amount: 1}}, "purchases"},
		{"a negative amount", []clv.Purchase{{At: day(1997, 1, 1), Amount: 1}, {At: day(1997, 2, 1), Amount: -1}}, "purchases[1].amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := clv.Summarize("c", tt.purchases, end)
			assertField(t, err, tt.field)
		})
	}
}

func TestValidateNamesTheField(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name  string
		c     clv.Customer
		field string
	}{
		{"NaN x", clv.Customer{X: nan, T: 1}, "x"},
		{"negative x", clv.Customer{X: -1, T: 1}, "x"},
		{"infinite t_x", clv.Customer{X: 1, TX: inf, T: 1}, "t_x"},
		{"negative t_x", clv.Customer{X: 1, TX: -1, T: 1}, "t_x"},
		{"NaN T", clv.Customer{T: nan}, "T"},
		{"negative T", clv.Customer{T: -2}, "T"},
		{"NaN mean spend", clv.Customer{X: 1, TX: 1, T: 1, MeanSpend: nan}, "mean_spend"},
		{"negative mean spend", clv.Customer{X: 1, TX: 1, T: 1, MeanSpend: -5}, "mean_spend"},
		{"t_x after T", clv.Customer{X: 1, TX: 3, T: 2}, "t_x"},
		{"t_x without a repeat purchase", clv.Customer{TX: 1, T: 2}, "t_x"},
		{"mean spend without a repeat purchase", clv.Customer{T: 2, MeanSpend: 3}, "mean_spend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.ID = "c-1"
			err := tt.c.Validate()
			assertField(t, err, tt.field)
			assert.Contains(t, err.Error(), `"c-1"`)
		})
	}
}

// assertField asserts that err is a validation error naming field.
func assertField(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, domain.ErrInvalid)
	assert.Contains(t, fieldsOf(err), field, "error: %v", err)
}

// fieldsOf returns the fields of every *domain.ValidationError in err's
// tree (errors.As finds only the first).
func fieldsOf(err error) []string {
	if ve, ok := err.(*domain.ValidationError); ok {
		return []string{ve.Field}
	}
	var out []string
	switch e := err.(type) {
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			out = append(out, fieldsOf(inner)...)
		}
	case interface{ Unwrap() error }:
		out = fieldsOf(e.Unwrap())
	}
	return out
}
