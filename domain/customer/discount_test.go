package customer_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/money"
)

func grant(terms customer.Terms) customer.GrantDiscount {
	return customer.GrantDiscount{CustomerID: id, DiscountID: "D1", Terms: terms, Reason: "loyal customer", GrantedBy: "e1"}
}

func TestGrantDiscount(t *testing.T) {
	until := now.Add(30 * 24 * time.Hour)
	granted := customer.DiscountGranted{DiscountID: "D1", Terms: customer.Terms{PercentBP: 1250, ValidFrom: now, ValidUntil: until},
		Reason: "loyal customer", GrantedBy: "e1"}
	run(t, []decideCase{
		{name: "percent from now", given: []domain.Event{registered}, cmd: grant(customer.Terms{PercentBP: 1250, ValidUntil: until}),
			want: []domain.Event{granted}},
		{name: "amount from a given time", given: []domain.Event{registered},
			cmd: grant(customer.Terms{Amount: 500, Currency: "PLN", ValidFrom: t0}),
			want: []domain.Event{customer.DiscountGranted{DiscountID: "D1", Terms: customer.Terms{Amount: 500, Currency: "PLN", ValidFrom: t0},
				Reason: "loyal customer", GrantedBy: "e1"}}},
		{name: "neither percent nor amount", given: []domain.Event{registered}, cmd: grant(customer.Terms{}),
			kind: domain.ErrInvalid, field: "percent_bp"},
		{name: "both percent and amount", given: []domain.Event{registered}, cmd: grant(customer.Terms{PercentBP: 100, Amount: 5, Currency: "EUR"}),
			kind: domain.ErrInvalid, field: "amount"},
		{name: "above 100 %", given: []domain.Event{registered}, cmd: grant(customer.Terms{PercentBP: 10001}),
			kind: domain.ErrInvalid, field: "percent_bp"},
		{name: "negative percent", given: []domain.Event{registered}, cmd: grant(customer.Terms{PercentBP: -5}),
			kind: domain.ErrInvalid, field: "percent_bp"},
		{name: "negative amount", given: []domain.Event{registered}, cmd: grant(customer.Terms{Amount: -5, Currency: "EUR"}),
			kind: domain.ErrInvalid, field: "amount"},
		{name: "amount without currency", given: []domain.Event{registered}, cmd: grant(customer.Terms{Amount: 5}),
			kind: domain.ErrInvalid, field: "currency"},
		{name: "ends before it starts", given: []domain.Event{registered}, cmd: grant(customer.Terms{PercentBP: 5, ValidUntil: now}),
			kind: domain.ErrInvalid, field: "valid_until"},
		{name: "no reason", given: []domain.Event{registered},
			cmd:  customer.GrantDiscount{CustomerID: id, DiscountID: "D1", Terms: customer.Terms{PercentBP: 5}, GrantedBy: "e1"},
			kind: domain.ErrInvalid, field: "reason"},
		{name: "no grantor", given: []domain.Event{registered},
			cmd:  customer.GrantDiscount{CustomerID: id, DiscountID: "D1", Terms: customer.Terms{PercentBP: 5}, Reason: "r"},
			kind: domain.ErrInvalid, field: "granted_by"},
		{name: "id reused", given: []domain.Event{registered, granted}, cmd: grant(customer.Terms{PercentBP: 5}),
			kind: domain.ErrState, field: "discount_id"},
	})
}

