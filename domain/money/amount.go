package money

import (
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/ledgerline/ledgerline/domain"
)

// Amount is a sum of money: Minor units of Currency (1234 EUR is 12.34
// euros). The zero Amount has no currency and is invalid.
type Amount struct {
	Minor    int64    `json:"minor"`
	Currency Currency `json:"currency"`
}

// New returns minor units of currency c.
func New(minor int64, c Currency) Amount { return Amount{Minor: minor, Currency: c} }

// Validate reports whether a's currency is valid.
func (a Amount) Validate() error { return a.Currency.Validate() }

// String formats a with its currency's exponent, e.g. "12.34 EUR".
func (a Amount) String() string { return string(a.Append(nil)) }

// Append appends a, formatted as String formats it, to b and returns the
// extended buffer.
func (a Amount) Append(b []byte) []byte {
	magnitude := uint64(a.Minor)
	if a.Minor < 0 {
		b, magnitude = append(b, '-'), -magnitude // two's complement: exact for math.MinInt64 too
	}
	var buf [20]byte
	digits := strconv.AppendUint(buf[:0], magnitude, 10)
	e := max(a.Currency.Exponent(), 0)
	pad := max(0, e+1-len(digits)) // leading zeros: 5 cents are 0.05
	whole := len(digits) + pad - e
	for i := range whole + e {
		if i == whole {
			b = append(b, '.')
		}
		if i < pad {
			b = append(b, '0')
		} else {
			b = append(b, digits[i-pad])
		}
	}
	return append(append(b, ' '), a.Currency...)
}

// Add returns a+b; both must be in the same currency.
func (a Amount) Add(b Amount) (Amount, error) {
	if err := a.same(b); err != nil {
		return Amount{}, err
	}
	s, ok := Sum(a.Minor, b.Minor)
	if !ok {
		return Amount{}, overflow(a, b)
	}
	return New(s, a.Currency), nil
}

// Sub returns a-b; both must be in the same currency.
func (a Amount) Sub(b Amount) (Amount, error) {
	if b.Minor == math.MinInt64 {
		return Amount{}, overflow(a, b)
	}
	return a.Add(New(-b.Minor, b.Currency))
}

// Mul returns a times n (a unit price times a quantity).
func (a Amount) Mul(n int64) (Amount, error) {
	p, ok := Product(a.Minor, n)
	if !ok {
		return Amount{}, domain.Invalid("amount", "overflows int64", fmt.Sprintf("%d × %d", a.Minor, n))
	}
	return New(p, a.Currency), nil
}

// BasisPoints returns bp/10000 of a, rounded half away from zero: 1250 bp
// of 19.99 EUR is 2.50 EUR.
func (a Amount) BasisPoints(bp int64) Amount {
	r := new(big.Int).Mul(big.NewInt(a.Minor), big.NewInt(bp))
	q, m := new(big.Int).QuoRem(r, big.NewInt(10000), new(big.Int))
	if m.CmpAbs(big.NewInt(5000)) >= 0 {
		q.Add(q, big.NewInt(int64(r.Sign())))
	}
	return New(q.Int64(), a.Currency)
}

func (a Amount) same(b Amount) error {
	if a.Currency != b.Currency {
		return domain.Invalid("currency", "must be "+string(a.Currency)+", like the amount it is combined with", string(b.Currency))
	}
	return nil
}

func overflow(a, b Amount) error {
	return domain.Invalid("amount", "overflows int64", fmt.Sprintf("%d, %d", a.Minor, b.Minor))
}
