package readmodeltest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// shadowCase is a case of the optional [readmodel.Shadower] capability.
type shadowCase func(t *testing.T, s readmodel.Store, sh readmodel.Shadower)

// onShadower runs the case if s is a Shadower, and skips it otherwise: a
// store without shadows cannot rebuild in place, which callers report.
func (c shadowCase) onShadower(t *testing.T, s readmodel.Store) {
	sh, ok := s.(readmodel.Shadower)
	if !ok {
		t.Skipf("%T does not implement the optional readmodel.Shadower", s)
	}
	c(t, s, sh)
}

func shadowCases() []contractCase {
	return []contractCase{
		{"IsEmptyAndApart", shadowCase(shadowIsEmptyAndApart).onShadower},
		{"SwapInstallsTablesAndCheckpoint", shadowCase(swapInstallsTablesAndCheckpoint).onShadower},
		{"SwapCreatesAMissingTable", shadowCase(swapCreatesAMissingTable).onShadower},
		{"SwapAtWrongCheckpointChangesNothing", shadowCase(swapAtWrongCheckpointChangesNothing).onShadower},
		{"SwapFnErrorChangesNothing", shadowCase(swapFnErrorChangesNothing).onShadower},
		{"ApplyRollsBack", shadowCase(shadowApplyRollsBack).onShadower},
		{"ReadersSeeOldOrNew", shadowCase(readersSeeOldOrNew).onShadower},
		{"NameIsExclusive", shadowCase(shadowNameIsExclusive).onShadower},
		{"CloseDropsIt", shadowCase(shadowCloseDropsIt).onShadower},
	}
}

// openShadow returns a shadow of s with rmt_values created in it, closed
// at cleanup.
func openShadow(t *testing.T, s readmodel.Store, sh readmodel.Shadower, name string) readmodel.Shadow {
	t.Helper()
	shadow, err := sh.Shadow(bounded(t), name)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, shadow.Close()) })
	migrated(t, shadow, valuesTable(s.Dialect()))
	return shadow
}

// insertValues returns an Apply fn that inserts rows ids from..to with
// label.
func insertValues(from, to int64, label string) func(context.Context, readmodel.Tx) error {
	return func(ctx context.Context, tx readmodel.Tx) error {
		for id := from; id <= to; id++ {
			if err := insertValue(valueRow{id: id, label: &label})(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	}
}

// liveWithRows gives s rmt_values rows 1..n and checkpoint n of "p".
func liveWithRows(t *testing.T, s readmodel.Store, n int64) {
	t.Helper()
	migrated(t, s, valuesTable(s.Dialect()), logTable())
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: uint64(n)}, insertValues(1, n, "old")))
}

func shadowIsEmptyAndApart(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	liveWithRows(t, s, 3)
	shadow := openShadow(t, s, sh, "rmt_apart")
	assert.Equal(t, int64(0), count(t, shadow, "rmt_values"), "a shadow starts empty")
	requireCheckpoint(t, shadow, "p", readmodel.Checkpoint{})
	require.NoError(t, shadow.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 9}, insertValues(1, 5, "new")))
	assert.Equal(t, int64(5), count(t, shadow, "rmt_values"))
	assert.Equal(t, int64(3), count(t, s, "rmt_values"), "the live table must not see the shadow's rows")
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 3})
	tables, err := shadow.Tables(bounded(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"rmt_values"}, tables)
}

func swapInstallsTablesAndCheckpoint(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	liveWithRows(t, s, 3)
	shadow := openShadow(t, s, sh, "rmt_swap")
	to := readmodel.Checkpoint{Position: 9, RecordedAt: at(2)}
	require.NoError(t, shadow.Apply(bounded(t), "p", 0, to, insertValues(1, 5, "new")))
	err := shadow.Swap(bounded(t), "p", 9, insertLog("p", 1))
	require.NoError(t, err)
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 9, RecordedAt: micro(at(2))})
	assert.Equal(t, int64(5), count(t, s, "rmt_values"))
	assert.Equal(t, []int64{1, 2, 3, 4, 5}, ids(t, s, `SELECT id FROM rmt_values WHERE label = $1 ORDER BY at, id`, "new"),
		"the swapped-in table answers queries on its index")
	assert.Equal(t, int64(1), count(t, s, "rmt_log"), "fn runs in the swap's transaction")
	require.ErrorIs(t, s.Apply(bounded(t), "p", 3, readmodel.Checkpoint{Position: 10}, nothing), readmodel.ErrCheckpointMoved,
		"a live runner still at the old checkpoint must reload")
	require.NoError(t, s.Apply(bounded(t), "p", 9, readmodel.Checkpoint{Position: 10}, insertValues(6, 6, "live")))
	requireNoShadows(t, sh)
}

func swapCreatesAMissingTable(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	shadow := openShadow(t, s, sh, "rmt_fresh")
	require.NoError(t, shadow.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 2}, insertValues(1, 2, "new")))
	require.NoError(t, shadow.Swap(bounded(t), "p", 2, nothing))
	assert.Equal(t, int64(2), count(t, s, "rmt_values"))
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 2})
}

func swapAtWrongCheckpointChangesNothing(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	liveWithRows(t, s, 3)
	shadow := openShadow(t, s, sh, "rmt_wrong")
	require.NoError(t, shadow.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 9}, insertValues(1, 5, "new")))
	ran := false
	err := shadow.Swap(bounded(t), "p", 8, func(context.Context, readmodel.Tx) error { ran = true; return nil })
	require.ErrorIs(t, err, readmodel.ErrCheckpointMoved)
	assert.False(t, ran, "fn must not run")
	assert.Equal(t, int64(3), count(t, s, "rmt_values"))
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 3})
}

