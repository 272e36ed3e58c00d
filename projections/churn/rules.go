package churn

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain/money"
	"github.com/ledgerline/ledgerline/projections/value"
)

// Code names a churn reason.
type Code string

// The reasons, and the weight each carries (see the package
// documentation).
const (
	Silence           Code = "silence"
	OneTimeSilence    Code = "one_time_silence"
	FallingSpend      Code = "falling_spend"
	LowPAlive         Code = "low_p_alive"
	Complaints        Code = "complaints"
	LowRatings        Code = "low_ratings"
	NPSDetractor      Code = "nps_detractor"
	OverdueInvoices   Code = "overdue_invoices"
	ConsentWithdrawn  Code = "consent_withdrawn"
	DiscountRevoked   Code = "discount_revoked"
	DepartureDeclared Code = "departure_declared"
)

// Base weights: of one occurrence for the counted reasons (n occurrences
// weigh 1 − (1 − base)^n), or of the reason.
const (
	complaintWeight  = 0.2
	lowRatingWeight  = 0.2
	detractorWeight  = 0.25
	overdueWeight    = 0.3
	consentWeight    = 0.2
	revokedWeight    = 0.2
	departureWeight  = 0.9
	silenceBase      = 0.4 // at the threshold, + 0.1 per multiple beyond it, up to silenceCap
	silenceCap       = 0.8
	fallingBase      = 0.25 // at the threshold drop, up to fallingCap for a drop to 0
	fallingCap       = 0.5
	pAliveCap        = 0.7 // for P(alive) = 0, falling linearly to 0 at the threshold
	lowStars         = 2
	detractorNPS     = 6
	hoursPerDay      = 24
	weightPrecision  = 1e4
	maxDetailEntries = 5
)

// rule returns the reason it finds for s, or nil.
type rule func(e env, s *subject) *Reason

// rules are applied in this order; the result is sorted by weight.
var rules = []rule{silence, oneTimeSilence, fallingSpend, lowPAlive, complaints, lowRatings, detractors,
	overdueInvoices, consentWithdrawn, discountRevoked, departure}

// purchaseDays returns the distinct UTC day numbers of s's purchases, in
// order, and for each the id of its last purchase event.
func purchaseDays(s *subject) ([]int64, []uuid.UUID) {
	var days []int64
	var last []uuid.UUID
	for _, p := range s.purchases {
		d := dayNumber(p.At)
		if n := len(days); n > 0 && days[n-1] == d {
			last[n-1] = p.EventID
			continue
		}
		days, last = append(days, d), append(last, p.EventID)
	}
	return days, last
}

// medianGap returns the median of the gaps between consecutive days.
func medianGap(days []int64) float64 {
	gaps := make([]float64, len(days)-1)
	for i := range gaps {
		gaps[i] = float64(days[i+1] - days[i])
	}
	return median(gaps)
}

