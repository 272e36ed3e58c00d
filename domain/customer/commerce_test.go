package customer_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
)

func cost(n int64) *int64 { return &n }

func purchase(f func(*customer.RecordPurchase)) customer.RecordPurchase {
	c := customer.RecordPurchase{CustomerID: id, PurchaseID: "P1", Currency: "EUR", Total: 2000,
		Lines: []customer.Line{{SKU: "cd-1", Quantity: 2, UnitPrice: 1000}}}
	if f != nil {
		f(&c)
	}
	return c
}

func TestRecordPurchase(t *testing.T) {
	lines := []customer.Line{
		{SKU: "cd-1", Description: "Kind of Blue", Quantity: 2, UnitPrice: 1299, UnitCost: cost(700)},
		{SKU: "cd-2", Quantity: 1, UnitPrice: 0},
	}
	tenPercent := customer.DiscountGranted{DiscountID: "D1", Terms: customer.Terms{PercentBP: 1000, ValidFrom: t0}, Reason: "r", GrantedBy: "e1"}
	fiveEuro := customer.DiscountGranted{DiscountID: "D2", Terms: customer.Terms{Amount: 500, Currency: "EUR", ValidFrom: t0}, Reason: "r", GrantedBy: "e1"}
	run(t, []decideCase{
		{name: "purchase", given: []domain.Event{registered}, cmd: purchase(nil), want: []domain.Event{purchased}},
		{name: "lines, cost, discount, channel and employee", given: []domain.Event{registered},
			cmd: purchase(func(c *customer.RecordPurchase) {
				c.Lines, c.Discount, c.Total, c.Channel, c.Employee = lines, 98, 2500, channel.Phone, "e1"
			}),
			want: []domain.Event{customer.PurchaseRecorded{PurchaseID: "P1", Currency: "EUR", Lines: lines, Discount: 98,
				Total: 2500, Channel: channel.Phone, Employee: "e1"}}},
		{name: "yen have no minor unit", given: []domain.Event{registered},
			cmd: purchase(func(c *customer.RecordPurchase) { c.Currency = "JPY" }),
			want: []domain.Event{customer.PurchaseRecorded{PurchaseID: "P1", Currency: "JPY", Total: 2000,
				Lines: []customer.Line{{SKU: "cd-1", Quantity: 2, UnitPrice: 1000}}}}},
		{name: "percent discount up to its limit", given: []domain.Event{registered, tenPercent},
			cmd: purchase(func(c *customer.RecordPurchase) { c.DiscountID, c.Discount, c.Total = "D1", 200, 1800 }),
			want: []domain.Event{customer.PurchaseRecorded{PurchaseID: "P1", Currency: "EUR", Total: 1800, Discount: 200, DiscountID: "D1",
				Lines: []customer.Line{{SKU: "cd-1", Quantity: 2, UnitPrice: 1000}}}}},
		{name: "percent discount above its limit", given: []domain.Event{registered, tenPercent},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.DiscountID, c.Discount, c.Total = "D1", 201, 1799 }),
			kind: domain.ErrState, field: "discount"},
		{name: "amount discount above its limit", given: []domain.Event{registered, fiveEuro},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.DiscountID, c.Discount, c.Total = "D2", 501, 1499 }),
			kind: domain.ErrState, field: "discount"},
		{name: "amount discount in another currency", given: []domain.Event{registered, fiveEuro},
			cmd: purchase(func(c *customer.RecordPurchase) {
				c.Currency, c.DiscountID, c.Discount, c.Total = "USD", "D2", 100, 1900
			}),
			kind: domain.ErrState, field: "currency"},
		{name: "unknown discount", given: []domain.Event{registered},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.DiscountID, c.Discount, c.Total = "D9", 1, 1999 }),
			kind: domain.ErrState, field: "discount_id"},
		{name: "revoked discount", given: []domain.Event{registered, tenPercent, customer.DiscountRevoked{DiscountID: "D1", Reason: "r", RevokedBy: "e1"}},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.DiscountID, c.Discount, c.Total = "D1", 1, 1999 }),
			kind: domain.ErrState, field: "discount_id"},
		{name: "expired discount", at: t0.Add(72 * time.Hour),
			given: []domain.Event{registered, customer.DiscountGranted{DiscountID: "D1", Terms: customer.Terms{PercentBP: 1000, ValidFrom: t0,
				ValidUntil: t0.Add(24 * time.Hour)}, Reason: "r", GrantedBy: "e1"}},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.DiscountID, c.Discount, c.Total = "D1", 1, 1999 }),
			kind: domain.ErrState, field: "discount_id"},
		{name: "purchase id reused", given: []domain.Event{registered, purchased}, cmd: purchase(nil),
			kind: domain.ErrState, field: "purchase_id"},
		{name: "no purchase id", given: []domain.Event{registered}, cmd: purchase(func(c *customer.RecordPurchase) { c.PurchaseID = "" }),
			kind: domain.ErrInvalid, field: "purchase_id"},
		{name: "unknown currency", given: []domain.Event{registered}, cmd: purchase(func(c *customer.RecordPurchase) { c.Currency = "EURO" }),
			kind: domain.ErrInvalid, field: "currency"},
		{name: "withdrawn currency", given: []domain.Event{registered}, cmd: purchase(func(c *customer.RecordPurchase) { c.Currency = "DEM" }),
			kind: domain.ErrInvalid, field: "currency"},
		{name: "lower-case currency", given: []domain.Event{registered}, cmd: purchase(func(c *customer.RecordPurchase) { c.Currency = "eur" }),
			kind: domain.ErrInvalid, field: "currency"},
		{name: "no lines", given: []domain.Event{registered}, cmd: purchase(func(c *customer.RecordPurchase) { c.Lines = nil }),
			kind: domain.ErrInvalid, field: "lines"},
		{name: "zero quantity", given: []domain.Event{registered},
			cmd: purchase(func(c *customer.RecordPurchase) {
				c.Lines = []customer.Line{{SKU: "a", Quantity: 1, UnitPrice: 2000}, {SKU: "b", Quantity: 0, UnitPrice: 5}}
			}),
			kind: domain.ErrInvalid, field: "lines[1].quantity"},
		{name: "negative price", given: []domain.Event{registered},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.Lines = []customer.Line{{SKU: "a", Quantity: 1, UnitPrice: -1}} }),
			kind: domain.ErrInvalid, field: "lines[0].unit_price"},
		{name: "negative cost", given: []domain.Event{registered},
			cmd: purchase(func(c *customer.RecordPurchase) {
				c.Lines = []customer.Line{{SKU: "a", Quantity: 2, UnitPrice: 1000, UnitCost: cost(-1)}}
			}),
			kind: domain.ErrInvalid, field: "lines[0].unit_cost"},
		{name: "no sku", given: []domain.Event{registered},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.Lines = []customer.Line{{Quantity: 2, UnitPrice: 1000}} }),
			kind: domain.ErrInvalid, field: "lines[0].sku"},
		{name: "line overflows", given: []domain.Event{registered},
			cmd: purchase(func(c *customer.RecordPurchase) {
				c.Lines = []customer.Line{{SKU: "a", Quantity: 2, UnitPrice: math.MaxInt64/2 + 1}}
			}),
			kind: domain.ErrInvalid, field: "lines[0].unit_price"},
		{name: "sum overflows", given: []domain.Event{registered},
			cmd: purchase(func(c *customer.RecordPurchase) {
				c.Lines = []customer.Line{{SKU: "a", Quantity: 1, UnitPrice: math.MaxInt64}, {SKU: "b", Quantity: 1, UnitPrice: 1}}
			}),
			kind: domain.ErrInvalid, field: "lines"},
		{name: "total not the sum", given: []domain.Event{registered}, cmd: purchase(func(c *customer.RecordPurchase) { c.Total = 1999 }),
			kind: domain.ErrInvalid, field: "total"},
		{name: "total ignores the discount", given: []domain.Event{registered},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.Discount = 100 }),
			kind: domain.ErrInvalid, field: "total"},
		{name: "discount above the sum", given: []domain.Event{registered},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.Discount, c.Total = 2001, -1 }),
			kind: domain.ErrInvalid, field: "discount"},
		{name: "negative discount", given: []domain.Event{registered},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.Discount, c.Total = -1, 2001 }),
			kind: domain.ErrInvalid, field: "discount"},
		{name: "unknown channel", given: []domain.Event{registered},
			cmd:  purchase(func(c *customer.RecordPurchase) { c.Channel = "shop" }),
			kind: domain.ErrInvalid, field: "channel"},
	})
}

