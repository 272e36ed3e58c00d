package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
	"github.com/ledgerline/ledgerline/domain/money"
)

// order places the customer's next order and puts the one after on the
// agenda, while the customer buys. Declining customers wait longer each
// time and buy less.
func (g *generator) order(ctx context.Context, m *member, at time.Time) error {
	m.ordering = false
	if !m.buying(at) {
		return nil
	}
	if err := g.purchase(ctx, m, at); err != nil {
		return err
	}
	if m.story.persona == Declining {
		m.gap = [2]int{m.gap[0] * 6 / 5, m.gap[1] * 6 / 5}
		m.scale = max(25, m.scale*85/100)
	}
	m.ordering = true
	g.act(m, g.after(m.r, at, m.gap[0], m.gap[1]), g.order)
	return nil
}

// purchase records one order with what follows it: the promotion
// redeemed, the invoice, loyalty, and maybe a return, a rating or a call
// for help.
func (g *generator) purchase(ctx context.Context, m *member, at time.Time) error {
	ch, employee := m.salesChannel()
	s := m.step(ifElse(employee == "", actorShop, staff(employee)), at)
	p := customer.RecordPurchase{CustomerID: m.id, PurchaseID: g.number("ORD"), Currency: Currency,
		Lines: basket(m.r, m.story.persona, m.who.kind, m.scale), Channel: ch, Employee: employee}
	m.applyDiscount(&p, s.at)
	p.Total = subtotal(p.Lines) - p.Discount
	if _, err := g.do(ctx, m, s, p); err != nil {
		return err
	}
	m.orders, m.lastOrder, m.lastID = m.orders+1, s.at, p.PurchaseID
	if err := g.redeem(ctx, m, p, s.at); err != nil {
		return err
	}
	if err := g.bill(ctx, m, p, s.at); err != nil {
		return err
	}
	g.aftercare(m, p, s.at)
	return g.loyalty(ctx, m, p, s.at)
}

// salesChannel returns where an order is placed and who sold it ("" for
// the web shop).
func (m *member) salesChannel() (channel.Channel, string) {
	ways := []channel.Channel{channel.WebForm, channel.WebForm, channel.WebForm, channel.Phone, channel.Chat, channel.Meeting}
	if m.who.kind == customer.Company {
		ways = []channel.Channel{channel.Meeting, channel.Phone, channel.Email, channel.WebForm, channel.Fax}
	}
	switch ch := pick(m.r, ways); ch {
	case channel.WebForm, channel.Chat:
		return ch, ""
	default:
		return ch, m.manager
	}
}

// applyDiscount applies the customer's discount to p, as much as it
// allows, if it is active at t.
func (m *member) applyDiscount(p *customer.RecordPurchase, t time.Time) {
	d, ok := m.state.Discounts[m.discount]
	if !ok || !d.ActiveAt(t) {
		return
	}
	limit, err := d.Limit(money.New(subtotal(p.Lines), Currency))
	if err == nil && limit.Minor > 0 {
		p.Discount, p.DiscountID = limit.Minor, m.discount
	}
}

// redeem closes what an order used: the promotion offered last, if still
// valid and the customer thinks of it, and the voucher it spent.
func (g *generator) redeem(ctx context.Context, m *member, p customer.RecordPurchase, at time.Time) error {
	if id := m.promotion; id != "" && (m.story.eager || chance(m.r, 0.35)) {
		m.promotion = ""
		s := m.step(actorShop, at)
		promo, ok := m.state.Promotions[id]
		if ok && !promo.Redeemed && (promo.ValidUntil.IsZero() || s.at.Before(promo.ValidUntil)) {
			cmd := customer.RedeemPromotion{CustomerID: m.id, PromotionID: id, PurchaseID: p.PurchaseID}
			if _, err := g.do(ctx, m, s, cmd); err != nil {
				return err
			}
		}
	}
	if d := m.state.Discounts[p.DiscountID]; p.DiscountID == "" || d.Amount == 0 {
		return nil
	}
	m.discount = ""
	return g.script(ctx, m, actorShop, at,
		customer.RevokeDiscount{CustomerID: m.id, DiscountID: p.DiscountID, Reason: "voucher used", RevokedBy: m.manager})
}

