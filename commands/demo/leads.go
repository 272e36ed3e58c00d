package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/lead"
)

// prospect is a demo lead.
type prospect struct {
	clock
	n     int
	id    uuid.UUID
	r     *rand.Rand
	who   identity
	state *lead.State
	fate  fate
	// seller is who qualifies the lead and owns the customer it becomes.
	seller string
}

// fate is how a lead ends.
type fate int

const (
	converts     fate = iota // qualified, then converted
	dropped                  // disqualified as captured
	qualifiedOut             // qualified, then disqualified
	undecided                // still in the funnel at the end
)

// leadSources are where leads come from when no campaign brought them.
var leadSources = []struct {
	channel channel.Channel
	source  string
}{
	{channel.WebForm, "web shop contact form"}, {channel.Social, "LinkedIn post"}, {channel.Phone, "phone enquiry"},
	{channel.Meeting, "Smart Home Expo, stand B12"}, {channel.Chat, "live chat on the product page"},
	{channel.Email, "e-mail enquiry"}, {channel.Letter, "reply card from the printed catalogue"},
}

var disqualifications = []string{"no budget this year", "outside our delivery area", "already a customer under another name",
	"not reachable after three attempts", "student project, no purchase intent"}

// planLeads puts the capture of a lead per five customers on the agenda.
// The first three end each way a lead can; the rest draw their fate.
func (g *generator) planLeads() {
	for i := 1; i <= max(6, g.cfg.Customers/5); i++ {
		l := &prospect{n: i, id: g.id("lead", i), r: g.source("lead", i), state: newLead()}
		l.who = newIdentity(l.r, ifElse(chance(l.r, 0.3), customer.Company, customer.Person), g.cfg.Start)
		l.seller = pick(l.r, sales)
		at := g.within(l.r, 0.02, 0.9)
		l.fate = pick(l.r, []fate{converts, converts, converts, converts, dropped, dropped, qualifiedOut, qualifiedOut, undecided})
		if i <= 3 {
			at, l.fate = g.within(l.r, 0.1*float64(i), 0.1*float64(i)), []fate{converts, dropped, qualifiedOut}[i-1]
		}
		g.schedule(at, func(ctx context.Context, at time.Time) error { return g.capture(ctx, l, at) })
	}
}

// capture captures a lead, from a running campaign half of the time, and
// plans its way through the funnel.
func (g *generator) capture(ctx context.Context, l *prospect, at time.Time) error {
	src := pick(l.r, leadSources)
	cmd := lead.Capture{LeadID: l.id, Name: l.who.first + " " + l.who.last, Channel: src.channel, Source: src.source,
		Details: contact.Details{Email: l.who.contact.Email, Phone: l.who.contact.Phone}}
	if l.who.kind == customer.Company {
		cmd.Company = l.who.name
	}
	if c := g.running(at); c != nil && chance(l.r, 0.5) {
		cmd.Channel, cmd.CampaignID, cmd.Source = c.plan.channel, c.id, "campaign: "+c.plan.name
	}
	if err := g.onLead(ctx, l, at, actorWeb, cmd); err != nil {
		return err
	}
	g.sum.Leads++
	switch l.fate {
	case dropped:
		g.schedule(g.after(l.r, at, 1, 6), g.disqualify(l))
	case converts, qualifiedOut:
		g.schedule(g.after(l.r, at, 1, 5), g.qualify(l))
	}
	return nil
}

// running returns a campaign running at t, or nil.
func (g *generator) running(t time.Time) *campaignRun {
	for _, c := range g.campaigns {
		if c.state.ActiveAt(t) {
			return c
		}
	}
	return nil
}

// qualify qualifies a lead, then converts or drops it.
func (g *generator) qualify(l *prospect) func(context.Context, time.Time) error {
	return func(ctx context.Context, at time.Time) error {
		note := fmt.Sprintf("Budget confirmed; interested in %s.", pick(l.r, products).name)
		if err := g.onLead(ctx, l, at, staff(l.seller), lead.Qualify{LeadID: l.id, Employee: l.seller, Note: note}); err != nil {
			return err
		}
		if l.fate == converts {
			g.schedule(g.after(l.r, at, 3, 12), func(ctx context.Context, at time.Time) error { return g.convert(ctx, l, at) })
		} else {
			g.schedule(g.after(l.r, at, 2, 10), g.disqualify(l))
		}
		return nil
	}
}

// disqualify drops a lead.
func (g *generator) disqualify(l *prospect) func(context.Context, time.Time) error {
	return func(ctx context.Context, at time.Time) error {
		return g.onLead(ctx, l, at, staff(l.seller), lead.Disqualify{LeadID: l.id, Reason: pick(l.r, disqualifications), Employee: l.seller})
	}
}

// convert registers the lead as a new customer and records the conversion
// on the lead, both correlated with the lead.
func (g *generator) convert(ctx context.Context, l *prospect, at time.Time) error {
	m := g.extra(story{persona: New, kind: l.who.kind})
	m.who, m.manager = l.who, l.seller
	if err := g.enroll(ctx, m, m.step(staff(l.seller), at).within(l.id)); err != nil {
		return err
	}
	return g.onLead(ctx, l, at, staff(l.seller), lead.Convert{LeadID: l.id, CustomerID: m.id})
}

// onLead executes a command on the lead's stream, correlated with the
// lead.
func (g *generator) onLead(ctx context.Context, l *prospect, at time.Time, actor string, cmd domain.Command[*lead.State]) error {
	if _, err := execute(ctx, g, l.state, l.step(actor, at).within(l.id), cmd, newLead); err != nil {
		return fmt.Errorf("lead %d: %w", l.n, err)
	}
	return nil
}
