package readmodeltest

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

func copierCases() []contractCase {
	return []contractCase{
		{"RoundTrip", copierRoundTrip},
		{"DuplicateKeyFails", copierDuplicateKeyFails},
	}
}

// copyRows returns an Apply fn that copies rows into rmt_values, skipping
// the test if the store's Tx is not a Copier.
func copyRows(t *testing.T, rows []valueRow) func(context.Context, readmodel.Tx) error {
	return func(ctx context.Context, tx readmodel.Tx) error {
		c, ok := tx.(readmodel.Copier)
		if !ok {
			t.Skipf("%T does not implement the optional readmodel.Copier", tx)
		}
		values := make([][]any, len(rows))
		for i, r := range rows {
			var ref any
			if r.ref != "" {
				ref = r.ref
			}
			values[i] = []any{r.id, orNil(r.label), orNil(r.amount), orNil(r.flag), readmodel.Timestamp(r.at), ref}
		}
		return c.CopyFrom(ctx, "rmt_values", []string{"id", "label", "amount", "flag", "at", "ref"}, values)
	}
}

// copierRoundTrip copies rows of every value kind, text that COPY's own
// format escapes included, and reads back what Exec would have stored.
func copierRoundTrip(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	rows := []valueRow{
		{id: 1, label: ptr("tab\there, new\nline, back\\slash, \\N, 'quote' \"dq\" Zoë"), amount: ptr(int64(4250)), flag: ptr(true), at: at(1), ref: uuid.NewString()},
		{id: 2, label: ptr(""), amount: ptr(int64(math.MaxInt64)), flag: ptr(false), at: time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)},
		{id: 3, amount: ptr(int64(math.MinInt64)), at: time.Date(2038, 1, 19, 3, 14, 8, 1000, time.UTC)},
		{id: 4},
	}
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, copyRows(t, rows)))
	for _, want := range rows {
		if !want.at.IsZero() {
			want.at = micro(want.at)
		}
		assert.Equal(t, want, readValue(t, s, want.id))
	}
}

// copierDuplicateKeyFails copies a row whose key exists: the transaction
// fails and nothing of it commits.
func copierDuplicateKeyFails(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, copyRows(t, []valueRow{{id: 1}})))
	err := s.Apply(bounded(t), "p", 1, readmodel.Checkpoint{Position: 2}, copyRows(t, []valueRow{{id: 2}, {id: 1}}))
	require.Error(t, err)
	assert.Equal(t, int64(1), count(t, s, "rmt_values"))
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 1})
}