func TestPurchaseTotals(t *testing.T) {
	e := customer.PurchaseRecorded{Lines: []customer.Line{
		{SKU: "a", Quantity: 2, UnitPrice: 1299, UnitCost: cost(700)},
		{SKU: "b", Quantity: 1, UnitPrice: 500, UnitCost: cost(100)},
	}}
	assert.Equal(t, int64(3098), e.Subtotal())
	c, known := e.Cost()
	assert.True(t, known)
	assert.Equal(t, int64(1500), c)
	e.Lines = append(e.Lines, customer.Line{SKU: "c", Quantity: 1, UnitPrice: 1})
	_, known = e.Cost()
	assert.False(t, known)
}

func TestSpreadLines(t *testing.T) {
	for _, tc := range []struct {
		quantity, total int64
		want            []customer.Line
	}{
		{2, 2000, []customer.Line{{SKU: "cd", Quantity: 2, UnitPrice: 1000}}},
		{2, 2933, []customer.Line{{SKU: "cd", Quantity: 1, UnitPrice: 1466}, {SKU: "cd", Quantity: 1, UnitPrice: 1467}}},
		{3, 1001, []customer.Line{{SKU: "cd", Quantity: 1, UnitPrice: 333}, {SKU: "cd", Quantity: 2, UnitPrice: 334}}},
		{1, 0, []customer.Line{{SKU: "cd", Quantity: 1, UnitPrice: 0}}},
	} {
		got := customer.SpreadLines("cd", "", tc.quantity, tc.total)
		assert.Equal(t, tc.want, got)
		assert.Equal(t, tc.total, customer.PurchaseRecorded{Lines: got}.Subtotal())
	}
}

