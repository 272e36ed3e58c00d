package demo

import (
	"context"
	"time"

	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/customer"
)

// register registers a customer through the web shop, or a company through
// its account manager, and starts its story.
func (g *generator) register(ctx context.Context, m *member, at time.Time) error {
	actor := actorWeb
	if m.who.kind == customer.Company {
		actor = staff(m.manager)
	}
	return g.enroll(ctx, m, m.step(actor, at))
}

// enroll registers m at s, gives its consents, tags, account manager and
// first offers, and puts its first acts on the agenda.
func (g *generator) enroll(ctx context.Context, m *member, s step) error {
	reg := customer.Register{CustomerID: m.id, Kind: m.who.kind, Name: m.who.name, Details: m.who.contact,
		TaxID: m.who.taxID, SourceSystem: SourceSystem, SourceID: m.source(), Profile: m.who.profile}
	if _, err := g.do(ctx, m, s, reg); err != nil {
		return err
	}
	g.sum.Customers++
	g.sum.Personas[m.story.persona]++
	if err := g.script(ctx, m, s.actor, s.at, m.welcome(g, s.at)...); err != nil {
		return err
	}
	m.ordering, m.contacting = true, true
	g.act(m, g.after(m.r, s.at, 1, 10), g.order)
	g.act(m, g.after(m.r, s.at, 2, 20), g.contact)
	g.planTurns(m)
	return nil
}

// welcome returns what follows a registration: consents, tags, the account
// manager, key-account terms and a first offer.
func (m *member) welcome(g *generator, at time.Time) []command {
	var cmds []command
	for _, sc := range m.consents() {
		cmds = append(cmds, customer.GiveConsent{CustomerID: m.id, Scope: sc, Evidence: m.evidence()})
	}
	cmds = append(cmds, customer.SetTags{CustomerID: m.id, Tags: m.tags()})
	if m.who.kind == customer.Company {
		cmds = append(cmds, customer.AssignAccountManager{CustomerID: m.id, Employee: m.manager})
	}
	if m.story.keyAccount {
		m.discount = g.number("DSC")
		cmds = append(cmds, customer.FlagKeyAccount{CustomerID: m.id, Reason: "annual volume above 20,000 EUR", Employee: m.manager},
			customer.GrantDiscount{CustomerID: m.id, DiscountID: m.discount, Reason: "key-account terms", GrantedBy: m.manager,
				Terms: customer.Terms{PercentBP: 1000, ValidUntil: at.Add(365 * day)}})
	}
	switch m.story.persona {
	case Churned:
		m.discount = g.number("DSC")
		cmds = append(cmds, customer.GrantDiscount{CustomerID: m.id, DiscountID: m.discount, Reason: "welcome voucher",
			GrantedBy: m.manager, Terms: customer.Terms{Amount: 2000, Currency: Currency, ValidUntil: at.Add(90 * day)}})
	case Unprofitable:
		m.discount = g.number("DSC")
		cmds = append(cmds, customer.GrantDiscount{CustomerID: m.id, DiscountID: m.discount, Reason: "price match against a competitor",
			GrantedBy: m.manager, Terms: customer.Terms{PercentBP: 4000}})
	case New:
		m.promotion = g.number("PRM")
		cmds = append(cmds, customer.OfferPromotion{CustomerID: m.id, PromotionID: m.promotion,
			Offer: "welcome: first three months of cloud video free", Channel: channel.Email, ValidUntil: at.Add(45 * day)})
	}
	return cmds
}

// consents returns the consents the customer gives at registration. Eager
// customers give the campaigns' e-mail and SMS consents (companies also
// phone, meeting and letter), so that the first campaigns reach them.
func (m *member) consents() []consent.Scope {
	company := m.who.kind == customer.Company
	offers := []struct {
		scope consent.Scope
		p     float64
		eager bool
	}{
		{consent.Scope{Channel: channel.Email, Purpose: consent.Marketing}, 0.75, true},
		{consent.Scope{Channel: channel.Email, Purpose: consent.Newsletter}, 0.6, true},
		{consent.Scope{Channel: channel.Email, Purpose: consent.Surveys}, 0.6, true},
		{consent.Scope{Channel: channel.SMS, Purpose: consent.Marketing}, 0.4, true},
		{consent.Scope{Channel: channel.Phone, Purpose: consent.Marketing}, ifElse(company, 0.7, 0.2), company},
		{consent.Scope{Channel: channel.Meeting, Purpose: consent.Marketing}, ifElse(company, 0.8, 0.05), company},
		{consent.Scope{Channel: channel.Letter, Purpose: consent.Marketing}, 0.3, company},
		{consent.Scope{Channel: channel.WebForm, Purpose: consent.Profiling}, 0.4, false},
		{consent.Scope{Channel: channel.Email, Purpose: consent.ThirdParty}, 0.05, false},
	}
	var out []consent.Scope
	for _, o := range offers {
		if m.story.eager && o.eager || !m.story.eager && chance(m.r, o.p) {
			out = append(out, o.scope)
		}
	}
	return out
}

func (m *member) evidence() string {
	if m.who.kind == customer.Company {
		return "signed framework contract, clause 12"
	}
	return pick(m.r, []string{"web shop sign-up, consent checkboxes", "showroom form, signed", "phone call, recorded"})
}

// tags returns the segments staff assign at registration.
func (m *member) tags() []string {
	tags := []string{ifElse(m.who.kind == customer.Company, "b2b", "b2c"),
		pick(m.r, []string{"security", "lighting", "energy-saving", "video"}),
		pick(m.r, []string{"web-shop", "trade-fair", "referral", "showroom"})}
	if m.story.keyAccount {
		tags = append(tags, "key-account")
	}
	return tags
}

func ifElse[T any](cond bool, yes, no T) T {
	if cond {
		return yes
	}
	return no
}
