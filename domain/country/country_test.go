package country_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/country"
)

func TestParse(t *testing.T) {
	for _, code := range []string{"PL", "DE", "US", "AX", "SS", "XK", "ZW", "BQ", "CW", "SX"} {
		_, err := country.Parse(code)
		require.NoError(t, err, code)
	}
	for _, bad := range []string{"", "pl", "POL", "UK", "EU", "QQ", "P", "P "} {
		_, err := country.Parse(bad)
		var v *domain.ValidationError
		require.ErrorAs(t, err, &v, bad)
		assert.Equal(t, "country", v.Field)
	}
	assert.Equal(t, 250, country.Codes())
}
