package demo

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/commands"
)

// Namespace is the UUID v5 namespace of every id the generator derives.
var Namespace = uuid.MustParse("6d3c1a52-8f0e-4b7a-a1c4-2e9d5f70b318")

// day is one simulated day.
const day = 24 * time.Hour

// ErrOtherPopulation means the store holds events of another population
// on a stream the generator writes: a demo generated with another Config.
var ErrOtherPopulation = errors.New("demo: the store holds another demo population")

// derive returns the n-th id of a kind in the population of c.
func derive(c Config, kind string, n int) uuid.UUID {
	return uuid.NewSHA1(Namespace, fmt.Appendf(nil, "demo/%d/%d/%d/%s/%s/%d",
		c.Seed, c.Customers, c.Days, c.Start.Format(time.RFC3339), kind, n))
}

// Generate builds the population cfg describes by executing commands
// through h, in the order their business time dictates. It returns what it
// built; on an error (a refused command is one) the summary covers what
// was executed before it.
func Generate(ctx context.Context, h *commands.Handler, cfg Config) (Summary, error) {
	if err := cfg.Validate(); err != nil {
		return Summary{}, fmt.Errorf("generate demo: %w", err)
	}
	g := newGenerator(h, cfg.withDefaults())
	g.plan()
	err := g.run(ctx)
	g.showcase()
	if err != nil {
		return g.sum, fmt.Errorf("generate demo: %w", err)
	}
	return g.sum, nil
}

// showcase lists the customers with a role in the summary.
func (g *generator) showcase() {
	for _, m := range g.members {
		if m.story.role != "" && m.state.Registered {
			g.sum.Showcase = append(g.sum.Showcase, Showcase{Role: m.story.role, SourceID: m.source(), CustomerID: m.id,
				Persona: m.story.persona, Moment: m.moment})
		}
	}
}

// generator is one run of the simulation. It is not safe for concurrent
// use.
type generator struct {
	h       *commands.Handler
	cfg     Config
	end     time.Time
	agenda  agenda
	members []*member
	// extras counts the members added during the story.
	extras    int
	campaigns []*campaignRun
	// commands numbers the commands for their ids; numbers the invoices,
	// orders, cases… per prefix.
	commands int
	numbers  map[string]int
	sum      Summary
}

func newGenerator(h *commands.Handler, cfg Config) *generator {
	end := cfg.Start.Add(time.Duration(cfg.Days) * day)
	return &generator{h: h, cfg: cfg, end: end, numbers: map[string]int{},
		sum: Summary{Seed: cfg.Seed, Start: cfg.Start, End: end, Personas: map[Persona]int{}, EventsByType: map[string]int{}}}
}

// plan puts the first acts of every story on the agenda.
func (g *generator) plan() {
	for n := 1; n <= g.cfg.Customers; n++ {
		m := g.newMember(n, drawStory(g.source("story", n), n))
		g.members = append(g.members, m)
		g.schedule(m.joined, func(ctx context.Context, at time.Time) error { return g.register(ctx, m, at) })
	}
	g.planCampaigns()
	g.planSurveys()
	g.planLeads()
}

// run plays the agenda in business-time order until the period ends.
func (g *generator) run(ctx context.Context) error {
	done := 0
	for g.agenda.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		a := heap.Pop(&g.agenda).(action)
		done = g.progress(done, a.at)
		if err := a.do(ctx, a.at); err != nil {
			return err
		}
	}
	g.progress(done, g.end)
	return nil
}

// progress reports the days simulated by t, if more than done.
func (g *generator) progress(done int, t time.Time) int {
	now := min(g.dayOf(t), g.cfg.Days)
	if now > done && g.cfg.Progress != nil {
		g.cfg.Progress(now, g.cfg.Days)
	}
	return max(now, done)
}

// source returns the random source of one part of the story (a member, a
// lead…), seeded from the Config's seed, so that each part draws the same
// numbers whatever the others do.
func (g *generator) source(kind string, n int) *rand.Rand {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", kind, n)
	return rand.New(rand.NewPCG(g.cfg.Seed, h.Sum64()))
}

// id returns the n-th id of a kind.
func (g *generator) id(kind string, n int) uuid.UUID { return derive(g.cfg, kind, n) }

// number returns the next business number with prefix, e.g. "INV-000042".
func (g *generator) number(prefix string) string {
	g.numbers[prefix]++
	return fmt.Sprintf("%s-%06d", prefix, g.numbers[prefix])
}

// dayOf returns the simulated day t falls on.
func (g *generator) dayOf(t time.Time) int { return int(t.Sub(g.cfg.Start) / day) }

// dayAt returns the day at fraction f of the period.
func (g *generator) dayAt(f float64) int { return int(f * float64(g.cfg.Days)) }

// office returns a moment in office hours (08:00–18:00) of day d.
func (g *generator) office(r *rand.Rand, d int) time.Time {
	return g.cfg.Start.Add(time.Duration(d)*day + time.Duration(8*60+r.IntN(600))*time.Minute)
}

// after returns a moment in office hours lo to hi days after t.
func (g *generator) after(r *rand.Rand, t time.Time, lo, hi int) time.Time {
	return g.office(r, g.dayOf(t)+between(r, lo, hi))
}

// within returns a moment in office hours between fractions lo and hi of
// the period.
func (g *generator) within(r *rand.Rand, lo, hi float64) time.Time {
	return g.office(r, between(r, g.dayAt(lo), max(g.dayAt(lo), g.dayAt(hi))))
}

// schedule puts do on the agenda at t, unless t is past the period.
func (g *generator) schedule(t time.Time, do func(context.Context, time.Time) error) {
	if t.Before(g.end) {
		g.agenda.seq++
		heap.Push(&g.agenda, action{at: t, seq: g.agenda.seq, do: do})
	}
}

// action is something to do at a business time.
type action struct {
	at  time.Time
	seq uint64
	do  func(ctx context.Context, at time.Time) error
}

// agenda is a heap of actions, earliest first, ties in the order they
// were scheduled: what makes a run deterministic.
type agenda struct {
	items []action
	seq   uint64
}

func (a *agenda) Len() int { return len(a.items) }
func (a *agenda) Less(i, j int) bool {
	x, y := a.items[i], a.items[j]
	return x.at.Before(y.at) || x.at.Equal(y.at) && x.seq < y.seq
}
func (a *agenda) Swap(i, j int) { a.items[i], a.items[j] = a.items[j], a.items[i] }
func (a *agenda) Push(x any)    { a.items = append(a.items, x.(action)) }
func (a *agenda) Pop() any {
	last := a.items[len(a.items)-1]
	a.items = a.items[:len(a.items)-1]
	return last
}
