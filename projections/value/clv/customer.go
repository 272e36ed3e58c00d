package clv

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ledgerline/ledgerline/domain"
)

// daysPerWeek converts the day counts of [Summarize] into weeks, the time
// unit of the published CDNOW figures.
const daysPerWeek = 7

// Customer is one customer's purchase history as the models see it: the
// frequency, recency and age of the BG/NBD model and the mean spend of the
// Gamma-Gamma model, all over a calibration period. Times are in weeks.
type Customer struct {
	// ID names the customer (e.g. its stream); the models ignore it.
	ID string
	// X is the number of repeat transactions: the distinct purchase days
	// after the first one, up to and including the calibration end.
	X float64
	// TX is the recency: weeks from the first purchase day to the last
	// repeat purchase day; 0 when X is 0.
	TX float64
	// T is the age: weeks from the first purchase day to the calibration
	// end.
	T float64
	// MeanSpend is the mean amount of the repeat transaction days, in
	// minor units of one currency (cents for CDNOW); 0 when X is 0. The
	// first purchase is left out, as in Fader, Hardie & Lee's CDNOW
	// analysis.
	MeanSpend float64
}

// Validate reports every field that the models cannot take, each as a
// *domain.ValidationError naming the field: NaN or infinite values,
// negative ones, TX above T, and TX or MeanSpend set when X is 0.
func (c Customer) Validate() error {
	errs := []error{
		nonNegative("x", c.X), nonNegative("t_x", c.TX),
		nonNegative("T", c.T), nonNegative("mean_spend", c.MeanSpend),
	}
	if c.TX > c.T {
		errs = append(errs, domain.Invalid("t_x", "must not exceed T", c.TX))
	}
	if c.X == 0 && c.TX != 0 {
		errs = append(errs, domain.Invalid("t_x", "must be 0 when x is 0", c.TX))
	}
	if c.X == 0 && c.MeanSpend != 0 {
		errs = append(errs, domain.Invalid("mean_spend", "must be 0 when x is 0", c.MeanSpend))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("validate customer %q: %w", c.ID, err)
	}
	return nil
}

func nonNegative(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return domain.Invalid(field, "must be a finite number not below 0", v)
	}
	return nil
}

// validateAll validates every customer and reports the first problem.
func validateAll(customers []Customer) error {
	for _, c := range customers {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Purchase is one dated purchase of a customer.
type Purchase struct {
	// At is when the purchase happened (business time, occurred_at).
	At time.Time
	// Amount is the purchase's total in minor units.
	Amount int64
}

// Summarize turns one customer's purchases into the models' inputs over
// the calibration period that ends on calibrationEnd's calendar date,
// inclusive, as the literature does for CDNOW:
//
//   - purchases are counted by calendar day in calibrationEnd's location,
//     and purchases of one day merge into one transaction of their summed
//     amount;
//   - X is the number of transaction days after the first one, up to and
//     including the end date; days after it are ignored;
//   - TX and T are the days from the first day to the last repeat day and
//     to the end date, divided by 7 (a customer who first bought on
//     1997-01-01 has T = 272/7 = 38.86 for the end date 1997-09-30);
//   - MeanSpend is the mean of the repeat days' amounts.
//
// The purchases may come in any order; they are not modified. It fails if
// there is no purchase on or before the end date or an amount is negative.
func Summarize(id string, purchases []Purchase, calibrationEnd time.Time) (Customer, error) {
	days, err := transactionDays(purchases, calibrationEnd.Location())
	if err != nil {
		return Customer{}, fmt.Errorf("summarize customer %q: %w", id, err)
	}
	end := dayNumber(calibrationEnd, calibrationEnd.Location())
	if len(days) == 0 || days[0].day > end {
		return Customer{}, fmt.Errorf("summarize customer %q: %w", id,
			domain.Invalid("purchases", "need one on or before the calibration end", calibrationEnd.Format(time.DateOnly)))
	}
	c := Customer{ID: id, T: float64(end-days[0].day) / daysPerWeek}
	var spend float64
	for _, d := range days[1:] {
		if d.day > end {
			break
		}
		c.X++
		c.TX = float64(d.day-days[0].day) / daysPerWeek
		spend += float64(d.amount)
	}
	if c.X > 0 {
		c.MeanSpend = spend / c.X
	}
	return c, nil
}

// day is one transaction day: a calendar day number and the day's amount.
type day struct {
	day    int64
	amount int64
}

// transactionDays merges purchases by calendar day in loc, in day order.
func transactionDays(purchases []Purchase, loc *time.Location) ([]day, error) {
	byDay := map[int64]int64{}
	for i, p := range purchases {
		if p.Amount < 0 {
			return nil, domain.Invalid(fmt.Sprintf("purchases[%d].amount", i), "must not be negative", p.Amount)
		}
		byDay[dayNumber(p.At, loc)] += p.Amount
	}
	days := make([]day, 0, len(byDay))
	for d, amount := range byDay {
		days = append(days, day{day: d, amount: amount})
	}
	slices.SortFunc(days, func(a, b day) int { return cmp.Compare(a.day, b.day) })
	return days, nil
}

// dayNumber is the number of the calendar day of t in loc, counted from
// 1970-01-01; differences of day numbers are whole days whatever the
// daylight-saving changes in between.
func dayNumber(t time.Time, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}