func TestRefundPurchase(t *testing.T) {
	refund := func(amount int64) customer.RefundPurchase {
		return customer.RefundPurchase{CustomerID: id, PurchaseID: "P1", Amount: amount, Currency: "EUR", Reason: "broken"}
	}
	run(t, []decideCase{
		{name: "partial", given: []domain.Event{registered, purchased}, cmd: refund(500),
			want: []domain.Event{customer.PurchaseRefunded{PurchaseID: "P1", Amount: 500, Currency: "EUR", Reason: "broken"}}},
		{name: "the rest", given: []domain.Event{registered, purchased, customer.PurchaseRefunded{PurchaseID: "P1", Amount: 500, Currency: "EUR"}},
			cmd: refund(1500), want: []domain.Event{customer.PurchaseRefunded{PurchaseID: "P1", Amount: 1500, Currency: "EUR", Reason: "broken"}}},
		{name: "above what was paid", given: []domain.Event{registered, purchased}, cmd: refund(2001),
			kind: domain.ErrState, field: "amount"},
		{name: "above what is left, cumulatively", given: []domain.Event{registered, purchased,
			customer.PurchaseRefunded{PurchaseID: "P1", Amount: 1500, Currency: "EUR"}}, cmd: refund(501),
			kind: domain.ErrState, field: "amount"},
		{name: "unknown purchase", given: []domain.Event{registered}, cmd: refund(1),
			kind: domain.ErrState, field: "purchase_id"},
		{name: "other currency", given: []domain.Event{registered, purchased},
			cmd:  customer.RefundPurchase{CustomerID: id, PurchaseID: "P1", Amount: 1, Currency: "USD"},
			kind: domain.ErrState, field: "currency"},
		{name: "zero", given: []domain.Event{registered, purchased}, cmd: refund(0),
			kind: domain.ErrInvalid, field: "amount"},
		{name: "negative", given: []domain.Event{registered, purchased}, cmd: refund(-5),
			kind: domain.ErrInvalid, field: "amount"},
	})
}