func TestChangeAndRevokeDiscount(t *testing.T) {
	granted := customer.DiscountGranted{DiscountID: "D1", Terms: customer.Terms{PercentBP: 1000, ValidFrom: t0}, Reason: "r", GrantedBy: "e1"}
	revoked := customer.DiscountRevoked{DiscountID: "D1", Reason: "abuse", RevokedBy: "e2"}
	change := func(terms customer.Terms) customer.ChangeDiscount {
		return customer.ChangeDiscount{CustomerID: id, DiscountID: "D1", Terms: terms, Reason: "negotiated", ChangedBy: "e2"}
	}
	run(t, []decideCase{
		{name: "change keeps the start", given: []domain.Event{registered, granted}, cmd: change(customer.Terms{PercentBP: 1500}),
			want: []domain.Event{customer.DiscountChanged{DiscountID: "D1", Terms: customer.Terms{PercentBP: 1500, ValidFrom: t0},
				Reason: "negotiated", ChangedBy: "e2"}}},
		{name: "change to an amount", given: []domain.Event{registered, granted}, cmd: change(customer.Terms{Amount: 700, Currency: "EUR", ValidFrom: now}),
			want: []domain.Event{customer.DiscountChanged{DiscountID: "D1", Terms: customer.Terms{Amount: 700, Currency: "EUR", ValidFrom: now},
				Reason: "negotiated", ChangedBy: "e2"}}},
		{name: "unchanged", given: []domain.Event{registered, granted}, cmd: change(customer.Terms{PercentBP: 1000})},
		{name: "change unknown", given: []domain.Event{registered}, cmd: change(customer.Terms{PercentBP: 1500}),
			kind: domain.ErrState, field: "discount_id"},
		{name: "change revoked", given: []domain.Event{registered, granted, revoked}, cmd: change(customer.Terms{PercentBP: 1500}),
			kind: domain.ErrState, field: "discount_id"},
		{name: "change to bad terms", given: []domain.Event{registered, granted}, cmd: change(customer.Terms{PercentBP: 20000}),
			kind: domain.ErrInvalid, field: "percent_bp"},
		{name: "revoke", given: []domain.Event{registered, granted},
			cmd:  customer.RevokeDiscount{CustomerID: id, DiscountID: "D1", Reason: "abuse", RevokedBy: "e2"},
			want: []domain.Event{revoked}},
		{name: "revoke twice", given: []domain.Event{registered, granted, revoked},
			cmd:  customer.RevokeDiscount{CustomerID: id, DiscountID: "D1", Reason: "abuse", RevokedBy: "e2"},
			kind: domain.ErrState, field: "discount_id"},
		{name: "revoke unknown", given: []domain.Event{registered},
			cmd:  customer.RevokeDiscount{CustomerID: id, DiscountID: "D1", Reason: "abuse", RevokedBy: "e2"},
			kind: domain.ErrState, field: "discount_id"},
		{name: "revoke without reason", given: []domain.Event{registered, granted},
			cmd:  customer.RevokeDiscount{CustomerID: id, DiscountID: "D1", RevokedBy: "e2"},
			kind: domain.ErrInvalid, field: "reason"},
	})
}

func TestDiscountState(t *testing.T) {
	s := fold(registered,
		customer.DiscountGranted{DiscountID: "D1", Terms: customer.Terms{PercentBP: 1000, ValidFrom: t0, ValidUntil: t0.Add(24 * time.Hour)}},
		customer.DiscountChanged{DiscountID: "D1", Terms: customer.Terms{PercentBP: 2000, ValidFrom: t0}},
		customer.DiscountGranted{DiscountID: "D2", Terms: customer.Terms{Amount: 100, Currency: "EUR", ValidFrom: t0}},
		customer.DiscountRevoked{DiscountID: "D2"})
	d1, d2 := s.Discounts["D1"], s.Discounts["D2"]
	assert.True(t, d1.ActiveAt(t0.Add(48*time.Hour)))
	assert.False(t, d1.ActiveAt(t0.Add(-time.Second)))
	assert.False(t, d2.ActiveAt(t0))
	limit, err := d1.Limit(money.New(1999, "EUR"))
	require.NoError(t, err)
	assert.Equal(t, money.New(400, "EUR"), limit)
	limit, err = d2.Limit(money.New(50, "EUR"))
	require.NoError(t, err)
	assert.Equal(t, money.New(50, "EUR"), limit)
}
