package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/customer"
)

// extra returns a member numbered after the configured customers: a
// duplicate or a converted lead.
func (g *generator) extra(s story) *member {
	m := g.newMember(g.cfg.Customers+g.extras+1, s)
	g.extras++
	g.members = append(g.members, m)
	return m
}

// registerDuplicate registers the customer a second time, as staff taking
// a phone order might: same name, another e-mail. The duplicate lives its
// own life for a while and is merged into the original days later.
func (g *generator) registerDuplicate(ctx context.Context, m *member, at time.Time) error {
	dup := g.extra(story{persona: m.story.persona, kind: m.who.kind})
	dup.who, dup.manager = m.who, m.manager
	dup.who.contact = contact.Details{Phone: m.who.contact.Phone,
		Email: fmt.Sprintf("%s.%s@work.example", slug(m.who.first), slug(m.who.last))}
	if err := g.enroll(ctx, dup, dup.step(staff(m.manager), at)); err != nil {
		return err
	}
	g.act(m, g.after(m.r, at, 10, 20), g.merge(dup))
	return nil
}

// merge merges dup into the customer: the duplicate records where it went,
// the survivor what it took in (caused by the first), and the survivor
// keeps the duplicate's newer e-mail.
func (g *generator) merge(dup *member) func(context.Context, *member, time.Time) error {
	return func(ctx context.Context, m *member, at time.Time) error {
		if !dup.live() {
			return nil
		}
		m.moment = at.Add(day)
		corr := g.id("merge", dup.n)
		res, err := g.do(ctx, dup, dup.step(staff(m.manager), at).within(corr), customer.Merge{CustomerID: dup.id, Into: m.id})
		if err != nil {
			return err
		}
		accept := m.step(staff(m.manager), at).within(corr).causedBy(firstEvent(res))
		if _, err := g.do(ctx, m, accept, customer.AcceptMerge{CustomerID: m.id, From: dup.id}); err != nil {
			return err
		}
		details := m.who.contact
		details.Email = dup.who.contact.Email
		m.who.contact = details
		_, err = g.do(ctx, m, m.step(staff(m.manager), at).within(corr), customer.ChangeContactDetails{CustomerID: m.id, Details: details})
		return err
	}
}
