package customer

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/date"
	"github.com/ledgerline/ledgerline/domain/money"
)

// InvoiceIssued records an invoice of Amount minor units of Currency, due
// on DueDate, maybe for a purchase.
type InvoiceIssued struct {
	InvoiceID  string         `json:"invoice_id"`
	Amount     int64          `json:"amount"`
	Currency   money.Currency `json:"currency"`
	DueDate    date.Date      `json:"due_date"`
	PurchaseID string         `json:"purchase_id,omitempty"`
}

// EventType implements domain.Event.
func (InvoiceIssued) EventType() string { return "customer.invoice_issued" }

func (e InvoiceIssued) apply(s *State, at time.Time) {
	put(&s.Invoices, e.InvoiceID, Invoice{Amount: e.Amount, Currency: e.Currency, Due: e.DueDate, IssuedAt: at})
}

// PaymentReceived records a payment on an invoice.
type PaymentReceived struct {
	InvoiceID string         `json:"invoice_id"`
	Amount    int64          `json:"amount"`
	Currency  money.Currency `json:"currency"`
	// Method is how it was paid, e.g. "bank_transfer" or "card".
	Method string `json:"method,omitempty"`
	// Reference is the payment's reference, e.g. a bank transaction id.
	Reference string `json:"reference,omitempty"`
}

// EventType implements domain.Event.
func (PaymentReceived) EventType() string { return "customer.payment_received" }

func (e PaymentReceived) apply(s *State, _ time.Time) {
	inv := s.Invoices[e.InvoiceID]
	inv.Paid += e.Amount
	put(&s.Invoices, e.InvoiceID, inv)
}

// PaymentReminderSent records a reminder about an overdue invoice: the
// Level-th reminder, DaysOverdue days after the due date, while Open
// minor units of Currency were unpaid.
type PaymentReminderSent struct {
	InvoiceID   string          `json:"invoice_id"`
	Level       int             `json:"level"`
	DaysOverdue int             `json:"days_overdue"`
	Open        int64           `json:"open"`
	Currency    money.Currency  `json:"currency"`
	Channel     channel.Channel `json:"channel"`
}

// EventType implements domain.Event.
func (PaymentReminderSent) EventType() string { return "customer.payment_reminder_sent" }

func (e PaymentReminderSent) apply(s *State, _ time.Time) {
	inv := s.Invoices[e.InvoiceID]
	inv.Reminders++
	put(&s.Invoices, e.InvoiceID, inv)
}

// IssueInvoice issues an invoice at the command's time.
type IssueInvoice struct {
	CustomerID uuid.UUID      `json:"customer_id"`
	InvoiceID  string         `json:"invoice_id"`
	Amount     int64          `json:"amount"`
	Currency   money.Currency `json:"currency"`
	DueDate    date.Date      `json:"due_date"`
	PurchaseID string         `json:"purchase_id,omitempty"`
}

// Stream implements domain.Command.
func (c IssueInvoice) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: a new invoice id, a positive amount,
// a due date not before the day of issue; a purchase, if named, must be
// recorded in the same currency.
func (c IssueInvoice) Decide(s *State, at time.Time) ([]domain.Event, error) {
	var due error
	switch {
	case c.DueDate.IsZero():
		due = domain.Invalid("due_date", "is required", nil)
	case c.DueDate.Before(date.Of(at)):
		due = domain.Invalid("due_date", "must not be before the day of issue "+date.Of(at).String(), c.DueDate.String())
	}
	fields := errors.Join(domain.RequireText("invoice_id", c.InvoiceID, maxID), positive("amount", c.Amount),
		c.Currency.Validate(), due, domain.LimitText("purchase_id", c.PurchaseID, maxID))
	_, dup := s.Invoices[c.InvoiceID]
	err := domain.FirstError(s.live(), fields, newID("invoice_id", c.InvoiceID, dup), s.knownPurchase(c.PurchaseID), s.sameCurrency(c))
	return domain.Decision(err, InvoiceIssued{InvoiceID: c.InvoiceID, Amount: c.Amount, Currency: c.Currency,
		DueDate: c.DueDate, PurchaseID: c.PurchaseID})
}

func (s *State) sameCurrency(c IssueInvoice) error {
	if p, ok := s.Purchases[c.PurchaseID]; ok && p.Currency != c.Currency {
		return domain.Conflict("currency", "must be the purchase's currency "+string(p.Currency), string(c.Currency))
	}
	return nil
}

// ReceivePayment records a payment on an issued invoice.
type ReceivePayment struct {
	CustomerID uuid.UUID      `json:"customer_id"`
	InvoiceID  string         `json:"invoice_id"`
	Amount     int64          `json:"amount"`
	Currency   money.Currency `json:"currency"`
	Method     string         `json:"method,omitempty"`
	Reference  string         `json:"reference,omitempty"`
}

// Stream implements domain.Command.
func (c ReceivePayment) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: the invoice must be issued, the
// currency its own, and the amount no more than what is open.
func (c ReceivePayment) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	fields := errors.Join(domain.RequireText("invoice_id", c.InvoiceID, maxID), positive("amount", c.Amount),
		c.Currency.Validate(), domain.LimitText("method", c.Method, 50), domain.LimitText("reference", c.Reference, maxID))
	err := domain.FirstError(s.live(), fields, s.payable(c))
	return domain.Decision(err, PaymentReceived{InvoiceID: c.InvoiceID, Amount: c.Amount, Currency: c.Currency,
		Method: c.Method, Reference: c.Reference})
}

func (s *State) payable(c ReceivePayment) error {
	inv, ok := s.Invoices[c.InvoiceID]
	switch {
	case !ok:
		return domain.Conflict("invoice_id", "no such invoice", c.InvoiceID)
	case c.Currency != inv.Currency:
		return domain.Conflict("currency", "must be the invoice's currency "+string(inv.Currency), string(c.Currency))
	case c.Amount > inv.Open():
		return domain.Conflict("amount", fmt.Sprintf("must not exceed what is open (%d of %d)", inv.Open(), inv.Amount), c.Amount)
	}
	return nil
}

// SendPaymentReminder records a reminder about an invoice that is overdue
// and unpaid at the command's time; the event's level, days overdue and
// open amount are computed from the state.
type SendPaymentReminder struct {
	CustomerID uuid.UUID       `json:"customer_id"`
	InvoiceID  string          `json:"invoice_id"`
	Channel    channel.Channel `json:"channel"`
}

// Stream implements domain.Command.
func (c SendPaymentReminder) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command.
func (c SendPaymentReminder) Decide(s *State, at time.Time) ([]domain.Event, error) {
	inv, ok := s.Invoices[c.InvoiceID]
	var overdue error
	switch {
	case !ok:
		overdue = domain.Conflict("invoice_id", "no such invoice", c.InvoiceID)
	case inv.Open() == 0:
		overdue = domain.Conflict("invoice_id", "invoice is paid", c.InvoiceID)
	case !inv.OverdueAt(at):
		overdue = domain.Conflict("invoice_id", "invoice is not overdue before "+inv.Due.AddDays(1).String(), c.InvoiceID)
	}
	fields := errors.Join(domain.RequireText("invoice_id", c.InvoiceID, maxID), c.Channel.Validate())
	err := domain.FirstError(s.live(), fields, overdue)
	return domain.Decision(err, PaymentReminderSent{InvoiceID: c.InvoiceID, Level: inv.Reminders + 1,
		DaysOverdue: inv.Due.DaysUntil(date.Of(at)), Open: inv.Open(), Currency: inv.Currency, Channel: c.Channel})
}
