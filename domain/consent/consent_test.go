package consent_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
)

func TestParsePurpose(t *testing.T) {
	for _, p := range consent.Purposes() {
		got, err := consent.ParsePurpose(string(p))
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	_, err := consent.ParsePurpose("spam")
	var v *domain.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "purpose", v.Field)
}

func TestScope(t *testing.T) {
	require.NoError(t, consent.Scope{Channel: channel.SMS, Purpose: consent.Surveys}.Validate())
	err := consent.Scope{Channel: "x", Purpose: "y"}.Validate()
	assert.ErrorIs(t, err, domain.ErrInvalid)
	assert.ErrorContains(t, err, `field "channel"`)
	assert.ErrorContains(t, err, `field "purpose"`)
}
