package churn

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/value"
)

// Options tune the rules; a zero field takes the default named beside it.
type Options struct {
	// SilenceFactor: silence is a signal beyond this many times the
	// customer's median gap between purchase days (3).
	SilenceFactor float64
	// RecentPurchases: falling spend compares the mean of the last this
	// many purchases with the mean of the earlier ones, of which there
	// must be as many (2).
	RecentPurchases int
	// SpendDrop: spend is falling when the recent mean is at most
	// 1 − SpendDrop times the earlier mean (0.5).
	SpendDrop float64
	// Window: complaints, low ratings, NPS detractors and revoked
	// discounts count when they happened within this long before the
	// as-of (365 days).
	Window time.Duration
	// PAliveBelow: a repeat buyer's BG/NBD P(alive) below this is a
	// signal (0.5).
	PAliveBelow float64
	// Value tunes the value evaluation the purchase rules read.
	Value value.Options
}

// Defaults of Options.
const (
	DefaultSilenceFactor   = 3
	DefaultRecentPurchases = 2
	DefaultSpendDrop       = 0.5
	DefaultWindow          = 365 * 24 * time.Hour
	DefaultPAliveBelow     = 0.5
)

func (o Options) withDefaults() Options {
	o.SilenceFactor = orDefault(o.SilenceFactor, DefaultSilenceFactor)
	o.SpendDrop = orDefault(o.SpendDrop, DefaultSpendDrop)
	o.PAliveBelow = orDefault(o.PAliveBelow, DefaultPAliveBelow)
	if o.RecentPurchases <= 0 {
		o.RecentPurchases = DefaultRecentPurchases
	}
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	return o
}

func orDefault(v, d float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return d
	}
	return v
}

// Reason is one rule that fired for a customer.
type Reason struct {
	Code Code `json:"code"`
	// Weight is how much the reason alone says the customer is leaving,
	// 0 to 1.
	Weight float64 `json:"weight"`
	// Detail says what was found, for people.
	Detail string `json:"detail"`
	// EventIDs are the events behind the reason, in time order.
	EventIDs []uuid.UUID `json:"event_ids"`
}

// Signal is one customer's churn score as of a time.
type Signal struct {
	AsOf       time.Time `json:"as_of"`
	CustomerID uuid.UUID `json:"customer_id"`
	Source     string    `json:"source,omitempty"`
	SourceID   string    `json:"source_id,omitempty"`
	// Score is 100 × (1 − Π(1 − weight)) over the reasons, rounded: 0
	// with no reason, near 100 when several strong ones agree.
	Score int `json:"score"`
	// TopReason is the code of the heaviest reason, empty if none.
	TopReason Code `json:"top_reason,omitempty"`
	// Reasons are sorted by weight, heaviest first, then by code.
	Reasons []Reason `json:"reasons"`
}

// Result is an evaluation as of a time.
type Result struct {
	AsOf time.Time `json:"as_of"`
	// Signals has a row for every customer registered by the as-of (or
	// with facts by then), forgotten ones excepted, sorted by score
	// (highest first), then customer id.
	Signals []Signal `json:"signals"`
}

// Evaluate scores every customer as of asOf from the churn evidence and
// the value facts in q. The same facts and asOf always give the same
// result.
func Evaluate(ctx context.Context, q readmodel.Querier, asOf time.Time, opts Options) (Result, error) {
	opts = opts.withDefaults()
	facts, err := value.Load(ctx, q, asOf)
	if err != nil {
		return Result{}, err
	}
	worth, err := value.Compute(ctx, facts, opts.Value)
	if err != nil {
		return Result{}, err
	}
	ev, err := loadEvidence(ctx, q, facts.AsOf)
	if err != nil {
		return Result{}, err
	}
	subs := subjects(facts, worth, ev)
	e := env{asOf: facts.AsOf, opts: opts, rhythm: populationRhythm(subs)}
	res := Result{AsOf: facts.AsOf, Signals: make([]Signal, len(subs))}
	for i, s := range subs {
		res.Signals[i] = e.signal(s)
	}
	slices.SortStableFunc(res.Signals, func(a, b Signal) int { return cmp.Compare(b.Score, a.Score) })
	return res, nil
}

// subject is what the rules see of one customer.
type subject struct {
	customer value.Customer
	// purchases of every currency, in time order.
	purchases []value.Purchase
	histories []value.History
	rows      []value.Row
	evidence  []evidence
}

// subjects groups facts, value rows and evidence by the customer they
// count for, sorted by customer id.
func subjects(facts value.Facts, worth value.Result, ev []evidence) []*subject {
	g := grouping{dir: facts.Directory, by: map[uuid.UUID]*subject{}}
	for id, c := range facts.Directory {
		if r, ok := g.dir.Resolve(id); ok && !c.RegisteredAt.After(facts.AsOf) {
			g.get(r)
		}
	}
	for _, h := range facts.Histories {
		s := g.get(h.Customer)
		s.histories = append(s.histories, h)
		s.purchases = append(s.purchases, h.Purchases...)
	}
	for _, r := range worth.Rows {
		g.by[r.CustomerID].rows = append(g.by[r.CustomerID].rows, r)
	}
	for _, e := range ev {
		if r, ok := g.dir.Resolve(e.Customer); ok {
			s := g.get(r)
			s.evidence = append(s.evidence, e)
		}
	}
	return g.sorted()
}

// grouping collects subjects by customer id.
type grouping struct {
	dir value.Directory
	by  map[uuid.UUID]*subject
}

func (g grouping) get(c value.Customer) *subject {
	s := g.by[c.ID]
	if s == nil {
		s = &subject{customer: c}
		g.by[c.ID] = s
	}
	return s
}

// sorted returns the subjects by customer id, each one's purchases of
// every currency in time order.
func (g grouping) sorted() []*subject {
	out := make([]*subject, 0, len(g.by))
	for _, s := range g.by {
		sortByTime(s.purchases, func(p value.Purchase) (time.Time, uuid.UUID) { return p.At, p.EventID })
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *subject) int { return compareUUID(a.customer.ID, b.customer.ID) })
	return out
}

// env is what every rule needs besides the subject.
type env struct {
	asOf time.Time
	opts Options
	// rhythm is the median of the repeat buyers' median gaps between
	// purchase days, in days; 0 if there is no repeat buyer.
	rhythm float64
}

// signal applies every rule to s.
func (e env) signal(s *subject) Signal {
	sig := Signal{AsOf: e.asOf, CustomerID: s.customer.ID, Source: s.customer.Source, SourceID: s.customer.SourceID,
		Reasons: []Reason{}}
	for _, rule := range rules {
		if r := rule(e, s); r != nil {
			sig.Reasons = append(sig.Reasons, *r)
		}
	}
	slices.SortFunc(sig.Reasons, func(a, b Reason) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.Code, b.Code))
	})
	sig.Score = score(sig.Reasons)
	if len(sig.Reasons) > 0 {
		sig.TopReason = sig.Reasons[0].Code
	}
	return sig
}

// score combines the weights as independent pieces of evidence.
func score(reasons []Reason) int {
	stay := 1.0
	for _, r := range reasons {
		stay *= 1 - r.Weight
	}
	return int(math.Round(100 * (1 - stay)))
}

func sortByTime[T any](items []T, key func(T) (time.Time, uuid.UUID)) {
	slices.SortFunc(items, func(a, b T) int {
		ta, ia := key(a)
		tb, ib := key(b)
		return cmp.Or(ta.Compare(tb), compareUUID(ia, ib))
	})
}

func compareUUID(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }
