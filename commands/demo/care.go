package demo

import (
	"context"
	"time"

	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
)

// topics are what contacts are about, by direction; some channels have
// their own.
var topics = map[channel.Direction][]string{
	channel.Inbound:  {"order status", "product question", "installation appointment", "invoice question", "warranty claim", "app pairing problem", "price request"},
	channel.Outbound: {"follow-up after delivery", "cloud video renewal", "satisfaction check", "offer: outdoor cameras", "appointment confirmation", "account review"},
}

var channelTopics = map[contactWay][]string{
	{channel.Fax, channel.Inbound}:      {"purchase order by fax", "signed quote"},
	{channel.Fax, channel.Outbound}:     {"order confirmation", "quote for 30 sensors"},
	{channel.Letter, channel.Inbound}:   {"change of billing address", "written complaint about a delivery"},
	{channel.Letter, channel.Outbound}:  {"annual account statement", "contract renewal"},
	{channel.Meeting, channel.Inbound}:  {"showroom visit", "trade fair stand visit"},
	{channel.Meeting, channel.Outbound}: {"on-site survey", "quarterly business review"},
}

var outcomes = map[channel.Direction][]string{
	channel.Inbound:  {"resolved", "information sent", "order placed", "escalated to support", "callback scheduled"},
	channel.Outbound: {"interested", "not interested", "meeting booked", "no answer", "left a message", "order placed"},
}

// contact logs the customer's next contact with the shop and puts the one
// after on the agenda, while the customer is active.
func (g *generator) contact(ctx context.Context, m *member, at time.Time) error {
	m.contacting = false
	if !m.buying(at) {
		return nil
	}
	way := m.nextWay()
	topic := pick(m.r, topics[way.direction])
	if own, ok := channelTopics[way]; ok {
		topic = pick(m.r, own)
	}
	employee := ""
	switch {
	case way.direction == channel.Outbound:
		employee = m.manager
	case way.channel != channel.WebForm && way.channel != channel.Social:
		employee = pick(m.r, support)
	}
	cmd := customer.LogInteraction{CustomerID: m.id, Channel: way.channel, Direction: way.direction, Topic: topic,
		Outcome: pick(m.r, outcomes[way.direction]), Employee: employee}
	if chance(m.r, 0.1) {
		cmd.Note = "Customer prefers to be called after 4 pm."
	}
	if _, err := g.do(ctx, m, m.step(ifElse(employee == "", actorWeb, staff(employee)), at), cmd); err != nil {
		return err
	}
	m.contacting = true
	g.act(m, g.after(m.r, at, m.contactGap()[0], m.contactGap()[1]), g.contact)
	return nil
}

// nextWay returns the channel and direction of the next contact: the
// tour's first, else a draw that fits persons or companies.
func (m *member) nextWay() contactWay {
	if len(m.tour) > 0 {
		w := m.tour[0]
		m.tour = m.tour[1:]
		return w
	}
	ways := []channel.Channel{channel.Email, channel.Email, channel.Email, channel.Phone, channel.Phone, channel.Chat,
		channel.Chat, channel.WebForm, channel.SMS, channel.Messenger, channel.Social, channel.Letter}
	if m.who.kind == customer.Company {
		ways = []channel.Channel{channel.Email, channel.Email, channel.Email, channel.Phone, channel.Phone, channel.Phone,
			channel.Meeting, channel.Meeting, channel.Letter, channel.Fax, channel.Messenger, channel.Chat}
	}
	return contactWay{pick(m.r, ways), pick(m.r, []channel.Direction{channel.Inbound, channel.Outbound})}
}

// contactGap returns the range of days between contacts.
func (m *member) contactGap() [2]int {
	switch {
	case m.story.keyAccount:
		return [2]int{7, 18}
	case m.who.kind == customer.Company:
		return [2]int{12, 35}
	}
	return [2]int{25, 60}
}

