package readmodeltest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

func rollbackCases() []contractCase {
	return []contractCase{
		{"ErrorFromFn", errorFromFnRollsBack},
		{"PanicInFn", panicInFnRollsBackAndPropagates},
		{"FailedStatement", failedStatementRollsBack},
	}
}

var errFn = errors.New("readmodeltest: fn failed")

// afterPanicTimeout bounds the Apply that follows a panic: a store that
// leaked the panicking transaction blocks it until then.
const afterPanicTimeout = 5 * time.Second

// errorFromFnRollsBack fails fn after it wrote a row, on a projection
// without a checkpoint and on one with: neither the row nor the
// checkpoint moves, fn's error comes back, and the store stays usable.
func errorFromFnRollsBack(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	fail := func(ctx context.Context, tx readmodel.Tx) error {
		if err := insertValue(valueRow{id: 99, label: ptr("rolled back")})(ctx, tx); err != nil {
			return err
		}
		return fmt.Errorf("project: %w", errFn)
	}
	for _, from := range []uint64{0, 5} {
		err := s.Apply(bounded(t), "p", from, readmodel.Checkpoint{Position: from + 5}, fail)
		require.ErrorIs(t, err, errFn, "fn's error must come back wrapped, not replaced")
		requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: from})
		assert.Equal(t, int64(0), count(t, s, "rmt_values"))
		require.NoError(t, s.Apply(bounded(t), "p", from, readmodel.Checkpoint{Position: from + 5}, nothing))
	}
}

// panicInFnRollsBackAndPropagates panics in fn after it wrote a row: the
// panic reaches Apply's caller with its value, nothing commits, and the
// next Apply (under a deadline, on a context the panicking call shared and
// that is still live) succeeds, so the transaction did not leak.
func panicInFnRollsBackAndPropagates(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	ctx := bounded(t)
	require.PanicsWithValue(t, "readmodeltest: boom", func() {
		_ = s.Apply(ctx, "p", 0, readmodel.Checkpoint{Position: 5}, func(ctx context.Context, tx readmodel.Tx) error {
			if err := insertValue(valueRow{id: 1})(ctx, tx); err != nil {
				return err
			}
			panic("readmodeltest: boom")
		})
	})
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{})
	assert.Equal(t, int64(0), count(t, s, "rmt_values"))
	next, cancel := context.WithTimeout(ctx, afterPanicTimeout)
	defer cancel()
	require.NoError(t, s.Apply(next, "p", 0, readmodel.Checkpoint{Position: 5}, insertValue(valueRow{id: 1})),
		"the store must be usable after a panic in fn: was its transaction rolled back?")
	assert.Equal(t, int64(1), count(t, s, "rmt_values"))
}

// failedStatementRollsBack makes a statement fail after a good one: the
// error names the failure and nothing commits.
func failedStatementRollsBack(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	err := s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 5}, func(ctx context.Context, tx readmodel.Tx) error {
		if err := insertValue(valueRow{id: 1})(ctx, tx); err != nil {
			return err
		}
		return insertValue(valueRow{id: 1})(ctx, tx)
	})
	require.Error(t, err, "a duplicate primary key must fail")
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{})
	assert.Equal(t, int64(0), count(t, s, "rmt_values"))
}
