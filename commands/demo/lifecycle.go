package demo

import (
	"context"
	"slices"
	"time"

	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/customer"
)

// finance is the employee who reviews margins.
const finance = "karol.wojcik"

// planTurns puts the turns of the customer's story on the agenda.
func (g *generator) planTurns(m *member) {
	s, r := m.story, m.r
	if s.unflag {
		g.act(m, g.within(r, 0.45, 0.55), g.unflag)
	}
	if s.keyAccount && s.persona == Loyal {
		g.act(m, g.within(r, 0.55, 0.65), g.improveTerms)
		g.act(m, g.within(r, 0.9, 0.95), g.sendGift)
	}
	if s.moves {
		g.act(m, g.within(r, 0.3, 0.7), g.move)
	}
	if s.duplicate {
		g.act(m, g.within(r, 0.35, 0.45), g.registerDuplicate)
	}
	switch s.persona {
	case Declining:
		g.act(m, g.within(r, 0.4, 0.5), g.complain)
		g.act(m, g.within(r, 0.55, 0.65), g.sour)
		if s.departs {
			g.act(m, g.within(r, 0.75, 0.85), g.depart)
		}
	case Churned:
		g.act(m, g.after(r, m.stop, -12, -6), g.complain)
		if s.departs {
			g.act(m, g.after(r, m.stop, 0, 5), g.depart)
		}
	case Unprofitable:
		g.act(m, g.within(r, 0.68, 0.75), g.reviewMargin)
	}
}

// unflag ends a key account's status and its tag.
func (g *generator) unflag(ctx context.Context, m *member, at time.Time) error {
	m.moment = at
	tags := slices.DeleteFunc(slices.Clone(m.state.Tags), func(t string) bool { return t == "key-account" })
	return g.script(ctx, m, staff(m.manager), at,
		customer.UnflagKeyAccount{CustomerID: m.id, Reason: "annual volume fell below 20,000 EUR", Employee: m.manager},
		customer.SetTags{CustomerID: m.id, Tags: append(tags, "at-risk")})
}

// improveTerms raises a growing key account's discount.
func (g *generator) improveTerms(ctx context.Context, m *member, at time.Time) error {
	d, ok := m.state.Discounts[m.discount]
	if !ok || d.Revoked {
		return nil
	}
	terms := d.Terms
	terms.PercentBP = 1500
	return g.script(ctx, m, staff(m.manager), at, customer.ChangeDiscount{CustomerID: m.id, DiscountID: m.discount,
		Terms: terms, Reason: "key-account review: volume grew", ChangedBy: m.manager})
}

// sendGift sends a key account the holiday hamper.
func (g *generator) sendGift(ctx context.Context, m *member, at time.Time) error {
	return g.script(ctx, m, staff(m.manager), at, customer.SendReward{CustomerID: m.id, RewardID: g.number("RWD"),
		Kind: customer.Gift, Description: "holiday hamper with a smart speaker", Value: 4500, Currency: Currency,
		Reason: "key-account appreciation", SentBy: m.manager})
}

// move changes the customer's address.
func (g *generator) move(ctx context.Context, m *member, at time.Time) error {
	m.who.contact = m.who.moved(m.r)
	return g.script(ctx, m, actorWeb, at, customer.ChangeContactDetails{CustomerID: m.id, Details: m.who.contact})
}

// sour is a declining customer's withdrawal from marketing e-mail.
func (g *generator) sour(ctx context.Context, m *member, at time.Time) error {
	scope := consent.Scope{Channel: channel.Email, Purpose: consent.Marketing}
	if !m.state.HasConsent(scope) {
		return nil
	}
	return g.script(ctx, m, actorWeb, at, customer.WithdrawConsent{CustomerID: m.id, Scope: scope, Reason: "too many e-mails"})
}

