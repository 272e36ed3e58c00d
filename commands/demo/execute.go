package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/campaign"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/lead"
	"github.com/ledgerline/ledgerline/eventstore"
)

// Actors of the commands no employee issues.
const (
	actorShop      = "system:shop"
	actorWeb       = "system:web"
	actorBilling   = "system:billing"
	actorCampaigns = "system:campaigns"
	actorSurveys   = "system:surveys"
)

// staff returns the actor of an employee.
func staff(employee string) string { return "user:" + employee }

// step is when and on whose behalf a command runs, and what caused it.
type step struct {
	at    time.Time
	actor string
	// correlation and causation default to the command id.
	correlation, causation uuid.UUID
}

// causedBy returns s caused by an event.
func (s step) causedBy(event uuid.UUID) step {
	s.causation = event
	return s
}

// within returns s correlated with id, e.g. a lead's or a campaign's.
func (s step) within(id uuid.UUID) step {
	s.correlation = id
	return s
}

// clock keeps one aggregate's business time: its commands run in order,
// at least a minute apart.
type clock struct{ last time.Time }

// step returns a step at t, or a minute after the aggregate's last command
// if that is later.
func (c *clock) step(actor string, t time.Time) step {
	if !t.After(c.last) {
		t = c.last.Add(time.Minute)
	}
	c.last = t
	return step{at: t, actor: actor}
}

// execute runs cmd through the command layer and folds the events it
// appended into st, the generator's copy of the aggregate's state. A
// refused command is a bug in the generator, returned as the error; a
// stream that already holds other events (a command the store decided
// otherwise than the copy, a customer registered before) is
// ErrOtherPopulation.
func execute[S domain.State](ctx context.Context, g *generator, st S, s step, cmd domain.Command[S], fresh func() S) (commands.Result, error) {
	events, err := cmd.Decide(st, s.at)
	if err != nil {
		return commands.Result{}, fmt.Errorf("%T on %s at %s: %w", cmd, cmd.Stream(), s.at.Format(time.RFC3339), err)
	}
	g.commands++
	env := commands.Envelope{CommandID: g.id("command", g.commands), Actor: s.actor,
		CorrelationID: s.correlation, CausationID: s.causation, At: s.at}
	res, err := commands.Execute(ctx, g.h, env, cmd, fresh)
	switch {
	case errors.Is(err, domain.ErrAlreadyExists) || errors.Is(err, eventstore.ErrDuplicateEventID):
		return res, fmt.Errorf("execute %T on %s: %w: %w", cmd, cmd.Stream(), ErrOtherPopulation, err)
	case err != nil:
		return res, fmt.Errorf("execute %T on %s: %w", cmd, cmd.Stream(), err)
	case len(res.EventIDs) != len(events):
		return res, fmt.Errorf("execute %T on %s: %w: it holds %d events of command %s, the generator decided %d",
			cmd, cmd.Stream(), ErrOtherPopulation, len(res.EventIDs), env.CommandID, len(events))
	}
	first := res.Version + 1 - uint64(len(events))
	for i, e := range events {
		st.Apply(domain.Recorded{ID: res.EventIDs[i], Stream: res.Stream, Version: first + uint64(i), At: s.at, Event: e})
		g.sum.EventsByType[e.EventType()]++
	}
	g.sum.Commands++
	g.sum.Events += len(events)
	if res.Replayed {
		g.sum.Replayed++
	}
	return res, nil
}

func newCustomer() *customer.State { return &customer.State{} }
func newLead() *lead.State         { return &lead.State{} }
func newCampaign() *campaign.State { return &campaign.State{} }

// firstEvent returns the id of the first event res reports, uuid.Nil if
// none.
func firstEvent(res commands.Result) uuid.UUID {
	if len(res.EventIDs) == 0 {
		return uuid.Nil
	}
	return res.EventIDs[0]
}
