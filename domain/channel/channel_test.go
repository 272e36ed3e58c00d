package channel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
)

func TestParse(t *testing.T) {
	for _, name := range []string{"phone", "email", "sms", "messenger", "chat", "web_form", "social", "meeting", "fax", "letter"} {
		c, err := channel.Parse(name)
		require.NoError(t, err)
		assert.Equal(t, channel.Channel(name), c)
	}
	assert.Len(t, channel.All(), 10)
	for _, bad := range []string{"", "Phone", "e-mail", "pigeon"} {
		_, err := channel.Parse(bad)
		assertInvalid(t, err, "channel")
	}
}

func TestParseDirection(t *testing.T) {
	for _, name := range []string{"inbound", "outbound"} {
		_, err := channel.ParseDirection(name)
		require.NoError(t, err)
	}
	_, err := channel.ParseDirection("both")
	assertInvalid(t, err, "direction")
}

func assertInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var v *domain.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, field, v.Field)
	assert.ErrorIs(t, err, domain.ErrInvalid)
}