func TestInvoicesAndPayments(t *testing.T) {
	due := date.New(2025, 3, 15)
	issue := func(f func(*customer.IssueInvoice)) customer.IssueInvoice {
		c := customer.IssueInvoice{CustomerID: id, InvoiceID: "I1", Amount: 5000, Currency: "EUR", DueDate: due}
		if f != nil {
			f(&c)
		}
		return c
	}
	pay := func(amount int64) customer.ReceivePayment {
		return customer.ReceivePayment{CustomerID: id, InvoiceID: "I1", Amount: amount, Currency: "EUR", Method: "card", Reference: "tx-1"}
	}
	paid := customer.PaymentReceived{InvoiceID: "I1", Amount: 3000, Currency: "EUR"}
	run(t, []decideCase{
		{name: "issue", given: []domain.Event{registered}, cmd: issue(nil), want: []domain.Event{invoiced}},
		{name: "issue for a purchase", given: []domain.Event{registered, purchased},
			cmd:  issue(func(c *customer.IssueInvoice) { c.PurchaseID, c.Amount = "P1", 2000 }),
			want: []domain.Event{customer.InvoiceIssued{InvoiceID: "I1", Amount: 2000, Currency: "EUR", DueDate: due, PurchaseID: "P1"}}},
		{name: "due today", given: []domain.Event{registered}, cmd: issue(func(c *customer.IssueInvoice) { c.DueDate = date.Of(now) }),
			want: []domain.Event{customer.InvoiceIssued{InvoiceID: "I1", Amount: 5000, Currency: "EUR", DueDate: date.Of(now)}}},
		{name: "due before issue", given: []domain.Event{registered}, cmd: issue(func(c *customer.IssueInvoice) { c.DueDate = date.Of(now).AddDays(-1) }),
			kind: domain.ErrInvalid, field: "due_date"},
		{name: "no due date", given: []domain.Event{registered}, cmd: issue(func(c *customer.IssueInvoice) { c.DueDate = date.Date{} }),
			kind: domain.ErrInvalid, field: "due_date"},
		{name: "zero amount", given: []domain.Event{registered}, cmd: issue(func(c *customer.IssueInvoice) { c.Amount = 0 }),
			kind: domain.ErrInvalid, field: "amount"},
		{name: "bad currency", given: []domain.Event{registered}, cmd: issue(func(c *customer.IssueInvoice) { c.Currency = "XAU" }),
			kind: domain.ErrInvalid, field: "currency"},
		{name: "invoice id reused", given: []domain.Event{registered, invoiced}, cmd: issue(nil),
			kind: domain.ErrState, field: "invoice_id"},
		{name: "unknown purchase", given: []domain.Event{registered}, cmd: issue(func(c *customer.IssueInvoice) { c.PurchaseID = "P1" }),
			kind: domain.ErrState, field: "purchase_id"},
		{name: "purchase in another currency", given: []domain.Event{registered, purchased},
			cmd:  issue(func(c *customer.IssueInvoice) { c.PurchaseID, c.Currency = "P1", "PLN" }),
			kind: domain.ErrState, field: "currency"},
		{name: "pay part", given: []domain.Event{registered, invoiced}, cmd: pay(3000),
			want: []domain.Event{customer.PaymentReceived{InvoiceID: "I1", Amount: 3000, Currency: "EUR", Method: "card", Reference: "tx-1"}}},
		{name: "pay the rest", given: []domain.Event{registered, invoiced, paid}, cmd: pay(2000),
			want: []domain.Event{customer.PaymentReceived{InvoiceID: "I1", Amount: 2000, Currency: "EUR", Method: "card", Reference: "tx-1"}}},
		{name: "pay above what is open", given: []domain.Event{registered, invoiced, paid}, cmd: pay(2001),
			kind: domain.ErrState, field: "amount"},
		{name: "pay an unknown invoice", given: []domain.Event{registered}, cmd: pay(1),
			kind: domain.ErrState, field: "invoice_id"},
		{name: "pay in another currency", given: []domain.Event{registered, invoiced},
			cmd:  customer.ReceivePayment{CustomerID: id, InvoiceID: "I1", Amount: 1, Currency: "GBP"},
			kind: domain.ErrState, field: "currency"},
		{name: "pay nothing", given: []domain.Event{registered, invoiced}, cmd: pay(0),
			kind: domain.ErrInvalid, field: "amount"},
	})
}

