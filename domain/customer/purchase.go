package customer

import (
	"errors"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/money"
)

// Line is one line of a purchase; prices are minor units of the
// purchase's currency.
type Line struct {
	SKU         string `json:"sku"`
	Description string `json:"description,omitempty"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   int64  `json:"unit_price"`
	// UnitCost is what one unit cost the seller, when known.
	UnitCost *int64 `json:"unit_cost,omitempty"`
}

// Amount returns Quantity × UnitPrice.
func (l Line) Amount() int64 { return l.Quantity * l.UnitPrice }

func (l Line) validate() error {
	var qty, price, cost error
	if l.Quantity < 1 {
		qty = domain.Invalid("quantity", "must be positive", l.Quantity)
	}
	if _, ok := money.Product(l.Quantity, l.UnitPrice); l.UnitPrice < 0 || !ok {
		price = domain.Invalid("unit_price", "must not be negative nor overflow times quantity", l.UnitPrice)
	}
	if l.UnitCost != nil {
		if _, ok := money.Product(l.Quantity, *l.UnitCost); *l.UnitCost < 0 || !ok {
			cost = domain.Invalid("unit_cost", "must not be negative nor overflow times quantity", *l.UnitCost)
		}
	}
	return errors.Join(domain.RequireText("sku", l.SKU, maxID), domain.LimitText("description", l.Description, 500), qty, price, cost)
}

// SpreadLines returns the lines of quantity units of one sku sold for
// total minor units, for sources that give only a line's total (CDNOW's
// "2 CDs for 29.33"): (quantity - r) units at total/quantity and r units at
// one minor unit more, where r = total mod quantity. quantity must be
// positive and total not negative.
func SpreadLines(sku, description string, quantity, total int64) []Line {
	unit, rest := total/quantity, total%quantity
	lines := []Line{{SKU: sku, Description: description, Quantity: quantity - rest, UnitPrice: unit}}
	if rest == 0 {
		return lines
	}
	return append(lines, Line{SKU: sku, Description: description, Quantity: rest, UnitPrice: unit + 1})
}

// PurchaseRecorded records a purchase. Total is the sum of the lines minus
// Discount, in minor units of Currency.
type PurchaseRecorded struct {
	PurchaseID string         `json:"purchase_id"`
	Currency   money.Currency `json:"currency"`
	Lines      []Line         `json:"lines"`
	// Discount is the discount applied, in minor units; DiscountID names
	// the granted discount it came from, if any.
	Discount   int64  `json:"discount,omitempty"`
	DiscountID string `json:"discount_id,omitempty"`
	Total      int64  `json:"total"`
	// Channel is where the purchase was made, if known.
	Channel channel.Channel `json:"channel,omitempty"`
	// Employee is who sold it, if anyone.
	Employee string `json:"employee,omitempty"`
}

// EventType implements domain.Event.
func (PurchaseRecorded) EventType() string { return "customer.purchase_recorded" }

// Subtotal returns the sum of the lines before the discount.
func (e PurchaseRecorded) Subtotal() int64 {
	var sum int64
	for _, l := range e.Lines {
		sum += l.Amount()
	}
	return sum
}

// Cost returns what the lines cost the seller, and whether every line's
// cost is known.
func (e PurchaseRecorded) Cost() (int64, bool) {
	var sum int64
	for _, l := range e.Lines {
		if l.UnitCost == nil {
			return 0, false
		}
		sum += l.Quantity * *l.UnitCost
	}
	return sum, true
}

func (e PurchaseRecorded) validate() error {
	fields := errors.Join(domain.RequireText("purchase_id", e.PurchaseID, maxID), e.Currency.Validate(),
		e.validateLines(), domain.LimitText("discount_id", e.DiscountID, maxID),
		optionalChannel(e.Channel), domain.LimitText("employee", e.Employee, maxID))
	if fields != nil {
		return fields
	}
	return e.validateTotal()
}

func (e PurchaseRecorded) validateLines() error {
	if len(e.Lines) < 1 || len(e.Lines) > 1000 {
		return domain.Invalid("lines", "must hold 1 to 1000 lines", len(e.Lines))
	}
	errs := make([]error, len(e.Lines))
	for i, l := range e.Lines {
		errs[i] = domain.Prefix(fmt.Sprintf("lines[%d]", i), l.validate())
	}
	return errors.Join(errs...)
}

func (e PurchaseRecorded) validateTotal() error {
	var sum int64
	for _, l := range e.Lines {
		var ok bool
		if sum, ok = money.Sum(sum, l.Amount()); !ok {
			return domain.Invalid("lines", "sum overflows int64", nil)
		}
	}
	switch {
	case e.Discount < 0 || e.Discount > sum:
		return domain.Invalid("discount", fmt.Sprintf("must be 0 to the sum of the lines (%d)", sum), e.Discount)
	case e.Total != sum-e.Discount:
		return domain.Invalid("total", fmt.Sprintf("must be the sum of the lines minus the discount (%d)", sum-e.Discount), e.Total)
	}
	return nil
}

func (e PurchaseRecorded) apply(s *State, at time.Time) {
	put(&s.Purchases, e.PurchaseID, Purchase{Currency: e.Currency, Total: e.Total, At: at})
}

// PurchaseRefunded records money given back on a purchase.
type PurchaseRefunded struct {
	PurchaseID string         `json:"purchase_id"`
	Amount     int64          `json:"amount"`
	Currency   money.Currency `json:"currency"`
	Reason     string         `json:"reason,omitempty"`
}

// EventType implements domain.Event.
func (PurchaseRefunded) EventType() string { return "customer.purchase_refunded" }

func (e PurchaseRefunded) apply(s *State, _ time.Time) {
	p := s.Purchases[e.PurchaseID]
	p.Refunded += e.Amount
	put(&s.Purchases, e.PurchaseID, p)
}

func optionalChannel(c channel.Channel) error {
	if c == "" {
		return nil
	}
	return c.Validate()
}