// bill invoices an order paid by transfer (every company order, some of
// the persons'; nothing for an order a voucher paid in full) and plans its payment and the reminders if it is late.
func (g *generator) bill(ctx context.Context, m *member, p customer.RecordPurchase, at time.Time) error {
	terms := m.terms
	if terms == 0 && chance(m.r, 0.25) {
		terms = 7
	}
	if terms == 0 || p.Total == 0 {
		return nil
	}
	s := m.step(actorBilling, at)
	inv := customer.IssueInvoice{CustomerID: m.id, InvoiceID: g.number("INV"), Amount: p.Total, Currency: Currency,
		DueDate: date.Of(s.at).AddDays(terms), PurchaseID: p.PurchaseID}
	res, err := g.do(ctx, m, s, inv)
	if err != nil {
		return err
	}
	g.planPayment(m, inv, s.at)
	check := g.office(m.r, g.dayOf(inv.DueDate.Start())+1)
	g.act(m, check, g.remind(inv.InvoiceID, firstEvent(res)))
	return nil
}

// planPayment puts the payment of an invoice on the agenda: on time, in
// two instalments, late, or (for some late payers) never.
func (g *generator) planPayment(m *member, inv customer.IssueInvoice, issued time.Time) {
	r, due := m.r, g.dayOf(inv.DueDate.Start())
	switch {
	case m.story.latePayer && chance(r, 0.4):
		if !chance(r, 0.15) {
			g.act(m, g.office(r, due+between(r, 8, 45)), g.pay(inv.InvoiceID, 0))
		}
	case m.who.kind == customer.Company && chance(r, 0.15):
		g.act(m, g.after(r, issued, 1, 3), g.pay(inv.InvoiceID, inv.Amount/2))
		g.act(m, g.office(r, due-between(r, 0, 2)), g.pay(inv.InvoiceID, 0))
	default:
		g.act(m, g.after(r, issued, 1, max(1, g.dayOf(inv.DueDate.Start())-g.dayOf(issued))), g.pay(inv.InvoiceID, 0))
	}
}

// pay pays amount of an invoice, or all that is open if amount is 0.
func (g *generator) pay(invoice string, amount int64) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		open := m.state.Invoices[invoice].Open()
		if amount == 0 || amount > open {
			amount = open
		}
		if amount == 0 {
			return nil
		}
		method := ifElse(m.who.kind == customer.Company, "bank_transfer", pick(m.r, []string{"bank_transfer", "card", "paypal"}))
		_, err := g.do(ctx, m, m.step(actorBilling, at), customer.ReceivePayment{CustomerID: m.id, InvoiceID: invoice,
			Amount: amount, Currency: Currency, Method: method, Reference: g.number("TRX")})
		return err
	}
}

// remind is the payment-reminder policy for one invoice: while it is
// overdue, a reminder every ten days, by e-mail, letter, then phone,
// caused by the invoice's event.
func (g *generator) remind(invoice string, issued uuid.UUID) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		inv := m.state.Invoices[invoice]
		if !inv.OverdueAt(at) || inv.Reminders >= 3 {
			return nil
		}
		ch := []channel.Channel{channel.Email, channel.Letter, channel.Phone}[inv.Reminders]
		s := m.step(actorBilling, at).causedBy(issued)
		if _, err := g.do(ctx, m, s, customer.SendPaymentReminder{CustomerID: m.id, InvoiceID: invoice, Channel: ch}); err != nil {
			return err
		}
		g.act(m, g.after(m.r, s.at, 10, 10), g.remind(invoice, issued))
		return nil
	}
}