func TestSendPaymentReminder(t *testing.T) {
	remind := customer.SendPaymentReminder{CustomerID: id, InvoiceID: "I1", Channel: channel.Email}
	dayAfterDue := time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC)
	run(t, []decideCase{
		{name: "first reminder", given: []domain.Event{registered, invoiced, customer.PaymentReceived{InvoiceID: "I1", Amount: 1000, Currency: "EUR"}},
			at: dayAfterDue.Add(4 * 24 * time.Hour), cmd: remind,
			want: []domain.Event{customer.PaymentReminderSent{InvoiceID: "I1", Level: 1, DaysOverdue: 5, Open: 4000, Currency: "EUR", Channel: channel.Email}}},
		{name: "second reminder", at: dayAfterDue, cmd: customer.SendPaymentReminder{CustomerID: id, InvoiceID: "I1", Channel: channel.Letter},
			given: []domain.Event{registered, invoiced, customer.PaymentReminderSent{InvoiceID: "I1", Level: 1, DaysOverdue: 1,
				Open: 5000, Currency: "EUR", Channel: channel.Email}},
			want: []domain.Event{customer.PaymentReminderSent{InvoiceID: "I1", Level: 2, DaysOverdue: 1, Open: 5000, Currency: "EUR", Channel: channel.Letter}}},
		{name: "on the due date", given: []domain.Event{registered, invoiced}, at: dayAfterDue.Add(-time.Nanosecond), cmd: remind,
			kind: domain.ErrState, field: "invoice_id"},
		{name: "paid invoice", given: []domain.Event{registered, invoiced, customer.PaymentReceived{InvoiceID: "I1", Amount: 5000, Currency: "EUR"}},
			at: dayAfterDue, cmd: remind, kind: domain.ErrState, field: "invoice_id"},
		{name: "unknown invoice", given: []domain.Event{registered}, at: dayAfterDue, cmd: remind,
			kind: domain.ErrState, field: "invoice_id"},
		{name: "unknown channel", given: []domain.Event{registered, invoiced}, at: dayAfterDue,
			cmd:  customer.SendPaymentReminder{CustomerID: id, InvoiceID: "I1", Channel: "pigeon"},
			kind: domain.ErrInvalid, field: "channel"},
	})
}

func TestCommerceState(t *testing.T) {
	s := fold(registered, purchased, customer.PurchaseRefunded{PurchaseID: "P1", Amount: 300, Currency: "EUR"},
		customer.PurchaseRefunded{PurchaseID: "P1", Amount: 200, Currency: "EUR"},
		invoiced, customer.PaymentReceived{InvoiceID: "I1", Amount: 1000, Currency: "EUR"},
		customer.PaymentReminderSent{InvoiceID: "I1", Level: 1, Channel: channel.Email},
		customer.InvoiceIssued{InvoiceID: "I2", Amount: 100, Currency: "EUR", DueDate: date.New(2025, 3, 1)},
		customer.PaymentReceived{InvoiceID: "I2", Amount: 100, Currency: "EUR"})
	p := s.Purchases["P1"]
	assert.Equal(t, customer.Purchase{Currency: "EUR", Total: 2000, Refunded: 500, At: t0.Add(time.Hour)}, p)
	assert.Equal(t, int64(1500), p.Refundable())
	inv := s.Invoices["I1"]
	assert.Equal(t, int64(4000), inv.Open())
	assert.Equal(t, 1, inv.Reminders)
	assert.Equal(t, t0.Add(4*time.Hour), inv.IssuedAt)
	assert.Empty(t, s.OverdueInvoices(time.Date(2025, 3, 15, 23, 0, 0, 0, time.UTC)))
	assert.Equal(t, []string{"I1"}, s.OverdueInvoices(time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC)))
}
