package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/campaign"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/customer"
)

// plannedCampaign is a campaign of the year's marketing plan.
type plannedCampaign struct {
	name     string
	channel  channel.Channel
	purpose  consent.Purpose
	audience string
	fits     func(m *member, at time.Time) bool
	offer    string
	// start is the fraction of the period it starts at, plus after days;
	// days is how long it runs (0: open-ended).
	start       float64
	after, days int
	cap         campaign.FrequencyCap
	// promotion offers each targeted customer the offer as a promotion.
	promotion bool
	// closeAfter is when it is closed, in days after its start (0: never).
	closeAfter int
	closing    string
}

var (
	everyone  = func(*member, time.Time) bool { return true }
	companies = func(m *member, _ time.Time) bool { return m.who.kind == customer.Company }
	persons   = func(m *member, _ time.Time) bool { return m.who.kind == customer.Person }
	buyers    = func(m *member, _ time.Time) bool { return m.orders > 0 }
	silent    = func(m *member, t time.Time) bool { return m.orders > 0 && t.Sub(m.lastOrder) > 90*day }
)

// marketingPlan is the campaigns of a period. The SMS flash sale runs three
// days after the spring e-mail with a cap of one contact a week, so the
// customers the e-mail reached are skipped.
var marketingPlan = []plannedCampaign{
	{name: "Spring sensor sale", channel: channel.Email, purpose: consent.Marketing, audience: "all customers", fits: everyone,
		offer: "15% off door and motion sensors", start: 0.22, days: 30, cap: campaign.FrequencyCap{Max: 3, WindowDays: 30},
		promotion: true, closeAfter: 30, closing: "ended as planned"},
	{name: "Camera bundle flash sale", channel: channel.SMS, purpose: consent.Marketing, audience: "all customers", fits: everyone,
		offer: "outdoor camera with 12 months of cloud video for 149 EUR", start: 0.22, after: 3, days: 7,
		cap: campaign.FrequencyCap{Max: 1, WindowDays: 7}, promotion: true, closeAfter: 4, closing: "bundle stock sold out"},
	{name: "Installer partner day", channel: channel.Meeting, purpose: consent.Marketing, audience: "companies", fits: companies,
		offer: "invitation to the partner day with product training", start: 0.45, days: 21, closeAfter: 21, closing: "event held"},
	{name: "Autumn newsletter", channel: channel.Email, purpose: consent.Newsletter, audience: "customers with an order", fits: buyers,
		offer: "setup tips and the new outdoor camera", start: 0.6, days: 14},
	{name: "We miss you", channel: channel.Phone, purpose: consent.Marketing, audience: "customers without an order for 90 days",
		fits: silent, offer: "20% off the next order", start: 0.75, days: 30, cap: campaign.FrequencyCap{Max: 2, WindowDays: 30},
		promotion: true, closeAfter: 30, closing: "ended as planned"},
	{name: "Holiday gift guide", channel: channel.Letter, purpose: consent.Marketing, audience: "persons", fits: persons,
		offer: "printed gift guide with a 10% voucher", start: 0.88, promotion: true},
}

// responses are how customers of a persona answer campaigns.
var responses = map[Persona][]customer.Response{
	Loyal:        {customer.Opened, customer.Clicked, customer.Converted, customer.Converted},
	Declining:    {customer.Opened, customer.Rejected, customer.Unsubscribed},
	Churned:      {customer.Rejected, customer.Unsubscribed, customer.Opened},
	New:          {customer.Opened, customer.Clicked, customer.Replied},
	Unprofitable: {customer.Clicked, customer.Converted, customer.Replied},
}

// campaignRun is a campaign of the plan under way.
type campaignRun struct {
	clock
	plan         plannedCampaign
	id           uuid.UUID
	state        *campaign.State
	starts, ends time.Time
}

// planCampaigns puts each campaign's definition a week before its start,
// its launch and its end on the agenda.
func (g *generator) planCampaigns() {
	for i, p := range marketingPlan {
		c := &campaignRun{plan: p, id: g.id("campaign", i+1), state: newCampaign()}
		g.campaigns = append(g.campaigns, c)
		c.starts = g.cfg.Start.Add(time.Duration(g.dayAt(p.start)+p.after)*day + 9*time.Hour)
		if p.days > 0 {
			c.ends = c.starts.Add(time.Duration(p.days) * day)
		}
		g.schedule(c.starts.Add(-7*day), func(ctx context.Context, at time.Time) error { return g.define(ctx, c, at) })
		g.schedule(c.starts, func(ctx context.Context, at time.Time) error { return g.launch(ctx, c, at) })
		if p.closeAfter > 0 {
			g.schedule(c.starts.Add(time.Duration(p.closeAfter)*day), func(ctx context.Context, at time.Time) error {
				return g.onCampaign(ctx, c, at, campaign.Close{CampaignID: c.id, Reason: p.closing})
			})
		}
	}
}

