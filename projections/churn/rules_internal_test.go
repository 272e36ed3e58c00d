package churn

import (
	"database/sql"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/projections/value"
)

var asOf = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return asOf.AddDate(0, 0, -n) }

func eventID(n int) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(n)}) }

func testEnv() env { return env{asOf: asOf, opts: Options{}.withDefaults(), rhythm: 10} }

// buyer has purchases of the amounts, on the days ago given.
func buyer(ago []int, amounts []int64) *subject {
	s := &subject{}
	h := value.History{Currency: "EUR"}
	for i, d := range ago {
		p := value.Purchase{EventID: eventID(i), At: daysAgo(d), Total: amounts[i]}
		h.Purchases = append(h.Purchases, p)
	}
	s.histories, s.purchases = []value.History{h}, h.Purchases
	return s
}

func flat(n int64, k int) []int64 {
	out := make([]int64, k)
	for i := range out {
		out[i] = n
	}
	return out
}

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		weights []float64
		want    int
	}{
		{nil, 0},
		{[]float64{0.2}, 20},
		{[]float64{0.5, 0.5}, 75},
		{[]float64{0.9, 0.3, 0.2}, 94},
		{[]float64{1}, 100},
	} {
		reasons := make([]Reason, len(tc.weights))
		for i, w := range tc.weights {
			reasons[i] = Reason{Weight: w}
		}
		assert.Equal(t, tc.want, score(reasons), "%v", tc.weights)
	}
}

func TestSilence(t *testing.T) {
	for _, tc := range []struct {
		name       string
		ago        []int
		wantWeight float64 // 0: must not fire
	}{
		{"one purchase day is not a rhythm", []int{100}, 0},
		{"two purchases on one day are one day", []int{100, 100}, 0},
		{"exactly 3 × the median gap", []int{40, 30, 20, 10, 30 + 0}, 0},
		{"just beyond 3 × the median gap", []int{71, 61, 51, 41, 31}, 0.41},
		{"10 × the median gap is capped", []int{120, 110, 100}, 0.8},
		{"median of uneven gaps (2, 4, 30: 4)", []int{49, 47, 43, 13}, 0.4 + 0.1*(13.0/4-3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := buyer(tc.ago, flat(1000, len(tc.ago)))
			sortByTime(s.purchases, func(p value.Purchase) (time.Time, uuid.UUID) { return p.At, p.EventID })
			r := silence(testEnv(), s)
			if tc.wantWeight == 0 {
				assert.Nil(t, r)
				return
			}
			if assert.NotNil(t, r) {
				assert.InDelta(t, tc.wantWeight, r.Weight, 1e-4)
				assert.Equal(t, []uuid.UUID{s.purchases[len(s.purchases)-1].EventID}, r.EventIDs)
			}
		})
	}
}

func TestFallingSpend(t *testing.T) {
	for _, tc := range []struct {
		name    string
		amounts []int64
		fires   bool
	}{
		{"too few purchases", []int64{1000, 1000, 100}, false},
		{"steady", flat(1000, 6), false},
		{"down by less than half", []int64{1000, 1000, 600, 600}, false},
		{"down by exactly half", []int64{1000, 1000, 500, 500}, true},
		{"the earlier mean is of all the earlier purchases", []int64{100, 1000, 1000, 300, 300}, true},
		{"… so one small early purchase lowers it", []int64{100, 1000, 1000, 400, 400}, false},
		{"rising", []int64{500, 500, 1000, 1000}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ago := make([]int, len(tc.amounts))
			for i := range ago {
				ago[i] = 10 * (len(ago) - i)
			}
			s := buyer(ago, tc.amounts)
			r := fallingSpend(testEnv(), s)
			assert.Equal(t, tc.fires, r != nil)
			if r != nil {
				n := len(s.purchases)
				assert.Equal(t, []uuid.UUID{s.purchases[n-2].EventID, s.purchases[n-1].EventID}, r.EventIDs)
			}
		})
	}
}

func TestOverdueInvoices(t *testing.T) {
	due := func(d time.Time) day { return day{time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)} }
	issue := func(n int, dueOn time.Time) evidence {
		return evidence{EventID: eventID(n), Type: "customer.invoice_issued", InvoiceID: "i", Due: due(dueOn), Amount: 1000, Currency: "EUR"}
	}
	pay := func(n int, amount int64) evidence {
		return evidence{EventID: eventID(n), Type: "customer.payment_received", InvoiceID: "i", Amount: amount, Currency: "EUR"}
	}
	for _, tc := range []struct {
		name     string
		evidence []evidence
		want     []uuid.UUID
	}{
		{"due today is not overdue", []evidence{issue(1, asOf)}, nil},
		{"due yesterday, unpaid", []evidence{issue(1, daysAgo(1))}, []uuid.UUID{eventID(1)}},
		{"partly paid", []evidence{issue(1, daysAgo(5)), pay(2, 400)}, []uuid.UUID{eventID(1), eventID(2)}},
		{"paid in full", []evidence{issue(1, daysAgo(5)), pay(2, 400), pay(3, 600)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := overdueInvoices(testEnv(), &subject{evidence: tc.evidence})
			if tc.want == nil {
				assert.Nil(t, r)
				return
			}
			if assert.NotNil(t, r) {
				assert.Equal(t, tc.want, r.EventIDs)
			}
		})
	}
}

func TestDepartureAndWindow(t *testing.T) {
	ev := func(n int, typ string, ago int) evidence {
		return evidence{EventID: eventID(n), Type: typ, At: daysAgo(ago), Stars: sql.NullInt64{Int64: 1, Valid: typ == "customer.rating_given"}}
	}
	for _, tc := range []struct {
		name     string
		evidence []evidence
		rule     rule
		want     []uuid.UUID
	}{
		{"declared", []evidence{ev(1, "customer.departure_declared", 3)}, departure, []uuid.UUID{eventID(1)}},
		{"declared, then reactivated", []evidence{ev(1, "customer.departure_declared", 30), ev(2, "customer.reactivated", 3)}, departure, nil},
		{"reactivated, declared again", []evidence{ev(1, "customer.departure_declared", 30), ev(2, "customer.reactivated", 20),
			ev(3, "customer.departure_declared", 3)}, departure, []uuid.UUID{eventID(3)}},
		{"low rating within the window", []evidence{ev(1, "customer.rating_given", 364)}, lowRatings, []uuid.UUID{eventID(1)}},
		{"low rating before the window", []evidence{ev(1, "customer.rating_given", 366)}, lowRatings, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.rule(testEnv(), &subject{evidence: tc.evidence})
			if tc.want == nil {
				assert.Nil(t, r)
				return
			}
			if assert.NotNil(t, r) {
				assert.Equal(t, tc.want, r.EventIDs)
			}
		})
	}
}
