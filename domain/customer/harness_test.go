package customer_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
)

var (
	// id is the customer under test; other is a second customer.
	id    = uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-0a1b2c3d4e5f")
	other = uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-ffffffffffff")
	// t0 is when the given history starts; now is the default command time.
	t0  = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	now = t0.Add(48 * time.Hour)
	cat = catalogue.New()
)

// Fixtures: a history is built from these.
var (
	registered = customer.Registered{CustomerID: id, Kind: customer.Person, Name: "Anna Nowak",
		Details: contact.Details{Email: "anna@example.com", Phone: "+48 600 100 200"}}
	registeredCompany = customer.Registered{CustomerID: id, Kind: customer.Company, Name: "Acme sp. z o.o."}
	forgotten         = customer.Forgotten{Reason: "GDPR request"}
	mergedInto        = customer.MergedInto{Into: other}
	purchased         = customer.PurchaseRecorded{PurchaseID: "P1", Currency: "EUR", Total: 2000,
		Lines: []customer.Line{{SKU: "cd-1", Quantity: 2, UnitPrice: 1000}}}
	invoiced = customer.InvoiceIssued{InvoiceID: "I1", Amount: 5000, Currency: "EUR", DueDate: date.New(2025, 3, 15)}
)

// decideCase is one row of a table: given a history, a command at a time
// decides events, or fails with an error of a kind naming a field.
type decideCase struct {
	name  string
	given []domain.Event
	at    time.Time // zero: now
	cmd   domain.Command[*customer.State]
	want  []domain.Event // nil and no kind: no events
	kind  error
	field string
}

// fold applies events in order, an hour apart from t0.
func fold(events ...domain.Event) *customer.State {
	s := &customer.State{}
	for i, e := range events {
		s.Apply(domain.Recorded{ID: uuid.New(), Stream: customer.Stream(id), Version: uint64(i + 1),
			At: t0.Add(time.Duration(i) * time.Hour), Event: e})
	}
	return s
}

func run(t *testing.T, cases []decideCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := fold(tc.given...)
			at := tc.at
			if at.IsZero() {
				at = now
			}
			got, err := tc.cmd.Decide(s, at)
			if tc.kind != nil {
				requireRule(t, err, tc.kind, tc.field)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			roundTrip(t, s, got)
		})
	}
}

// requireRule asserts that err is a *domain.ValidationError of kind
// naming field (the first of a joined error).
func requireRule(t *testing.T, err error, kind error, field string) {
	t.Helper()
	var v *domain.ValidationError
	require.ErrorAs(t, err, &v)
	assert.ErrorIs(t, err, kind)
	assert.Equal(t, field, v.Field, "error: %v", err)
}

// roundTrip encodes and decodes every decided event through the catalogue
// and applies it: decided events are catalogued, survive JSON and fold.
func roundTrip(t *testing.T, s *customer.State, events []domain.Event) {
	t.Helper()
	v := s.Version
	for _, e := range events {
		typ, version, data, err := cat.Encode(e)
		require.NoError(t, err)
		back, err := cat.Decode(typ, version, data)
		require.NoError(t, err)
		assert.Equal(t, e, back)
		v++
		s.Apply(domain.Recorded{Version: v, At: now, Event: back})
	}
	assert.Equal(t, v, s.Version)
}

// fields returns the field of every *domain.ValidationError joined in err.
func fields(err error) []string {
	var out []string
	if v, ok := err.(*domain.ValidationError); ok {
		return []string{v.Field}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, fields(e)...)
		}
	}
	return out
}

func TestStream(t *testing.T) {
	assert.Equal(t, "customer-0190c5a4-6b2e-7c3d-9e8f-0a1b2c3d4e5f", customer.Stream(id))
	got, err := customer.ParseStream(customer.Stream(id))
	require.NoError(t, err)
	assert.Equal(t, id, got)
	for _, bad := range []string{"lead-" + id.String(), "customer-", "customer-" + uuid.Nil.String(), "customer-{" + id.String() + "}"} {
		_, err := customer.ParseStream(bad)
		requireRule(t, err, domain.ErrInvalid, "stream")
	}
}

func TestFieldsOfJoinedErrors(t *testing.T) {
	err := errors.Join(domain.Invalid("a", "r", 1), errors.Join(domain.Invalid("b", "r", 2)))
	assert.Equal(t, []string{"a", "b"}, fields(err))
}