// aftercare puts what may follow an order on the agenda: a partial
// return, a rating, a call for help.
func (g *generator) aftercare(m *member, p customer.RecordPurchase, at time.Time) {
	r, persona := m.r, m.story.persona
	if chance(r, ifElse(persona == Unprofitable, 0.35, 0.04)) {
		g.act(m, g.after(r, at, 3, 20), g.refund(p, pick(r, p.Lines)))
	}
	if chance(r, ifElse(m.story.eager, 0.5, 0.25)) {
		g.act(m, g.after(r, at, 2, 6), g.rate(p.PurchaseID))
	}
	if chance(r, ifElse(persona == Unprofitable, 0.3, 0.06)) {
		g.act(m, g.after(r, at, 1, 14), g.askForHelp(pick(r, p.Lines)))
	}
}

// refund gives back one unit of a line, net of the order's discount.
func (g *generator) refund(p customer.RecordPurchase, l customer.Line) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		amount := min(l.UnitPrice*p.Total/max(1, subtotal(p.Lines)), m.state.Purchases[p.PurchaseID].Refundable())
		if amount <= 0 {
			return nil
		}
		_, err := g.do(ctx, m, m.step(staff(pick(m.r, support)), at), customer.RefundPurchase{CustomerID: m.id,
			PurchaseID: p.PurchaseID, Amount: amount, Currency: Currency, Reason: "returned 1 × " + l.Description})
		return err
	}
}

// rate records the customer's rating of an order.
func (g *generator) rate(subject string) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		stars := g.stars(m, at)
		comment := ""
		if chance(m.r, 0.4) {
			comment = []string{"", "Stopped working after a week.", "Slow delivery.", "OK.", "Works well.", "Excellent, easy setup!"}[stars]
		}
		_, err := g.do(ctx, m, m.step(actorWeb, at), customer.GiveRating{CustomerID: m.id, Stars: stars, Subject: subject, Comment: comment})
		return err
	}
}

// loyalty rewards every fifth order of a loyal customer and grants a
// loyal customer's discount at the third order.
func (g *generator) loyalty(ctx context.Context, m *member, p customer.RecordPurchase, at time.Time) error {
	var cmds []command
	switch {
	case m.story.persona == Loyal && m.orders%5 == 0:
		cmds = append(cmds, customer.SendReward{CustomerID: m.id, RewardID: g.number("RWD"), Kind: customer.Loyalty,
			Points: p.Total/100 + 1, Reason: fmt.Sprintf("bonus for %d orders", m.orders), SentBy: m.manager})
	case m.story.persona == Loyal && m.orders == 3 && m.discount == "":
		m.discount = g.number("DSC")
		cmds = append(cmds, customer.GrantDiscount{CustomerID: m.id, DiscountID: m.discount, Reason: "loyalty: third order",
			GrantedBy: m.manager, Terms: customer.Terms{PercentBP: 1000, ValidUntil: at.Add(365 * day)}})
	}
	return g.script(ctx, m, staff(m.manager), at, cmds...)
}

// stars returns a rating that fits the customer's persona at t.
func (g *generator) stars(m *member, t time.Time) int {
	r := map[Persona][2]int{Loyal: {4, 5}, New: {3, 5}, Unprofitable: {2, 4}, Churned: {1, 3}, Declining: {3, 5}}[m.story.persona]
	if m.story.persona == Declining && g.late(t) {
		r = [2]int{1, 3}
	}
	return between(m.r, r[0], r[1])
}

// nps returns a net promoter score that fits the customer's persona at t.
func (g *generator) nps(m *member, t time.Time) int {
	r := map[Persona][2]int{Loyal: {8, 10}, New: {7, 10}, Unprofitable: {5, 8}, Churned: {0, 6}, Declining: {6, 8}}[m.story.persona]
	if m.story.persona == Declining && g.late(t) {
		r = [2]int{2, 6}
	}
	return between(m.r, r[0], r[1])
}