// reviewMargin revokes an unprofitable customer's price match; without it
// the customer buys less.
func (g *generator) reviewMargin(ctx context.Context, m *member, at time.Time) error {
	if d, ok := m.state.Discounts[m.discount]; !ok || d.Revoked {
		return nil
	}
	m.moment, m.gap, m.scale = at, [2]int{m.gap[0] * 3, m.gap[1] * 3}, 50
	id := m.discount
	m.discount = ""
	return g.script(ctx, m, staff(finance), at,
		customer.RevokeDiscount{CustomerID: m.id, DiscountID: id, Reason: "margin review: orders sold below cost", RevokedBy: finance})
}

// departures are the reasons customers give for leaving.
var departures = []string{"found a cheaper provider", "moving abroad", "unhappy with support", "no longer needs the devices"}

// depart declares the customer's departure, ends its discount and
// newsletter, stops its orders and plans what follows: a win-back
// attempt, a return, an erasure.
func (g *generator) depart(ctx context.Context, m *member, at time.Time) error {
	if m.state.Departing {
		return nil
	}
	m.stop, m.returned, m.moment = at, false, at.Add(day)
	cmds := []command{customer.DeclareDeparture{CustomerID: m.id, Reason: pick(m.r, departures),
		Channel: pick(m.r, []channel.Channel{channel.Phone, channel.Email, channel.Letter})}}
	if d, ok := m.state.Discounts[m.discount]; ok && !d.Revoked {
		cmds = append(cmds, customer.RevokeDiscount{CustomerID: m.id, DiscountID: m.discount, Reason: "customer declared departure", RevokedBy: m.manager})
		m.discount = ""
	}
	if news := (consent.Scope{Channel: channel.Email, Purpose: consent.Newsletter}); m.state.HasConsent(news) {
		cmds = append(cmds, customer.WithdrawConsent{CustomerID: m.id, Scope: news, Reason: "leaving"})
	}
	if err := g.script(ctx, m, staff(m.manager), at, cmds...); err != nil {
		return err
	}
	if m.story.winBack != "" {
		g.act(m, g.after(m.r, at, 4, 12), g.winBack)
	}
	if m.story.returns {
		g.act(m, g.after(m.r, at, 40, 70), g.reactivate)
	}
	if m.story.forget {
		g.act(m, g.after(m.r, at, 25, 40), g.forget)
	}
	return nil
}

// winBack tries to keep the customer; an accepted offer brings it back.
func (g *generator) winBack(ctx context.Context, m *member, at time.Time) error {
	offer := pick(m.r, []string{"20% off for six months", "free installation of the next device", "three months of cloud video free"})
	err := g.script(ctx, m, staff(m.manager), at, customer.AttemptWinBack{CustomerID: m.id, Offer: offer,
		Outcome: m.story.winBack, Channel: channel.Phone, Employee: m.manager})
	if err != nil || m.story.winBack != customer.Accepted {
		return err
	}
	g.comeBack(m, at)
	return nil
}

// reactivate records that a departed customer came back on its own.
func (g *generator) reactivate(ctx context.Context, m *member, at time.Time) error {
	if !m.state.Departing {
		return nil
	}
	reason := pick(m.r, []string{"came back after a price drop", "moved back into the delivery area", "missed the cloud video archive"})
	if err := g.script(ctx, m, staff(m.manager), at, customer.Reactivate{CustomerID: m.id, Reason: reason}); err != nil {
		return err
	}
	g.comeBack(m, at)
	return nil
}

// comeBack restarts a returning customer's orders and contacts, at a
// slower pace.
func (g *generator) comeBack(m *member, at time.Time) {
	m.returned, m.gap = true, [2]int{m.gap[0] + 15, m.gap[1] + 20}
	if !m.ordering {
		m.ordering = true
		g.act(m, g.after(m.r, at, 3, 15), g.order)
	}
	if !m.contacting {
		m.contacting = true
		g.act(m, g.after(m.r, at, 5, 20), g.contact)
	}
}

// forget erases the customer at its request.
func (g *generator) forget(ctx context.Context, m *member, at time.Time) error {
	return g.script(ctx, m, staff("dpo.office"), at, customer.Forget{CustomerID: m.id,
		Reason: "erasure requested by the customer (GDPR art. 17)", RequestedBy: "customer, by letter"})
}
