package date_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/date"
)

func TestParseAndFormat(t *testing.T) {
	d, err := date.Parse("2025-03-15")
	require.NoError(t, err)
	assert.Equal(t, date.New(2025, 3, 15), d)
	assert.Equal(t, "2025-03-15", d.String())
	for _, bad := range []string{"2025-3-15", "15.03.2025", "2025-02-30", ""} {
		_, err := date.Parse(bad)
		var v *domain.ValidationError
		require.ErrorAs(t, err, &v, bad)
		assert.Equal(t, "date", v.Field)
	}
}

func TestOfTakesTheUTCDay(t *testing.T) {
	warsaw := time.FixedZone("CET", 3600)
	assert.Equal(t, date.New(2025, 3, 14), date.Of(time.Date(2025, 3, 15, 0, 30, 0, 0, warsaw)))
}

func TestArithmetic(t *testing.T) {
	d := date.New(2025, 2, 28)
	assert.Equal(t, date.New(2025, 3, 1), d.AddDays(1))
	assert.Equal(t, 2, d.DaysUntil(date.New(2025, 3, 2)))
	assert.Equal(t, -28, d.DaysUntil(date.New(2025, 1, 31)))
	assert.True(t, d.Before(d.AddDays(1)))
	assert.True(t, d.AddDays(1).After(d))
	assert.Equal(t, 0, d.Compare(date.New(2025, 2, 28)))
	assert.Equal(t, time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC), d.Start())
}

func TestJSON(t *testing.T) {
	type doc struct {
		Due  date.Date `json:"due"`
		Born date.Date `json:"born,omitzero"`
	}
	b, err := json.Marshal(doc{Due: date.New(2025, 3, 15)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"due":"2025-03-15"}`, string(b))
	var back doc
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, doc{Due: date.New(2025, 3, 15)}, back)
	assert.True(t, back.Born.IsZero())
	require.Error(t, json.Unmarshal([]byte(`{"due":"soon"}`), &back))
	require.NoError(t, json.Unmarshal([]byte(`{"due":""}`), &back))
	assert.True(t, back.Due.IsZero())
}