// knowledge is the support team's knowledge base: a resolution note per
// problem, what staff search later.
var knowledge = []struct{ problem, resolution string }{
	{"hub does not pair with sensors", "Reset the sensor (hold the button 10 s), updated the hub to firmware 2.4.1, paired within 2 m of the hub."},
	{"camera goes offline at night", "Wi-Fi power saving dropped the connection: disabled it under Settings > Network and moved the router to channel 1."},
	{"cloud video recordings missing", "The subscription was linked to an old camera serial; re-linked it in the account portal, 7 days of recordings restored."},
	{"smart plug schedule runs an hour late", "The hub's time zone was UTC; set it to the customer's, the schedules now run on time."},
	{"installation appointment missed", "Technician rescheduled; installation done and the customer shown the app."},
	{"invoice shows the wrong VAT id", "Corrected the VAT id in the account and issued a correction note."},
}

// complaints are what customers complain about, with how support settles
// them.
var complaints = []struct{ topic, resolution string }{
	{"late delivery", "The carrier lost the parcel; shipped a replacement by express and refunded part of the order."},
	{"device stopped working", "Replaced under warranty; the faulty unit went back to the supplier (RMA)."},
	{"billing error", "Double charge confirmed; the duplicate payment was refunded."},
	{"rude support call", "Apologised in writing; the call was reviewed with the agent."},
}

// askForHelp opens a support case about a product of an order, resolved
// days later.
func (g *generator) askForHelp(l customer.Line) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		kb := pick(m.r, knowledge)
		open := customer.OpenSupportCase{CustomerID: m.id, CaseID: g.number("CASE"), Channel: pick(m.r, []channel.Channel{channel.Phone, channel.Chat, channel.Email}),
			Subject: kb.problem, Description: "Product: " + l.Description + " (" + l.SKU + ").",
			Priority: pick(m.r, []customer.Priority{customer.Low, customer.Normal, customer.Normal, customer.High})}
		if _, err := g.do(ctx, m, m.step(actorWeb, at), open); err != nil {
			return err
		}
		g.act(m, g.after(m.r, at, 1, 8), g.resolve(open.CaseID, kb.resolution, ""))
		return nil
	}
}

// complain files a complaint about the customer's last order and opens a
// high-priority case for it.
func (g *generator) complain(ctx context.Context, m *member, at time.Time) error {
	c := pick(m.r, complaints)
	ch := pick(m.r, []channel.Channel{channel.Email, channel.Phone, channel.Letter})
	file := customer.FileComplaint{CustomerID: m.id, ComplaintID: g.number("CMP"), Channel: ch, Topic: c.topic,
		Description: "Customer is upset: " + c.topic + ".", PurchaseID: m.lastID}
	open := customer.OpenSupportCase{CustomerID: m.id, CaseID: g.number("CASE"), Channel: ch, Subject: "complaint: " + c.topic,
		Priority: customer.High, ComplaintID: file.ComplaintID}
	if err := g.script(ctx, m, staff(pick(m.r, support)), at, file, open); err != nil {
		return err
	}
	g.act(m, g.after(m.r, at, 2, 10), g.resolve(open.CaseID, c.resolution, m.lastID))
	return nil
}

// resolve resolves a case; a complaint about an order ends with a partial
// refund of it, and an unhappy customer rates the support.
func (g *generator) resolve(caseID, resolution, purchase string) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		employee := pick(m.r, support)
		cmds := []command{customer.ResolveSupportCase{CustomerID: m.id, CaseID: caseID, Resolution: resolution, Employee: employee}}
		if p, ok := m.state.Purchases[purchase]; ok && p.Refundable() >= 5 {
			cmds = append(cmds, customer.RefundPurchase{CustomerID: m.id, PurchaseID: purchase, Amount: p.Refundable() / 5,
				Currency: p.Currency, Reason: "goodwill after a complaint"})
		}
		if err := g.script(ctx, m, staff(employee), at, cmds...); err != nil {
			return err
		}
		rating := customer.GiveRating{CustomerID: m.id, Stars: g.stars(m, at), Subject: "support"}
		switch {
		case purchase != "":
			rating.Stars, rating.Comment = between(m.r, 1, 2), "Took far too long to sort out."
		case !chance(m.r, 0.3):
			return nil
		}
		_, err := g.do(ctx, m, m.step(actorWeb, at), rating)
		return err
	}
}
