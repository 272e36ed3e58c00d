package contact_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/contact"
)

func TestValidate(t *testing.T) {
	for _, ok := range []contact.Details{
		{},
		{Email: "anna@example.com"},
		{Phone: "+48 600 100 200"},
		{Phone: "(030) 123-45.67"},
		{Address: contact.Address{City: "Kraków", Country: "PL"}},
	} {
		require.NoError(t, ok.Validate(), "%+v", ok)
	}
	for _, tc := range []struct {
		d     contact.Details
		field string
	}{
		{contact.Details{Email: "anna"}, "email"},
		{contact.Details{Email: "Anna <anna@example.com>"}, "email"},
		{contact.Details{Email: " anna@example.com"}, "email"},
		{contact.Details{Phone: "1234"}, "phone"},
		{contact.Details{Phone: "1234567890123456"}, "phone"},
		{contact.Details{Phone: "12+345678"}, "phone"},
		{contact.Details{Phone: "call 123456"}, "phone"},
		{contact.Details{Address: contact.Address{Country: "PL"}}, "address.city"},
		{contact.Details{Address: contact.Address{City: "X"}}, "address.country"},
	} {
		err := tc.d.Validate()
		var v *domain.ValidationError
		require.ErrorAs(t, err, &v, "%+v", tc.d)
		assert.Equal(t, tc.field, v.Field)
		assert.ErrorIs(t, err, domain.ErrInvalid)
	}
}
