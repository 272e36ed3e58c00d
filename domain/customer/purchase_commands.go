package customer

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/money"
)

// RecordPurchase records a purchase at the command's time. Total is
// checked, not computed: it must equal the sum of the lines minus Discount.
type RecordPurchase struct {
	CustomerID uuid.UUID       `json:"customer_id"`
	PurchaseID string          `json:"purchase_id"`
	Currency   money.Currency  `json:"currency"`
	Lines      []Line          `json:"lines"`
	Discount   int64           `json:"discount,omitempty"`
	DiscountID string          `json:"discount_id,omitempty"`
	Total      int64           `json:"total"`
	Channel    channel.Channel `json:"channel,omitempty"`
	Employee   string          `json:"employee,omitempty"`
}

// Stream implements domain.Command.
func (c RecordPurchase) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: a new purchase id, 1 to 1000 lines of
// positive quantity and non-negative prices, a valid currency, the total
// checked; a named discount must be active at the command's time and allow
// at least the discount applied.
func (c RecordPurchase) Decide(s *State, at time.Time) ([]domain.Event, error) {
	e := PurchaseRecorded{PurchaseID: c.PurchaseID, Currency: c.Currency, Lines: c.Lines, Discount: c.Discount,
		DiscountID: c.DiscountID, Total: c.Total, Channel: c.Channel, Employee: c.Employee}
	_, dup := s.Purchases[e.PurchaseID]
	err := domain.FirstError(s.live(), e.validate(), newID("purchase_id", e.PurchaseID, dup))
	if err == nil && e.DiscountID != "" {
		err = s.discountAllows(e, at)
	}
	return domain.Decision(err, e)
}

// discountAllows checks that e's discount fits the discount it names.
func (s *State) discountAllows(e PurchaseRecorded, at time.Time) error {
	d, ok := s.Discounts[e.DiscountID]
	switch {
	case !ok:
		return domain.Conflict("discount_id", "no such discount", e.DiscountID)
	case !d.ActiveAt(at):
		return domain.Conflict("discount_id", "discount is not active at the purchase's time", e.DiscountID)
	}
	limit, err := d.Limit(money.New(e.Subtotal(), e.Currency))
	switch {
	case err != nil:
		return err
	case e.Discount > limit.Minor:
		return domain.Conflict("discount", fmt.Sprintf("must not exceed %d, what discount %s allows", limit.Minor, e.DiscountID), e.Discount)
	}
	return nil
}

// RefundPurchase gives money back on a recorded purchase.
type RefundPurchase struct {
	CustomerID uuid.UUID      `json:"customer_id"`
	PurchaseID string         `json:"purchase_id"`
	Amount     int64          `json:"amount"`
	Currency   money.Currency `json:"currency"`
	Reason     string         `json:"reason,omitempty"`
}

// Stream implements domain.Command.
func (c RefundPurchase) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: the purchase must be recorded, the
// currency its own, and all refunds together no more than its total.
func (c RefundPurchase) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	fields := errors.Join(domain.RequireText("purchase_id", c.PurchaseID, maxID), positive("amount", c.Amount),
		c.Currency.Validate(), domain.LimitText("reason", c.Reason, maxShort))
	err := domain.FirstError(s.live(), fields, s.refundable(c))
	return domain.Decision(err, PurchaseRefunded{PurchaseID: c.PurchaseID, Amount: c.Amount, Currency: c.Currency, Reason: c.Reason})
}

func (s *State) refundable(c RefundPurchase) error {
	p, ok := s.Purchases[c.PurchaseID]
	switch {
	case !ok:
		return domain.Conflict("purchase_id", "no such purchase", c.PurchaseID)
	case c.Currency != p.Currency:
		return domain.Conflict("currency", "must be the purchase's currency "+string(p.Currency), string(c.Currency))
	case c.Amount > p.Refundable():
		return domain.Conflict("amount", fmt.Sprintf("must not exceed what is left to refund (%d of %d)", p.Refundable(), p.Total), c.Amount)
	}
	return nil
}

// knownPurchase returns an error unless id is empty or a recorded purchase.
func (s *State) knownPurchase(id string) error {
	if _, ok := s.Purchases[id]; id != "" && !ok {
		return domain.Conflict("purchase_id", "no such purchase", id)
	}
	return nil
}

func positive(field string, n int64) error {
	if n < 1 {
		return domain.Invalid(field, "must be positive", n)
	}
	return nil
}