func swapFnErrorChangesNothing(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	liveWithRows(t, s, 3)
	shadow := openShadow(t, s, sh, "rmt_fails")
	require.NoError(t, shadow.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 9}, insertValues(1, 5, "new")))
	err := shadow.Swap(bounded(t), "p", 9, func(context.Context, readmodel.Tx) error { return errFn })
	require.ErrorIs(t, err, errFn)
	assert.Equal(t, []int64{1, 2, 3}, ids(t, s, `SELECT id FROM rmt_values WHERE label = $1 ORDER BY id`, "old"))
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 3})
	require.NoError(t, s.Apply(bounded(t), "p", 3, readmodel.Checkpoint{Position: 4}, insertValues(4, 4, "old")),
		"the live store stays usable")
}

// shadowApplyRollsBack holds a shadow's Apply to the store contract: an
// error or a panic in fn leaves neither rows nor checkpoint, and what
// went before stays; the swap then installs exactly the committed rows.
func shadowApplyRollsBack(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	shadow := openShadow(t, s, sh, "rmt_rollback")
	require.NoError(t, shadow.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 2}, insertValues(1, 2, "kept")))
	fail := func(ctx context.Context, tx readmodel.Tx) error {
		if err := insertValues(3, 4, "lost")(ctx, tx); err != nil {
			return err
		}
		return errFn
	}
	require.ErrorIs(t, shadow.Apply(bounded(t), "p", 2, readmodel.Checkpoint{Position: 4}, fail), errFn)
	require.PanicsWithValue(t, "readmodeltest: boom", func() {
		_ = shadow.Apply(bounded(t), "p", 2, readmodel.Checkpoint{Position: 4}, func(ctx context.Context, tx readmodel.Tx) error {
			if err := insertValues(3, 3, "lost")(ctx, tx); err != nil {
				return err
			}
			panic("readmodeltest: boom")
		})
	})
	requireCheckpoint(t, shadow, "p", readmodel.Checkpoint{Position: 2})
	assert.Equal(t, int64(2), count(t, shadow, "rmt_values"))
	require.NoError(t, shadow.Apply(bounded(t), "p", 2, readmodel.Checkpoint{Position: 3}, insertValues(3, 3, "kept")))
	require.NoError(t, shadow.Swap(bounded(t), "p", 3, nothing))
	assert.Equal(t, []int64{1, 2, 3}, ids(t, s, `SELECT id FROM rmt_values WHERE label = $1 ORDER BY id`, "kept"))
	assert.Equal(t, int64(3), count(t, s, "rmt_values"))
}

// readersSeeOldOrNew counts the live table while a swap replaces 50 rows
// by 200: every count is one or the other, never a mix or an error.
func readersSeeOldOrNew(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	liveWithRows(t, s, 50)
	shadow := openShadow(t, s, sh, "rmt_readers")
	require.NoError(t, shadow.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 200}, insertValues(1, 200, "new")))
	var stop atomic.Bool
	var seen sync.Map
	var wg sync.WaitGroup
	var readErr error
	wg.Go(func() {
		for !stop.Load() {
			n, err := countRows(bounded(t), s, "rmt_values")
			if err != nil {
				readErr = err
				return
			}
			seen.Store(n, true)
		}
	})
	require.NoError(t, shadow.Swap(bounded(t), "p", 200, nothing))
	for n := int64(0); n != 200; {
		n = count(t, s, "rmt_values")
	}
	stop.Store(true)
	wg.Wait()
	require.NoError(t, readErr, "a reader must not fail during a swap")
	seen.Range(func(k, _ any) bool {
		assert.Contains(t, []int64{50, 200}, k.(int64), "a reader saw a mix")
		return true
	})
}

func shadowNameIsExclusive(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	first, err := sh.Shadow(bounded(t), "rmt_once")
	require.NoError(t, err)
	_, err = sh.Shadow(bounded(t), "rmt_once")
	require.ErrorIs(t, err, readmodel.ErrShadowBusy, "a held shadow must not be taken over")
	infos, err := sh.Shadows(bounded(t))
	require.NoError(t, err)
	require.Len(t, infos, 1)
	assert.Equal(t, "rmt_once", infos[0].Name)
	assert.True(t, infos[0].Busy, "a held shadow is busy")
	require.NoError(t, first.Close())
	second, err := sh.Shadow(bounded(t), "rmt_once")
	require.NoError(t, err, "a closed shadow's name is free")
	require.NoError(t, second.Close())
	_, err = sh.Shadow(bounded(t), "Not A Name")
	require.Error(t, err)
	assert.False(t, errors.Is(err, readmodel.ErrShadowBusy))
}

func shadowCloseDropsIt(t *testing.T, s readmodel.Store, sh readmodel.Shadower) {
	shadow, err := sh.Shadow(bounded(t), "rmt_dropped")
	require.NoError(t, err)
	migrated(t, shadow, valuesTable(s.Dialect()))
	require.NoError(t, shadow.Close())
	require.NoError(t, shadow.Close(), "Close is idempotent")
	requireNoShadows(t, sh)
	assert.False(t, exists(t, s, "rmt_values"), "a dropped shadow leaves nothing in the live store")
}

func requireNoShadows(t *testing.T, sh readmodel.Shadower) {
	t.Helper()
	infos, err := sh.Shadows(bounded(t))
	require.NoError(t, err)
	assert.Empty(t, infos)
}
