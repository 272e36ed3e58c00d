package money_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/money"
)

func TestParseCurrency(t *testing.T) {
	for _, tc := range []struct {
		code     string
		exponent int
	}{
		{"EUR", 2}, {"USD", 2}, {"PLN", 2}, {"JPY", 0}, {"KRW", 0}, {"KWD", 3}, {"BHD", 3}, {"CLF", 4}, {"XCG", 2}, {"ZWG", 2}, {"SLE", 2},
	} {
		c, err := money.ParseCurrency(tc.code)
		require.NoError(t, err, tc.code)
		assert.Equal(t, tc.exponent, c.Exponent(), tc.code)
	}
	for _, bad := range []string{"", "eur", "EURO", "DEM", "HRK", "ZWL", "ANG", "XAU", "XXX", "XTS"} {
		_, err := money.ParseCurrency(bad)
		var v *domain.ValidationError
		require.ErrorAs(t, err, &v, bad)
		assert.Equal(t, "currency", v.Field)
		assert.ErrorIs(t, err, domain.ErrInvalid)
	}
	assert.Equal(t, -1, money.Currency("DEM").Exponent())
	assert.Greater(t, money.Currencies(), 150)
}

func TestArithmetic(t *testing.T) {
	eur := func(n int64) money.Amount { return money.New(n, "EUR") }
	sum, err := eur(1999).Add(eur(1))
	require.NoError(t, err)
	assert.Equal(t, eur(2000), sum)
	diff, err := eur(5).Sub(eur(7))
	require.NoError(t, err)
	assert.Equal(t, eur(-2), diff)
	prod, err := eur(1299).Mul(3)
	require.NoError(t, err)
	assert.Equal(t, eur(3897), prod)

	_, err = eur(1).Add(money.New(1, "USD"))
	assertField(t, err, "currency")
	_, err = eur(1).Sub(money.New(1, "USD"))
	assertField(t, err, "currency")
	_, err = eur(math.MaxInt64).Add(eur(1))
	assertField(t, err, "amount")
	_, err = eur(0).Sub(eur(math.MinInt64))
	assertField(t, err, "amount")
	_, err = eur(math.MaxInt64/2 + 1).Mul(2)
	assertField(t, err, "amount")
}

func TestBasisPoints(t *testing.T) {
	for _, tc := range []struct{ minor, bp, want int64 }{
		{1999, 1250, 250}, // 249.875 rounds up
		{1000, 1000, 100},
		{1, 5000, 1}, // 0.5 rounds away from zero
		{1, 4999, 0},
		{-1, 5000, -1},
		{12345, 10000, 12345},
		{math.MaxInt64, 10000, math.MaxInt64},
	} {
		assert.Equal(t, money.New(tc.want, "EUR"), money.New(tc.minor, "EUR").BasisPoints(tc.bp), "%d × %d bp", tc.minor, tc.bp)
	}
}

func TestString(t *testing.T) {
	assert.Equal(t, "12.34 EUR", money.New(1234, "EUR").String())
	assert.Equal(t, "-0.05 EUR", money.New(-5, "EUR").String())
	assert.Equal(t, "1234 JPY", money.New(1234, "JPY").String())
	assert.Equal(t, "1.234 KWD", money.New(1234, "KWD").String())
	assert.Equal(t, "0.00 EUR", money.New(0, "EUR").String())
	assert.Equal(t, "-120.00 USD", money.New(-12000, "USD").String())
	assert.Equal(t, "0.007 KWD", money.New(7, "KWD").String())
	assert.Equal(t, "-92233720368547758.08 EUR", money.New(math.MinInt64, "EUR").String())
	assert.Equal(t, "92233720368547758.07 EUR", money.New(math.MaxInt64, "EUR").String())
	assert.Equal(t, "-3 JPY", money.New(-3, "JPY").String())
	assert.Equal(t, "total 0.50 EUR", string(money.New(50, "EUR").Append([]byte("total "))), "Append extends its buffer")
}

func TestSumAndProduct(t *testing.T) {
	for _, tc := range []struct {
		a, b int64
		ok   bool
	}{{1, 2, true}, {math.MaxInt64, 1, false}, {math.MinInt64, -1, false}, {math.MaxInt64, -1, true}, {0, 0, true}} {
		_, ok := money.Sum(tc.a, tc.b)
		assert.Equal(t, tc.ok, ok, "%d+%d", tc.a, tc.b)
	}
	for _, tc := range []struct {
		a, b int64
		ok   bool
	}{{3, 4, true}, {math.MaxInt64, 2, false}, {math.MinInt64, -1, false}, {-1, math.MinInt64, false}, {0, math.MaxInt64, true}, {-3, 5, true}} {
		_, ok := money.Product(tc.a, tc.b)
		assert.Equal(t, tc.ok, ok, "%d×%d", tc.a, tc.b)
	}
}

func assertField(t *testing.T, err error, field string) {
	t.Helper()
	var v *domain.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, field, v.Field)
	assert.ErrorIs(t, err, domain.ErrInvalid)
}
