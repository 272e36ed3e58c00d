package customer

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/consent"
)

// ConsentGiven records that the customer agreed to be contacted for a
// purpose on a channel. Giving it again renews it with new evidence.
type ConsentGiven struct {
	consent.Scope
	// Evidence says how the consent was obtained, e.g. "web form, newsletter
	// checkbox".
	Evidence string `json:"evidence,omitempty"`
}

// EventType implements domain.Event.
func (ConsentGiven) EventType() string { return "customer.consent_given" }

func (e ConsentGiven) apply(s *State, at time.Time) { put(&s.Consents, e.Scope, at) }

// ConsentWithdrawn records that the customer withdrew a consent.
type ConsentWithdrawn struct {
	consent.Scope
	Reason string `json:"reason,omitempty"`
}

// EventType implements domain.Event.
func (ConsentWithdrawn) EventType() string { return "customer.consent_withdrawn" }

func (e ConsentWithdrawn) apply(s *State, _ time.Time) { delete(s.Consents, e.Scope) }

// GiveConsent records a consent for a purpose on a channel.
type GiveConsent struct {
	CustomerID uuid.UUID `json:"customer_id"`
	consent.Scope
	Evidence string `json:"evidence,omitempty"`
}

// Stream implements domain.Command.
func (c GiveConsent) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command.
func (c GiveConsent) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	err := domain.FirstError(s.live(), errors.Join(c.Scope.Validate(), domain.LimitText("evidence", c.Evidence, 500)))
	return domain.Decision(err, ConsentGiven{Scope: c.Scope, Evidence: c.Evidence})
}

// WithdrawConsent withdraws a consent the customer gave.
type WithdrawConsent struct {
	CustomerID uuid.UUID `json:"customer_id"`
	consent.Scope
	Reason string `json:"reason,omitempty"`
}

// Stream implements domain.Command.
func (c WithdrawConsent) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrState if that consent is not given.
func (c WithdrawConsent) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	var given error
	if !s.HasConsent(c.Scope) {
		given = domain.Conflict("purpose", "no consent given for it on channel "+string(c.Channel), string(c.Purpose))
	}
	err := domain.FirstError(s.live(), errors.Join(c.Scope.Validate(), domain.LimitText("reason", c.Reason, maxShort)), given)
	return domain.Decision(err, ConsentWithdrawn{Scope: c.Scope, Reason: c.Reason})
}