func median(vs []float64) float64 {
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// populationRhythm is the median of the repeat buyers' median gaps.
func populationRhythm(subs []*subject) float64 {
	var gaps []float64
	for _, s := range subs {
		if days, _ := purchaseDays(s); len(days) >= 2 {
			gaps = append(gaps, medianGap(days))
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	return median(gaps)
}

// silence fires for a customer with two or more purchase days whose days
// since the last one exceed SilenceFactor × their median gap.
func silence(e env, s *subject) *Reason {
	days, ids := purchaseDays(s)
	if len(days) < 2 {
		return nil
	}
	since, gap := float64(dayNumber(e.asOf)-days[len(days)-1]), medianGap(days)
	ratio := since / gap
	if ratio <= e.opts.SilenceFactor {
		return nil
	}
	return &Reason{Code: Silence, Weight: silenceWeight(ratio, e.opts.SilenceFactor), EventIDs: ids[len(ids)-1:],
		Detail: fmt.Sprintf("no purchase for %.0f days since %s: %.1f × their median gap of %g days",
			since, dateOf(days[len(days)-1]), ratio, gap)}
}

// oneTimeSilence fires for a customer with one purchase day whose days
// since it exceed SilenceFactor × the repeat buyers' median gap: BG/NBD
// gives every one-time buyer P(alive) = 1, which must not read as safe.
func oneTimeSilence(e env, s *subject) *Reason {
	days, _ := purchaseDays(s)
	if len(days) != 1 || e.rhythm == 0 {
		return nil
	}
	since := float64(dayNumber(e.asOf) - days[0])
	ratio := since / e.rhythm
	if ratio <= e.opts.SilenceFactor {
		return nil
	}
	ids := make([]uuid.UUID, len(s.purchases))
	for i, p := range s.purchases {
		ids[i] = p.EventID
	}
	return &Reason{Code: OneTimeSilence, Weight: silenceWeight(ratio, e.opts.SilenceFactor), EventIDs: ids,
		Detail: fmt.Sprintf("bought once, on %s, %.0f days ago: %.1f × the repeat buyers' median gap of %g days",
			dateOf(days[0]), since, ratio, e.rhythm)}
}

func silenceWeight(ratio, factor float64) float64 {
	return round(min(silenceCap, silenceBase+0.1*(ratio-factor)))
}

// fallingSpend fires when, in some currency, the mean net spend of the
// last RecentPurchases purchases is at most 1 − SpendDrop times the mean
// of the earlier ones (at least as many); of several currencies, the
// steepest drop counts.
func fallingSpend(e env, s *subject) *Reason {
	var best *Reason
	n := e.opts.RecentPurchases
	for _, h := range s.histories {
		if len(h.Purchases) < 2*n {
			continue
		}
		earlier, recent := h.Purchases[:len(h.Purchases)-n], h.Purchases[len(h.Purchases)-n:]
		before, now := meanNet(earlier), meanNet(recent)
		if before <= 0 || now > (1-e.opts.SpendDrop)*before {
			continue
		}
		drop := 1 - now/before
		w := round(min(fallingCap, fallingBase+(fallingCap-fallingBase)*(drop-e.opts.SpendDrop)/e.opts.SpendDrop))
		if best != nil && best.Weight >= w {
			continue
		}
		best = &Reason{Code: FallingSpend, Weight: w, EventIDs: purchaseIDs(recent),
			Detail: fmt.Sprintf("the last %d purchases average %s, %.0f %% below the %d before (%s)", n,
				minor(now, h.Currency), 100*drop, len(earlier), minor(before, h.Currency))}
	}
	return best
}

func meanNet(ps []value.Purchase) float64 {
	var sum int64
	for _, p := range ps {
		sum += p.Net()
	}
	return float64(sum) / float64(len(ps))
}

func purchaseIDs(ps []value.Purchase) []uuid.UUID {
	ids := make([]uuid.UUID, len(ps))
	for i, p := range ps {
		ids[i] = p.EventID
	}
	return ids
}

// lowPAlive fires for a repeat buyer (x ≥ 1 in some currency) whose
// highest BG/NBD P(alive) among such currencies is below PAliveBelow.
// One-time buyers are left to oneTimeSilence: the model says 1 for them.
func lowPAlive(e env, s *subject) *Reason {
	var best *value.Row
	for i, r := range s.rows {
		if r.X >= 1 && r.PAlive != nil && (best == nil || *r.PAlive > *best.PAlive) {
			best = &s.rows[i]
		}
	}
	if best == nil || *best.PAlive >= e.opts.PAliveBelow {
		return nil
	}
	h := s.history(best.Currency)
	ids := []uuid.UUID{h.Purchases[0].EventID, h.Purchases[len(h.Purchases)-1].EventID}
	return &Reason{Code: LowPAlive, Weight: round(pAliveCap * (1 - *best.PAlive/e.opts.PAliveBelow)), EventIDs: ids,
		Detail: fmt.Sprintf("BG/NBD P(alive) %.2f in %s (x = %g repeat days, t_x = %.2f, T = %.2f weeks)",
			*best.PAlive, best.Currency, best.X, best.TX, best.T)}
}

func (s *subject) history(currency string) value.History {
	for _, h := range s.histories {
		if h.Currency == currency {
			return h
		}
	}
	return value.History{}
}

// complaints fires for complaints filed within the window.
func complaints(e env, s *subject) *Reason {
	found := e.recent(s, func(ev evidence) bool { return ev.Type == "customer.complaint_filed" })
	return counted(Complaints, complaintWeight, found, func(n int) string {
		return fmt.Sprintf("%d complaint(s) in the last %s", n, e.window())
	})
}

// lowRatings fires for ratings of at most 2 stars within the window.
func lowRatings(e env, s *subject) *Reason {
	found := e.recent(s, func(ev evidence) bool { return ev.Stars.Valid && ev.Stars.Int64 <= lowStars })
	return counted(LowRatings, lowRatingWeight, found, func(int) string {
		return fmt.Sprintf("rated %s star(s) in the last %s", list(found, func(ev evidence) string {
			return fmt.Sprint(ev.Stars.Int64)
		}), e.window())
	})
}

// detractors fires for NPS answers of 0 to 6 within the window.
func detractors(e env, s *subject) *Reason {
	found := e.recent(s, func(ev evidence) bool { return ev.NPS.Valid && ev.NPS.Int64 <= detractorNPS })
	return counted(NPSDetractor, detractorWeight, found, func(int) string {
		return fmt.Sprintf("NPS %s (a detractor: 0 to 6) in the last %s", list(found, func(ev evidence) string {
			return fmt.Sprint(ev.NPS.Int64)
		}), e.window())
	})
}

// discountRevoked fires for discounts revoked within the window.
func discountRevoked(e env, s *subject) *Reason {
	found := e.recent(s, func(ev evidence) bool { return ev.Type == "customer.discount_revoked" })
	return counted(DiscountRevoked, revokedWeight, found, func(int) string {
		return fmt.Sprintf("discount %s revoked in the last %s", list(found, func(ev evidence) string {
			return ev.DiscountID
		}), e.window())
	})
}

// recent returns s's evidence within the window that matches keep.
func (e env) recent(s *subject, keep func(evidence) bool) []evidence {
	from := e.asOf.Add(-e.opts.Window)
	var out []evidence
	for _, ev := range s.evidence {
		if ev.At.After(from) && keep(ev) {
			out = append(out, ev)
		}
	}
	return out
}

func (e env) window() string {
	return fmt.Sprintf("%g days", e.opts.Window.Hours()/hoursPerDay)
}

// counted returns a reason of n = len(found) occurrences weighing
// 1 − (1 − base)^n, or nil for none.
func counted(code Code, base float64, found []evidence, detail func(n int) string) *Reason {
	if len(found) == 0 {
		return nil
	}
	return &Reason{Code: code, Weight: round(1 - math.Pow(1-base, float64(len(found)))), Detail: detail(len(found)),
		EventIDs: evidenceIDs(found)}
}

func evidenceIDs(evs []evidence) []uuid.UUID {
	ids := make([]uuid.UUID, len(evs))
	for i, ev := range evs {
		ids[i] = ev.EventID
	}
	return ids
}

// list joins up to maxDetailEntries labels of evs.
func list(evs []evidence, label func(evidence) string) string {
	parts := make([]string, 0, min(len(evs), maxDetailEntries+1))
	for i, ev := range evs {
		if i == maxDetailEntries {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(evs)-i))
			break
		}
		parts = append(parts, label(ev))
	}
	return strings.Join(parts, ", ")
}

// round keeps weights to four decimals, so that they print and compare
// the same everywhere.
func round(w float64) float64 { return math.Round(w*weightPrecision) / weightPrecision }

func dayNumber(t time.Time) int64 {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func dateOf(day int64) string { return time.Unix(day*86400, 0).UTC().Format(time.DateOnly) }

// minor formats an amount of minor units of a currency for people.
func minor(v float64, currency string) string {
	return money.New(int64(math.Round(v)), money.Currency(currency)).String()
}
