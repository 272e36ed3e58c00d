package customer

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/date"
	"github.com/ledgerline/ledgerline/domain/money"
)

// State is a customer as its events left it: what the commands' rules
// need, and what a reader asks of a customer as of a version or a time.
// The zero State is a customer not registered yet. It is not safe for
// concurrent use.
type State struct {
	// ID is the customer id, set by Registered.
	ID uuid.UUID
	// Version is the stream version of the last applied event.
	Version uint64
	// Registered is set by Registered; RegisteredAt is its business time.
	Registered   bool
	RegisteredAt time.Time
	// Kind, Name, TaxID, Contact and Profile are the identity; the
	// personal parts are cleared when the customer is forgotten.
	Kind    Kind
	Name    string
	TaxID   string
	Contact contact.Details
	Profile Profile
	// AccountManager is the employee in charge, "" if none.
	AccountManager string
	// Tags is the sorted set of tags.
	Tags []string
	// KeyAccount is set while the customer is flagged a key account.
	KeyAccount bool
	// MergedInto is the customer this duplicate was merged into.
	MergedInto uuid.UUID
	// MergedFrom lists the duplicates merged into this customer.
	MergedFrom []uuid.UUID
	// Forgotten is set once the customer is forgotten (GDPR erasure).
	Forgotten bool
	// Departing is set from DepartureDeclared until Reactivated.
	Departing bool
	// Consents holds each consent scope given and not withdrawn, with the
	// time it was given.
	Consents map[consent.Scope]time.Time
	// Purchases, Invoices, Discounts, Promotions and SupportCases are keyed
	// by their ids.
	Purchases    map[string]Purchase
	Invoices     map[string]Invoice
	Discounts    map[string]Discount
	Promotions   map[string]Promotion
	SupportCases map[string]SupportCase
	// Complaints, Surveys and Rewards hold when each id was recorded.
	Complaints map[string]time.Time
	Surveys    map[string]time.Time
	Rewards    map[string]time.Time
	// Campaigns holds the consent scope of each campaign that targeted the
	// customer.
	Campaigns map[uuid.UUID]consent.Scope
	// Outbound holds the time of every outbound contact (outbound
	// interactions and campaign targetings), for frequency caps.
	Outbound []time.Time
}

// Purchase is what the rules know of a recorded purchase.
type Purchase struct {
	Currency money.Currency
	// Total is what was paid; Refunded what was refunded so far.
	Total    int64
	Refunded int64
	At       time.Time
}

// Refundable returns what may still be refunded.
func (p Purchase) Refundable() int64 { return p.Total - p.Refunded }

// Invoice is what the rules know of an issued invoice.
type Invoice struct {
	Amount   int64
	Currency money.Currency
	Paid     int64
	Due      date.Date
	IssuedAt time.Time
	// Reminders counts the payment reminders sent.
	Reminders int
}

// Open returns what is left to pay.
func (i Invoice) Open() int64 { return i.Amount - i.Paid }

// OverdueAt reports whether the invoice is unpaid after its due date, as
// of t (the due date's day is taken in UTC).
func (i Invoice) OverdueAt(t time.Time) bool { return i.Open() > 0 && date.Of(t).After(i.Due) }

// Discount is a granted discount's current terms.
type Discount struct {
	Terms
	Revoked bool
}

// ActiveAt reports whether the discount applies at t.
func (d Discount) ActiveAt(t time.Time) bool {
	return !d.Revoked && !t.Before(d.ValidFrom) && (d.ValidUntil.IsZero() || t.Before(d.ValidUntil))
}

// Promotion is an offered promotion.
type Promotion struct {
	ValidUntil time.Time
	Redeemed   bool
}

// SupportCase is an opened support case.
type SupportCase struct {
	OpenedAt time.Time
	Resolved bool
}

var _ domain.State = (*State)(nil)

// applier is implemented by the events that change what State holds.
type applier interface {
	apply(s *State, at time.Time)
}

// Apply implements domain.State: it folds r into s and never fails;
// events that do not change the state only advance Version.
func (s *State) Apply(r domain.Recorded) {
	s.Version = r.Version
	if a, ok := r.Event.(applier); ok {
		a.apply(s, r.At)
	}
}

// HasConsent reports whether the customer has given consent for sc and
// not withdrawn it.
func (s *State) HasConsent(sc consent.Scope) bool {
	_, ok := s.Consents[sc]
	return ok
}

// OverdueInvoices returns the ids of the invoices overdue at t, for the
// payment-reminder policy.
func (s *State) OverdueInvoices(t time.Time) []string {
	var ids []string
	for id, inv := range s.Invoices {
		if inv.OverdueAt(t) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// live returns why no command but Register and Forget can work on s, or
// nil if they can.
func (s *State) live() error {
	switch {
	case !s.Registered:
		return domain.NotFound("customer_id", "customer is not registered", nil)
	case s.Forgotten:
		return domain.Conflict("customer_id", "customer is forgotten", s.ID)
	case s.MergedInto != uuid.Nil:
		return domain.Conflict("customer_id", "customer was merged into "+s.MergedInto.String(), s.ID)
	}
	return nil
}

// put sets m[k] = v, making m when it is nil.
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}
