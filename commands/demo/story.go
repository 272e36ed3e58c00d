package demo

import (
	"math/rand/v2"

	"github.com/ledgerline/ledgerline/domain/customer"
)

// Persona is how a customer behaves over the simulated period.
type Persona string

// The personas.
const (
	// Loyal customers buy steadily, rate well and are rewarded.
	Loyal Persona = "loyal"
	// Declining customers buy less and less often, complain and withdraw
	// consent.
	Declining Persona = "declining"
	// Churned customers buy for a while, then leave or fall silent.
	Churned Persona = "churned"
	// New customers arrive late in the period, some through a lead.
	New Persona = "new"
	// Unprofitable customers buy below cost on deep discounts, return
	// goods and need support.
	Unprofitable Persona = "unprofitable"
)

// story is what happens to one customer: its persona and the turns its
// history takes. The simulation plays it out.
type story struct {
	persona Persona
	kind    customer.Kind
	// role names a showcase customer; "" for the crowd.
	role string
	// keyAccount is flagged at registration; unflag ends it mid-period.
	keyAccount, unflag bool
	// tour contacts the customer on every channel in both directions.
	tour bool
	// departs declares departure; winBack is the outcome of the attempt
	// to keep the customer ("" for none); returns reactivates later.
	departs bool
	winBack customer.Outcome
	returns bool
	// duplicate has the customer registered twice, then merged.
	duplicate bool
	// forget erases the customer after departure.
	forget bool
	// latePayer pays invoices after their due date.
	latePayer bool
	// moves changes the customer's address mid-period.
	moves bool
	// eager answers every survey and responds to every campaign.
	eager bool
}

// cast is the stories of the first customers, D0001 onwards: together
// they produce every event type of the catalogue.
var cast = []story{
	{role: "loyal key account, contacted on every channel", persona: Loyal, kind: customer.Company, keyAccount: true, tour: true, eager: true},
	{role: "declining key account that pays late and leaves", persona: Declining, kind: customer.Company, keyAccount: true, unflag: true,
		latePayer: true, departs: true, winBack: customer.Pending, eager: true},
	{role: "churned after a complaint, win-back declined", persona: Churned, kind: customer.Person, departs: true, winBack: customer.Declined, eager: true},
	{role: "unprofitable: deep discounts, returns, late payments", persona: Unprofitable, kind: customer.Person, latePayer: true, eager: true},
	{role: "left, then came back", persona: Churned, kind: customer.Person, departs: true, returns: true, moves: true},
	{role: "registered twice, duplicate merged", persona: Loyal, kind: customer.Person, duplicate: true, eager: true},
	{role: "forgotten on request (GDPR erasure)", persona: Churned, kind: customer.Person, departs: true, winBack: customer.NoResponse, forget: true},
	{role: "new customer, welcomed with a promotion", persona: New, kind: customer.Person, eager: true},
	{role: "declining, kept by an accepted win-back offer", persona: Declining, kind: customer.Person, departs: true, winBack: customer.Accepted},
	{role: "loyal regular", persona: Loyal, kind: customer.Person, moves: true},
}

// personaWeights is the mix of the crowd, in percent.
var personaWeights = []struct {
	persona Persona
	weight  int
}{{Loyal, 30}, {Declining, 20}, {Churned, 20}, {New, 15}, {Unprofitable, 15}}

// drawStory returns the story of crowd customer n (1-based).
func drawStory(r *rand.Rand, n int) story {
	if n <= len(cast) {
		return cast[n-1]
	}
	s := story{persona: drawPersona(r), kind: customer.Person}
	if chance(r, 0.2) {
		s.kind = customer.Company
	}
	switch s.persona {
	case Loyal:
		s.keyAccount = s.kind == customer.Company && chance(r, 0.4)
	case Declining:
		s.keyAccount = s.kind == customer.Company && chance(r, 0.3)
		s.unflag, s.departs = s.keyAccount, chance(r, 0.25)
	case Churned:
		s.departs = chance(r, 0.6)
		s.returns = s.departs && chance(r, 0.2)
	}
	if s.departs && chance(r, 0.7) {
		s.winBack = pick(r, []customer.Outcome{customer.Declined, customer.NoResponse, customer.Pending, customer.Accepted})
	}
	s.latePayer = chance(r, map[Persona]float64{Unprofitable: 0.6, Declining: 0.3, Churned: 0.3}[s.persona]+0.05)
	s.moves = chance(r, 0.1)
	return s
}

func drawPersona(r *rand.Rand) Persona {
	n := r.IntN(100)
	for _, w := range personaWeights {
		if n < w.weight {
			return w.persona
		}
		n -= w.weight
	}
	return Loyal
}

// Personas returns every persona, in the order the summary shows them.
func Personas() []Persona { return []Persona{Loyal, Declining, Churned, New, Unprofitable} }
