package batch_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
	"github.com/ledgerline/ledgerline/projections/value/valuetest"
)

// execOnly hides a transaction's Copier: Copy falls back to INSERTs.
type execOnly struct{ readmodel.Tx }

// TestCopy copies rows of native values (uuid.UUID, time.Time, the zero
// time as NULL) with the store's Copier and, hiding it, with INSERTs: both
// store what Exec stores for the values' text.
func TestCopy(t *testing.T) {
	id := uuid.MustParse("0b477a08-f3d7-5a0c-a6fe-2142df632a60")
	at := time.Date(1997, 3, 4, 5, 6, 7, 891011000, time.FixedZone("", 3600))
	for name, wrap := range map[string]func(readmodel.Tx) readmodel.Tx{
		"copier":  func(tx readmodel.Tx) readmodel.Tx { return tx },
		"inserts": func(tx readmodel.Tx) readmodel.Tx { return execOnly{tx} },
	} {
		t.Run(name, func(t *testing.T) {
			store := valuetest.SQLite(t)
			require.NoError(t, store.Migrate(t.Context(), []string{`CREATE TABLE t (k BIGINT PRIMARY KEY, id TEXT, at TEXT)`}))
			rows := make([][]any, 3*batch.RowsPerStatement+5)
			for i := range rows {
				rows[i] = []any{int64(i), id, at}
			}
			rows[0][2] = time.Time{}
			err := store.Apply(t.Context(), "t", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
				return batch.Copy(ctx, wrap(tx), "t", []string{"k", "id", "at"}, rows)
			})
			require.NoError(t, err)
			r, err := store.Query(t.Context(), `SELECT count(*), count(at), min(id), max(at) FROM t`)
			require.NoError(t, err)
			defer r.Close()
			require.True(t, r.Next())
			var n, withAt int
			var gotID, gotAt string
			require.NoError(t, r.Scan(&n, &withAt, &gotID, &gotAt))
			assert.Equal(t, []any{len(rows), len(rows) - 1, id.String(), readmodel.Timestamp(at)}, []any{n, withAt, gotID, gotAt})
		})
	}
}

func TestCopyNothing(t *testing.T) {
	assert.NoError(t, batch.Copy(t.Context(), nil, "t", []string{"k"}, nil))
}
