package date

import (
	"time"

	"github.com/ledgerline/ledgerline/domain"
)

const layout = "2006-01-02"

// Date is a calendar day. The zero Date means "not set". Dates are
// comparable with ==.
type Date struct {
	year  int
	month time.Month
	day   int
}

// New returns the day year-month-day, normalised like time.Date
// (2025-02-30 is 2025-03-02).
func New(year int, month time.Month, day int) Date {
	return Of(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// Of returns the UTC day of t.
func Of(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{year: y, month: m, day: d}
}

// Parse reads "YYYY-MM-DD" (field "date").
func Parse(s string) (Date, error) {
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, domain.Invalid("date", "must be YYYY-MM-DD", s)
	}
	return Of(t), nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Start returns midnight UTC at the start of d.
func (d Date) Start() time.Time { return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.Start().Compare(e.Start()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return Of(d.Start().AddDate(0, 0, n)) }

// DaysUntil returns the number of days from d to e (negative if e is
// earlier).
func (d Date) DaysUntil(e Date) int { return int(e.Start().Sub(d.Start()).Hours() / 24) }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Start().Format(layout)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; "" is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := Parse(string(b))
	*d = p
	return err
}
