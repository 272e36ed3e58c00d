package customer

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/money"
)

// Terms are what a discount gives — either PercentBP basis points off
// (1250 is 12.5 %) or Amount minor units of Currency off a purchase — and
// when: from ValidFrom, until ValidUntil (exclusive; zero means no end).
type Terms struct {
	PercentBP  int64          `json:"percent_bp,omitempty"`
	Amount     int64          `json:"amount,omitempty"`
	Currency   money.Currency `json:"currency,omitempty"`
	ValidFrom  time.Time      `json:"valid_from"`
	ValidUntil time.Time      `json:"valid_until,omitzero"`
}

// Limit returns the most the terms take off a purchase's subtotal: the
// percentage of it, or the amount but no more than the subtotal, whose
// currency must then be the discount's.
func (t Terms) Limit(subtotal money.Amount) (money.Amount, error) {
	if t.PercentBP > 0 {
		return subtotal.BasisPoints(t.PercentBP), nil
	}
	if subtotal.Currency != t.Currency {
		return money.Amount{}, domain.Conflict("currency", "must be the discount's currency "+string(t.Currency), string(subtotal.Currency))
	}
	return money.New(min(t.Amount, subtotal.Minor), t.Currency), nil
}

func (t Terms) equal(u Terms) bool {
	return t.PercentBP == u.PercentBP && t.Amount == u.Amount && t.Currency == u.Currency &&
		t.ValidFrom.Equal(u.ValidFrom) && t.ValidUntil.Equal(u.ValidUntil)
}

func (t Terms) validate() error {
	var kind, until error
	switch {
	case t.PercentBP == 0 && t.Amount == 0:
		kind = domain.Invalid("percent_bp", "percent_bp or amount is required", nil)
	case t.PercentBP != 0 && (t.Amount != 0 || t.Currency != ""):
		kind = domain.Invalid("amount", "must not be set with percent_bp", t.Amount)
	case t.PercentBP != 0 && (t.PercentBP < 1 || t.PercentBP > 10000):
		kind = domain.Invalid("percent_bp", "must be 1 to 10000 basis points", t.PercentBP)
	case t.PercentBP == 0:
		kind = errors.Join(positive("amount", t.Amount), t.Currency.Validate())
	}
	if !t.ValidUntil.IsZero() && !t.ValidUntil.After(t.ValidFrom) {
		until = domain.Invalid("valid_until", "must be after valid_from", t.ValidUntil)
	}
	return errors.Join(kind, until)
}

// DiscountGranted records a discount granted to the customer.
type DiscountGranted struct {
	DiscountID string `json:"discount_id"`
	Terms
	Reason    string `json:"reason"`
	GrantedBy string `json:"granted_by"`
}

// EventType implements domain.Event.
func (DiscountGranted) EventType() string { return "customer.discount_granted" }

func (e DiscountGranted) apply(s *State, _ time.Time) {
	put(&s.Discounts, e.DiscountID, Discount{Terms: e.Terms})
}

// DiscountChanged replaces a discount's terms in full.
type DiscountChanged struct {
	DiscountID string `json:"discount_id"`
	Terms
	Reason    string `json:"reason"`
	ChangedBy string `json:"changed_by"`
}

// EventType implements domain.Event.
func (DiscountChanged) EventType() string { return "customer.discount_changed" }

func (e DiscountChanged) apply(s *State, _ time.Time) {
	put(&s.Discounts, e.DiscountID, Discount{Terms: e.Terms})
}

// DiscountRevoked records that a discount no longer applies.
type DiscountRevoked struct {
	DiscountID string `json:"discount_id"`
	Reason     string `json:"reason"`
	RevokedBy  string `json:"revoked_by"`
}

// EventType implements domain.Event.
func (DiscountRevoked) EventType() string { return "customer.discount_revoked" }

func (e DiscountRevoked) apply(s *State, _ time.Time) {
	d := s.Discounts[e.DiscountID]
	d.Revoked = true
	put(&s.Discounts, e.DiscountID, d)
}

// GrantDiscount grants a discount; a zero ValidFrom means the command's
// time.
type GrantDiscount struct {
	CustomerID uuid.UUID `json:"customer_id"`
	DiscountID string    `json:"discount_id"`
	Terms
	Reason    string `json:"reason"`
	GrantedBy string `json:"granted_by"`
}

// Stream implements domain.Command.
func (c GrantDiscount) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: a new discount id and valid terms.
func (c GrantDiscount) Decide(s *State, at time.Time) ([]domain.Event, error) {
	e := DiscountGranted{DiscountID: c.DiscountID, Terms: c.Terms, Reason: c.Reason, GrantedBy: c.GrantedBy}
	if e.ValidFrom.IsZero() {
		e.ValidFrom = at
	}
	fields := errors.Join(domain.RequireText("discount_id", e.DiscountID, maxID), e.Terms.validate(),
		domain.RequireText("reason", e.Reason, maxShort), domain.RequireText("granted_by", e.GrantedBy, maxID))
	_, dup := s.Discounts[e.DiscountID]
	return domain.Decision(domain.FirstError(s.live(), fields, newID("discount_id", e.DiscountID, dup)), e)
}

// ChangeDiscount replaces the terms of a discount that is not revoked; a
// zero ValidFrom keeps the current one. Unchanged terms give no events.
type ChangeDiscount struct {
	CustomerID uuid.UUID `json:"customer_id"`
	DiscountID string    `json:"discount_id"`
	Terms
	Reason    string `json:"reason"`
	ChangedBy string `json:"changed_by"`
}

// Stream implements domain.Command.
func (c ChangeDiscount) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command.
func (c ChangeDiscount) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	d, current := s.Discounts[c.DiscountID]
	e := DiscountChanged{DiscountID: c.DiscountID, Terms: c.Terms, Reason: c.Reason, ChangedBy: c.ChangedBy}
	if e.ValidFrom.IsZero() {
		e.ValidFrom = d.ValidFrom
	}
	fields := errors.Join(domain.RequireText("discount_id", e.DiscountID, maxID), e.Terms.validate(),
		domain.RequireText("reason", e.Reason, maxShort), domain.RequireText("changed_by", e.ChangedBy, maxID))
	err := domain.FirstError(s.live(), fields, notRevoked(c.DiscountID, d, current))
	if err != nil || d.Terms.equal(e.Terms) {
		return nil, err
	}
	return []domain.Event{e}, nil
}

// RevokeDiscount ends a discount that is not revoked.
type RevokeDiscount struct {
	CustomerID uuid.UUID `json:"customer_id"`
	DiscountID string    `json:"discount_id"`
	Reason     string    `json:"reason"`
	RevokedBy  string    `json:"revoked_by"`
}

// Stream implements domain.Command.
func (c RevokeDiscount) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command.
func (c RevokeDiscount) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	d, current := s.Discounts[c.DiscountID]
	fields := errors.Join(domain.RequireText("discount_id", c.DiscountID, maxID),
		domain.RequireText("reason", c.Reason, maxShort), domain.RequireText("revoked_by", c.RevokedBy, maxID))
	err := domain.FirstError(s.live(), fields, notRevoked(c.DiscountID, d, current))
	return domain.Decision(err, DiscountRevoked{DiscountID: c.DiscountID, Reason: c.Reason, RevokedBy: c.RevokedBy})
}

func notRevoked(id string, d Discount, exists bool) error {
	switch {
	case !exists:
		return domain.Conflict("discount_id", "no such discount", id)
	case d.Revoked:
		return domain.Conflict("discount_id", "discount is revoked", id)
	}
	return nil
}
