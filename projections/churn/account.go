package churn

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain/money"
)

// invoice is an issued invoice and the payments on it.
type invoice struct {
	issued   evidence
	paid     int64
	payments []evidence
}

// invoiceKey names an invoice: its customer (before any merge) and id.
type invoiceKey struct {
	customer uuid.UUID
	id       string
}

// overdueInvoices fires for invoices whose due date is before the as-of
// date and that were not fully paid by the as-of.
func overdueInvoices(e env, s *subject) *Reason {
	today := dayNumber(e.asOf)
	var ids []uuid.UUID
	var details []string
	for _, inv := range invoicesOf(s.evidence) {
		due := dayNumber(inv.issued.Due.Time)
		if due >= today || inv.paid >= inv.issued.Amount {
			continue
		}
		ids = append(append(ids, inv.issued.EventID), evidenceIDs(inv.payments)...)
		details = append(details, inv.describe(today-due))
	}
	if len(details) == 0 {
		return nil
	}
	return &Reason{Code: OverdueInvoices, Weight: round(1 - math.Pow(1-overdueWeight, float64(len(details)))),
		EventIDs: ids, Detail: strings.Join(details, "; ")}
}

// invoicesOf returns the invoices issued in evs with the payments on
// them, in the order they were issued.
func invoicesOf(evs []evidence) []*invoice {
	byKey := map[invoiceKey]*invoice{}
	var out []*invoice
	for _, ev := range evs {
		k := invoiceKey{ev.Customer, ev.InvoiceID}
		switch ev.Type {
		case "customer.invoice_issued":
			byKey[k] = &invoice{issued: ev}
			out = append(out, byKey[k])
		case "customer.payment_received":
			if inv := byKey[k]; inv != nil {
				inv.paid += ev.Amount
				inv.payments = append(inv.payments, ev)
			}
		}
	}
	return out
}

func (inv *invoice) describe(daysOverdue int64) string {
	i := inv.issued
	cur := money.Currency(i.Currency)
	return fmt.Sprintf("invoice %s of %s due %s is %d days overdue, %s open", i.InvoiceID, money.New(i.Amount, cur),
		i.Due.Format(time.DateOnly), daysOverdue, money.New(i.Amount-inv.paid, cur))
}

// consentWithdrawn fires for each purpose and channel whose latest
// consent event by the as-of is a withdrawal, however long ago: the
// consent is still withdrawn.
func consentWithdrawn(_ env, s *subject) *Reason {
	type scope struct{ purpose, channel string }
	last, order := map[scope]evidence{}, []scope{}
	for _, ev := range s.evidence {
		if ev.Type != "customer.consent_given" && ev.Type != "customer.consent_withdrawn" {
			continue
		}
		k := scope{ev.Purpose, ev.Channel}
		if _, seen := last[k]; !seen {
			order = append(order, k)
		}
		last[k] = ev
	}
	var found []evidence
	for _, k := range order {
		if ev := last[k]; ev.Type == "customer.consent_withdrawn" {
			found = append(found, ev)
		}
	}
	sortByTime(found, func(ev evidence) (time.Time, uuid.UUID) { return ev.At, ev.EventID })
	return counted(ConsentWithdrawn, consentWeight, found, func(int) string {
		return "withdrew consent to " + list(found, func(ev evidence) string {
			return ev.Purpose + " by " + ev.Channel + " on " + ev.At.UTC().Format(time.DateOnly)
		})
	})
}

// departure fires when the customer's latest departure or reactivation
// by the as-of is a declared departure.
func departure(_ env, s *subject) *Reason {
	var last *evidence
	for i, ev := range s.evidence {
		if ev.Type == "customer.departure_declared" || ev.Type == "customer.reactivated" {
			last = &s.evidence[i]
		}
	}
	if last == nil || last.Type != "customer.departure_declared" {
		return nil
	}
	return &Reason{Code: DepartureDeclared, Weight: departureWeight, EventIDs: []uuid.UUID{last.EventID},
		Detail: "declared departure on " + last.At.UTC().Format(time.DateOnly) + ", not reactivated since"}
}
