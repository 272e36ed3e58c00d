package domain

import (
	"time"

	"github.com/google/uuid"
)

// Event is the payload of a domain event: a fact, named by its type in the
// catalogue (e.g. "customer.registered") and encoded as JSON.
type Event interface {
	// EventType returns the catalogue name of the event.
	EventType() string
}

// Recorded is a stored event as an aggregate or a read model sees it.
type Recorded struct {
	// ID is the event's id, which read models cite (e.g. churn reasons).
	ID uuid.UUID
	// Stream and Version place the event in its stream (versions from 1).
	Stream  string
	Version uint64
	// Position is the event's place in the global log.
	Position uint64
	// At is when the fact happened (business time).
	At time.Time
	// Event is the decoded, upcast payload.
	Event Event
}

// State is an aggregate's state, rebuilt by applying its events in order.
type State interface {
	// Apply folds one recorded event into the state. It must not fail:
	// recorded events are facts.
	Apply(r Recorded)
}

// Command is an intent to change one aggregate. Decide validates it
// against the current state and returns the events to append, or a
// *ValidationError (matched by errors.As) naming what is wrong.
type Command[S State] interface {
	// Stream names the aggregate's stream, e.g. "customer-<uuid>".
	Stream() string
	// Decide returns the events the command produces in state s, at time
	// at (the command's time, never the wall clock).
	Decide(s S, at time.Time) ([]Event, error)
}
