package readmodeltest

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

func checkpointCases() []contractCase {
	return []contractCase{
		{"UnknownProjectionIsZero", unknownProjectionIsZero},
		{"ApplyCommitsRowsAndCheckpoint", applyCommitsRowsAndCheckpoint},
		{"RoundTrip", checkpointRoundTrip},
		{"WrongFromRunsNothing", wrongFromRunsNothing},
		{"ProjectionsAreIndependent", projectionsAreIndependent},
	}
}

func unknownProjectionIsZero(t *testing.T, s readmodel.Store) {
	cp, err := s.Checkpoint(bounded(t), "never-applied")
	require.NoError(t, err)
	assert.Equal(t, readmodel.Checkpoint{}, cp)
}

func applyCommitsRowsAndCheckpoint(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	to := readmodel.Checkpoint{Position: 7, RecordedAt: at(1)}
	require.NoError(t, s.Apply(bounded(t), "p", 0, to, insertValue(valueRow{id: 1, label: ptr("one")})))
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 7, RecordedAt: micro(at(1))})
	assert.Equal(t, int64(1), count(t, s, "rmt_values"))
}

// checkpointRoundTrip moves one projection through checkpoints that test
// the columns' range and precision: RecordedAt keeps microseconds in UTC,
// and the zero time stays zero.
func checkpointRoundTrip(t *testing.T, s readmodel.Store) {
	steps := []struct {
		name string
		to   readmodel.Checkpoint
		want readmodel.Checkpoint
	}{
		{"first", readmodel.Checkpoint{Position: 1, RecordedAt: at(1)}, readmodel.Checkpoint{Position: 1, RecordedAt: micro(at(1))}},
		{"utc", readmodel.Checkpoint{Position: 2, RecordedAt: time.Date(1997, 1, 1, 0, 0, 0, 999, time.UTC)},
			readmodel.Checkpoint{Position: 2, RecordedAt: time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"large position", readmodel.Checkpoint{Position: 1<<48 + 3, RecordedAt: at(2)}, readmodel.Checkpoint{Position: 1<<48 + 3, RecordedAt: micro(at(2))}},
		{"zero time", readmodel.Checkpoint{Position: math.MaxInt64}, readmodel.Checkpoint{Position: math.MaxInt64}},
	}
	var from uint64
	for _, st := range steps {
		require.NoError(t, s.Apply(bounded(t), "p", from, st.to, nothing), st.name)
		requireCheckpoint(t, s, "p", st.want)
		from = st.to.Position
	}
}

// wrongFromRunsNothing applies from positions other than the stored one,
// on a projection with and without a checkpoint.
func wrongFromRunsNothing(t *testing.T, s readmodel.Store) {
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 5, RecordedAt: at(1)}, nothing))
	tests := []struct {
		name       string
		projection string
		from       uint64
	}{
		{"behind", "p", 3}, {"ahead", "p", 9}, {"from zero", "p", 0}, {"unknown projection", "q", 5},
	}
	for _, tt := range tests {
		ran := false
		err := s.Apply(bounded(t), tt.projection, tt.from, readmodel.Checkpoint{Position: 10}, func(context.Context, readmodel.Tx) error {
			ran = true
			return nil
		})
		require.ErrorIs(t, err, readmodel.ErrCheckpointMoved, tt.name)
		assert.False(t, ran, "%s: fn must not run", tt.name)
	}
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 5, RecordedAt: micro(at(1))})
	requireCheckpoint(t, s, "q", readmodel.Checkpoint{})
}

func projectionsAreIndependent(t *testing.T, s readmodel.Store) {
	ctx := bounded(t)
	require.NoError(t, s.Apply(ctx, "a", 0, readmodel.Checkpoint{Position: 3}, nothing))
	require.NoError(t, s.Apply(ctx, "b", 0, readmodel.Checkpoint{Position: 8}, nothing))
	require.ErrorIs(t, s.Apply(ctx, "a", 8, readmodel.Checkpoint{Position: 9}, nothing), readmodel.ErrCheckpointMoved)
	require.NoError(t, s.Apply(ctx, "b", 8, readmodel.Checkpoint{Position: 9}, nothing))
	requireCheckpoint(t, s, "a", readmodel.Checkpoint{Position: 3})
	requireCheckpoint(t, s, "b", readmodel.Checkpoint{Position: 9})
}

// nothing is an Apply fn that writes no rows: it moves the checkpoint only.
func nothing(context.Context, readmodel.Tx) error { return nil }