// define defines a campaign of the plan.
func (g *generator) define(ctx context.Context, c *campaignRun, at time.Time) error {
	p := c.plan
	g.sum.Campaigns++
	return g.onCampaign(ctx, c, at, campaign.Define{CampaignID: c.id, Name: p.name, Channel: p.channel, Purpose: p.purpose,
		AudienceRule: p.audience, Offer: p.offer, StartsAt: c.starts, EndsAt: c.ends, FrequencyCap: p.cap})
}

// onCampaign executes a command on the campaign's stream, on behalf of
// the marketing lead.
func (g *generator) onCampaign(ctx context.Context, c *campaignRun, at time.Time, cmd domain.Command[*campaign.State]) error {
	_, err := execute(ctx, g, c.state, c.step(staff(marketer), at), cmd, newCampaign)
	if err != nil {
		return fmt.Errorf("campaign %q: %w", c.plan.name, err)
	}
	return nil
}

// marketer is the employee who runs the campaigns.
const marketer = "lena.fischer"

// launch targets every live customer the campaign's audience takes in:
// the command decides whether consent and the frequency cap let it reach
// the customer, or skip it.
func (g *generator) launch(ctx context.Context, c *campaignRun, at time.Time) error {
	for _, m := range g.members {
		if m.live() && c.plan.fits(m, at) {
			if err := g.target(ctx, c, m, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// target targets one customer; if reached, it is offered the campaign's
// promotion and may respond within days.
func (g *generator) target(ctx context.Context, c *campaignRun, m *member, at time.Time) error {
	p := c.plan
	s := m.step(actorCampaigns, at).within(c.id)
	cmd := customer.TargetCampaign{CustomerID: m.id, CampaignID: c.id, Channel: p.channel, Purpose: p.purpose, FrequencyCap: p.cap}
	if _, err := g.do(ctx, m, s, cmd); err != nil {
		return err
	}
	if _, reached := m.state.Campaigns[c.id]; !reached {
		return nil
	}
	if p.promotion {
		m.promotion = g.number("PRM")
		until := c.ends
		if until.IsZero() {
			until = s.at.Add(30 * day)
		}
		offer := customer.OfferPromotion{CustomerID: m.id, PromotionID: m.promotion, Offer: p.offer, Channel: p.channel,
			CampaignID: c.id, ValidUntil: until}
		if _, err := g.do(ctx, m, m.step(actorCampaigns, at).within(c.id), offer); err != nil {
			return err
		}
	}
	if m.story.eager || chance(m.r, 0.35) {
		g.act(m, g.after(m.r, at, 0, 5), g.respond(c, pick(m.r, responses[m.story.persona])))
	}
	return nil
}

// respond records a customer's response to a campaign; a conversion is an
// order on the spot, redeeming the campaign's promotion.
func (g *generator) respond(c *campaignRun, r customer.Response) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		cmd := customer.RespondToCampaign{CustomerID: m.id, CampaignID: c.id, Response: r, Channel: c.plan.channel}
		if _, err := g.do(ctx, m, m.step(actorWeb, at).within(c.id), cmd); err != nil || r != customer.Converted {
			return err
		}
		return g.purchase(ctx, m, at)
	}
}

// planSurveys puts four NPS survey rounds on the agenda.
func (g *generator) planSurveys() {
	for _, f := range []float64{0.25, 0.5, 0.75, 0.95} {
		t := g.cfg.Start.Add(time.Duration(g.dayAt(f))*day + 7*time.Hour)
		id := "nps-" + t.Format(time.DateOnly)
		g.schedule(t, func(context.Context, time.Time) error { g.survey(id, t); return nil })
	}
}

// survey asks every customer with an order, consent to surveys by e-mail
// and no departure declared; eager ones and a third of the others answer
// within days.
func (g *generator) survey(id string, at time.Time) {
	surveys := consent.Scope{Channel: channel.Email, Purpose: consent.Surveys}
	for _, m := range g.members {
		if m.live() && !m.state.Departing && m.orders > 0 && m.state.HasConsent(surveys) && (m.story.eager || chance(m.r, 0.35)) {
			g.act(m, g.after(m.r, at, 0, 6), g.answer(id))
		}
	}
}

// answer records a customer's answer to survey id.
func (g *generator) answer(id string) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		nps := g.nps(m, at)
		comment := ""
		if chance(m.r, 0.3) {
			comment = ifElse(nps >= 9, "Great products and service.", ifElse(nps >= 7, "Fine, delivery could be faster.", "Support never calls back."))
		}
		_, err := g.do(ctx, m, m.step(actorSurveys, at), customer.AnswerSurvey{CustomerID: m.id, SurveyID: id, NPS: &nps, Comment: comment})
		return err
	}
}
