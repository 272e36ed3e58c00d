package customer

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
)

// DepartureDeclared records that the customer said they are leaving.
type DepartureDeclared struct {
	Reason  string          `json:"reason"`
	Channel channel.Channel `json:"channel,omitempty"`
}

// EventType implements domain.Event.
func (DepartureDeclared) EventType() string { return "customer.departure_declared" }

func (DepartureDeclared) apply(s *State, _ time.Time) { s.Departing = true }

// Outcome is how a win-back attempt ended.
type Outcome string

// The outcomes of a win-back attempt.
const (
	Pending    Outcome = "pending"
	Accepted   Outcome = "accepted"
	Declined   Outcome = "declined"
	NoResponse Outcome = "no_response"
)

// Validate reports whether o is a known outcome (field "outcome").
func (o Outcome) Validate() error {
	return domain.OneOf("outcome", o, []Outcome{Pending, Accepted, Declined, NoResponse})
}

// WinBackAttempted records an attempt to keep or win back the customer.
type WinBackAttempted struct {
	Offer    string          `json:"offer"`
	Outcome  Outcome         `json:"outcome"`
	Channel  channel.Channel `json:"channel"`
	Employee string          `json:"employee"`
}

// EventType implements domain.Event.
func (WinBackAttempted) EventType() string { return "customer.win_back_attempted" }

// Reactivated records that a departing customer stays or came back.
type Reactivated struct {
	Reason string `json:"reason"`
}

// EventType implements domain.Event.
func (Reactivated) EventType() string { return "customer.reactivated" }

func (Reactivated) apply(s *State, _ time.Time) { s.Departing = false }

// DeclareDeparture records that the customer is leaving.
type DeclareDeparture struct {
	CustomerID uuid.UUID       `json:"customer_id"`
	Reason     string          `json:"reason"`
	Channel    channel.Channel `json:"channel,omitempty"`
}

// Stream implements domain.Command.
func (c DeclareDeparture) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrState if already departing.
func (c DeclareDeparture) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	var again error
	if s.Departing {
		again = domain.Conflict("customer_id", "customer has already declared departure", s.ID)
	}
	fields := errors.Join(domain.RequireText("reason", c.Reason, maxShort), optionalChannel(c.Channel))
	return domain.Decision(domain.FirstError(s.live(), fields, again), DepartureDeclared{Reason: c.Reason, Channel: c.Channel})
}

// AttemptWinBack records a win-back attempt, whether or not the customer
// declared departure (churn signals find silent customers too). An
// accepted offer reactivates a departing customer in the same decision.
type AttemptWinBack struct {
	CustomerID uuid.UUID       `json:"customer_id"`
	Offer      string          `json:"offer"`
	Outcome    Outcome         `json:"outcome"`
	Channel    channel.Channel `json:"channel"`
	Employee   string          `json:"employee"`
}

// Stream implements domain.Command.
func (c AttemptWinBack) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command.
func (c AttemptWinBack) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	fields := errors.Join(domain.RequireText("offer", c.Offer, 500), c.Outcome.Validate(), c.Channel.Validate(),
		domain.RequireText("employee", c.Employee, maxID))
	if err := domain.FirstError(s.live(), fields); err != nil {
		return nil, err
	}
	events := []domain.Event{WinBackAttempted{Offer: c.Offer, Outcome: c.Outcome, Channel: c.Channel, Employee: c.Employee}}
	if c.Outcome == Accepted && s.Departing {
		events = append(events, Reactivated{Reason: "win-back offer accepted: " + c.Offer})
	}
	return events, nil
}

// Reactivate records that a departing customer stays or came back.
type Reactivate struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Reason     string    `json:"reason"`
}

// Stream implements domain.Command.
func (c Reactivate) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrState unless departure was
// declared.
func (c Reactivate) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	var departing error
	if !s.Departing {
		departing = domain.Conflict("customer_id", "customer has not declared departure", s.ID)
	}
	err := domain.FirstError(s.live(), domain.RequireText("reason", c.Reason, maxShort), departing)
	return domain.Decision(err, Reactivated{Reason: c.Reason})
}
