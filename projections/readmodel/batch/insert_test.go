package batch_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
	"github.com/ledgerline/ledgerline/projections/value/valuetest"
)

func TestInsert(t *testing.T) {
	for _, rows := range []int{0, 1, batch.RowsPerStatement - 1, batch.RowsPerStatement, 3*batch.RowsPerStatement + 5} {
		store := valuetest.SQLite(t)
		require.NoError(t, store.Migrate(t.Context(), []string{`CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)`}))
		err := store.Apply(t.Context(), "t", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
			in := batch.NewInsert("t", []string{"k", "v"}, "ON CONFLICT (k) DO NOTHING")
			for i := range rows {
				if err := in.Add(ctx, tx, i, "x"); err != nil {
					return err
				}
				if err := in.Add(ctx, tx, i, "again"); err != nil { // ignored by the conflict clause
					return err
				}
			}
			return in.Flush(ctx, tx)
		})
		require.NoError(t, err, "%d rows", rows)
		r, err := store.Query(t.Context(), `SELECT count(*), count(CASE WHEN v = 'x' THEN 1 END) FROM t`)
		require.NoError(t, err)
		require.True(t, r.Next())
		var n, x int
		require.NoError(t, r.Scan(&n, &x))
		require.NoError(t, r.Close())
		assert.Equal(t, []int{rows, rows}, []int{n, x}, "%d rows", rows)
	}
}

func TestInsertRefusesAWrongRow(t *testing.T) {
	store := valuetest.SQLite(t)
	err := store.Apply(t.Context(), "t", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
		return batch.NewInsert("t", []string{"k", "v"}, "").Add(ctx, tx, 1)
	})
	assert.ErrorContains(t, err, "1 values for 2 columns")
}
