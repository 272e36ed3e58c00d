package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
)

func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind error
	}{
		{domain.Invalid("f", "r", 1), domain.ErrInvalid},
		{domain.Conflict("f", "r", 1), domain.ErrState},
		{domain.NotFound("f", "r", 1), domain.ErrNotFound},
		{domain.AlreadyExists("f", "r", 1), domain.ErrAlreadyExists},
	} {
		var v *domain.ValidationError
		require.ErrorAs(t, tc.err, &v)
		assert.Equal(t, "f", v.Field)
		assert.ErrorIs(t, tc.err, tc.kind)
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name     string
		value    string
		required bool
		ok       bool
	}{
		{"plain", "Anna", true, true},
		{"multi-line note", "a\nb\r\nc\td", true, true},
		{"blank", "  ", true, false},
		{"empty optional", "", false, true},
		{"too long", strings.Repeat("ą", 11), false, false},
		{"ten runes", strings.Repeat("ą", 10), false, true},
		{"control character", "a\x07", false, false},
		{"bad UTF-8", "a\xff", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := domain.LimitText
			if tc.required {
				check = domain.RequireText
			}
			err := check("note", tc.value, 10)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			var v *domain.ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, "note", v.Field)
		})
	}
}

func TestOneOfAndRequireID(t *testing.T) {
	type color string
	require.NoError(t, domain.OneOf("color", color("red"), []color{"red", "blue"}))
	err := domain.OneOf("color", color("green"), []color{"red", "blue"})
	assert.EqualError(t, err, `field "color": must be one of red, blue (got green)`)
	require.NoError(t, domain.RequireID("id", uuid.New()))
	assert.ErrorIs(t, domain.RequireID("id", uuid.Nil), domain.ErrInvalid)
}

func TestPrefix(t *testing.T) {
	err := domain.Prefix("lines[2]", domain.Invalid("quantity", "must be positive", 0))
	var v *domain.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "lines[2].quantity", v.Field)
	plain := errors.New("plain")
	assert.Equal(t, plain, domain.Prefix("x", plain))
	assert.NoError(t, domain.Prefix("x", nil))
}

func TestStreamNames(t *testing.T) {
	id := uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-0a1b2c3d4e5f")
	assert.Equal(t, "lead-0190c5a4-6b2e-7c3d-9e8f-0a1b2c3d4e5f", domain.StreamName("lead", id))
	got, err := domain.ParseStream("lead", domain.StreamName("lead", id))
	require.NoError(t, err)
	assert.Equal(t, id, got)
	for _, bad := range []string{"customer-" + id.String(), "lead-", "lead-" + strings.ToUpper(id.String()), "lead-" + uuid.Nil.String(),
		"lead-{" + id.String() + "}", "lead-urn:uuid:" + id.String(), "lead-" + strings.ReplaceAll(id.String(), "-", "")} {
		_, err := domain.ParseStream("lead", bad)
		assert.ErrorIs(t, err, domain.ErrInvalid, bad)
	}
}

type fact struct{}

func (fact) EventType() string { return "test.fact" }

func TestDecision(t *testing.T) {
	boom := domain.Invalid("f", "r", nil)
	assert.Equal(t, boom, domain.FirstError(nil, boom, domain.Conflict("g", "r", nil)))
	assert.NoError(t, domain.FirstError(nil, nil))
	events, err := domain.Decision(nil, fact{})
	require.NoError(t, err)
	assert.Equal(t, []domain.Event{fact{}}, events)
	events, err = domain.Decision(boom, fact{})
	assert.Nil(t, events)
	assert.Equal(t, boom, err)
}
