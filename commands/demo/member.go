package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
)

// Employees: the sales team (account managers) and the support team.
var (
	sales   = []string{"anna.kowalska", "marek.nowak", "julia.schmidt", "tom.baker"}
	support = []string{"ola.wisniewska", "piotr.zielinski", "emma.jones", "lars.meyer"}
)

// command is a command on a customer.
type command = domain.Command[*customer.State]

// member is a demo customer: its story, identity and what the simulation
// knows of it.
type member struct {
	clock
	n       int
	id      uuid.UUID
	story   story
	who     identity
	r       *rand.Rand
	state   *customer.State
	manager string
	joined  time.Time
	// stop is when a churning customer stops buying (zero: never);
	// returned is set once it came back.
	stop     time.Time
	returned bool
	// orders counts orders; lastOrder is the latest one's time and id.
	orders    int
	lastOrder time.Time
	lastID    string
	// gap is the range of days between orders; scale the percentage of a
	// usual basket it buys, falling for declining customers.
	gap   [2]int
	scale int
	// terms are the invoice terms in days; 0 pays at checkout.
	terms int
	// discount is the granted discount the shop applies to orders;
	// promotion an offered promotion to redeem on the next order.
	discount, promotion string
	// ordering and contacting are set while an order or a contact is on
	// the agenda, so that a customer who comes back does not get two.
	ordering, contacting bool
	// tour lists the channel and direction of the next contacts.
	tour []contactWay
	// moment is a time in the middle of the story, for the showcase.
	moment time.Time
}

// contactWay is a channel and a direction.
type contactWay struct {
	channel   channel.Channel
	direction channel.Direction
}

// newMember draws customer n's identity and the shape of its story.
func (g *generator) newMember(n int, s story) *member {
	r := g.source("customer", n)
	m := &member{n: n, id: g.id("customer", n), story: s, r: r, state: newCustomer(),
		who: newIdentity(r, s.kind, g.cfg.Start), manager: pick(r, sales), scale: 100}
	m.joined = g.within(r, 0, 0.15)
	m.gap = map[Persona][2]int{Loyal: {18, 40}, Declining: {15, 30}, Churned: {15, 35}, New: {20, 40}, Unprofitable: {10, 25}}[s.persona]
	if s.persona == New {
		m.joined = g.within(r, 0.55, 0.85)
	}
	if s.persona == Churned {
		m.stop = g.within(r, 0.3, 0.5)
	}
	if s.kind == customer.Company {
		m.gap = [2]int{m.gap[0] * 2 / 3, m.gap[1] * 2 / 3}
		m.terms = pick(r, []int{14, 30})
	} else if s.latePayer {
		m.terms = 14
	}
	if s.tour {
		m.tour = everyWay(r)
	}
	m.moment = g.office(r, g.cfg.Days/2)
	return m
}

// everyWay returns every channel in both directions, shuffled.
func everyWay(r *rand.Rand) []contactWay {
	var ways []contactWay
	for _, c := range channel.All() {
		ways = append(ways, contactWay{c, channel.Inbound}, contactWay{c, channel.Outbound})
	}
	r.Shuffle(len(ways), func(i, j int) { ways[i], ways[j] = ways[j], ways[i] })
	return ways
}

// source returns the customer's source id, e.g. "D0001".
func (m *member) source() string { return fmt.Sprintf("D%04d", m.n) }

// live reports whether the customer takes commands.
func (m *member) live() bool {
	return m.state.Registered && !m.state.Forgotten && m.state.MergedInto == uuid.Nil
}

// buying reports whether the customer still places orders at t.
func (m *member) buying(t time.Time) bool {
	return m.live() && (m.stop.IsZero() || t.Before(m.stop) || m.returned)
}

// late reports whether t is in the second half of the period, when
// declining customers sour.
func (g *generator) late(t time.Time) bool { return g.dayOf(t) >= g.cfg.Days/2 }

// do executes a command on the customer's stream.
func (g *generator) do(ctx context.Context, m *member, s step, cmd command) (commands.Result, error) {
	res, err := execute(ctx, g, m.state, s, cmd, newCustomer)
	if err != nil {
		return res, fmt.Errorf("customer %s: %w", m.source(), err)
	}
	return res, nil
}

// script executes commands on the customer's stream one after the other,
// by actor, from t on; it stops at the first error.
func (g *generator) script(ctx context.Context, m *member, actor string, t time.Time, cmds ...command) error {
	for _, c := range cmds {
		if _, err := g.do(ctx, m, m.step(actor, t), c); err != nil {
			return err
		}
	}
	return nil
}

// act schedules fn for m at t; it runs only while m takes commands.
func (g *generator) act(m *member, t time.Time, fn func(context.Context, *member, time.Time) error) {
	g.schedule(t, func(ctx context.Context, at time.Time) error {
		if !m.live() {
			return nil
		}
		return fn(ctx, m, at)
	})
}
