package snapshot_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/value/snapshot"
	"github.com/ledgerline/ledgerline/projections/value/valuetest"
)

// advance moves the projection's checkpoint by one, as a projector
// applying an event would.
func advance(t *testing.T, store readmodel.Store) {
	cp, err := store.Checkpoint(t.Context(), "p")
	require.NoError(t, err)
	require.NoError(t, store.Apply(t.Context(), "p", cp.Position, readmodel.Checkpoint{Position: cp.Position + 1},
		func(context.Context, readmodel.Tx) error { return nil }))
}

func TestReplace(t *testing.T) {
	for _, tc := range []struct {
		name string
		// moves is how many evaluations see the checkpoint move under
		// them.
		moves         int
		wantEvaluated int
		wantPosition  uint64
	}{
		{"quiet", 0, 1, 0},
		{"moved once", 1, 2, 1},
		{"moved on every attempt outside the transaction", snapshot.Attempts, snapshot.Attempts, snapshot.Attempts - 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := valuetest.SQLite(t)
			evaluated, written := 0, uint64(99)
			evaluate := func(ctx context.Context, q readmodel.Querier) error {
				evaluated++
				if _, inTx := q.(readmodel.Tx); evaluated <= tc.moves && !inTx {
					advance(t, store)
				}
				return nil
			}
			write := func(_ context.Context, _ readmodel.Tx, position uint64) error {
				written = position
				return nil
			}
			require.NoError(t, snapshot.Replace(t.Context(), store, "p", evaluate, write))
			assert.Equal(t, tc.wantEvaluated, evaluated)
			assert.Equal(t, tc.wantPosition, written)
		})
	}
}

func TestReplaceReportsFailures(t *testing.T) {
	store := valuetest.SQLite(t)
	boom := errors.New("boom")
	err := snapshot.Replace(t.Context(), store, "p", func(context.Context, readmodel.Querier) error { return boom },
		func(context.Context, readmodel.Tx, uint64) error { return nil })
	assert.ErrorIs(t, err, boom)
	err = snapshot.Replace(t.Context(), store, "p", func(context.Context, readmodel.Querier) error { return nil },
		func(context.Context, readmodel.Tx, uint64) error { return boom })
	assert.ErrorIs(t, err, boom)
}
