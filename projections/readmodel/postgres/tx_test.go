package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/postgres"
)

// TestApplySerialisesRunners holds one Apply inside its projector until a
// second Apply of the same projection is seen waiting on a lock; the
// second then fails with ErrCheckpointMoved once the first commits.
func TestApplySerialisesRunners(t *testing.T) {
	s := open(t, pgtest.Database(t), postgres.Config{})
	require.NoError(t, s.Apply(t.Context(), "p", 0, readmodel.Checkpoint{Position: 1}, nothing))
	var second error
	var wg sync.WaitGroup
	err := s.Apply(t.Context(), "p", 1, readmodel.Checkpoint{Position: 2}, func(ctx context.Context, tx readmodel.Tx) error {
		wg.Go(func() { second = s.Apply(t.Context(), "p", 1, readmodel.Checkpoint{Position: 3}, nothing) })
		waitForLockWaiter(t, s)
		return nil
	})
	require.NoError(t, err)
	wg.Wait()
	require.ErrorIs(t, second, readmodel.ErrCheckpointMoved)
	cp, err := s.Checkpoint(t.Context(), "p")
	require.NoError(t, err)
	assert.Equal(t, uint64(2), cp.Position)
}

// waitForLockWaiter polls until a session of the database waits on a
// lock.
func waitForLockWaiter(t *testing.T, q readmodel.Querier) {
	require.Eventually(t, func() bool {
		n, err := scalar[int64](t.Context(), q, `SELECT COUNT(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`)
		return err == nil && n > 0
	}, 10*time.Second, 5*time.Millisecond, "the second Apply must wait for the checkpoint row")
}

// scalar runs a query of one row and one column.
func scalar[T any](ctx context.Context, q readmodel.Querier, query string, args ...any) (T, error) {
	var v T
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	if !rows.Next() {
		return v, errors.Join(errors.New("no row"), rows.Err())
	}
	if err := rows.Scan(&v); err != nil {
		return v, err
	}
	return v, rows.Close()
}

// TestScanIntoAnyGivesDatabaseSQLValues scans each type into *any.
func TestScanIntoAnyGivesDatabaseSQLValues(t *testing.T) {
	s := open(t, pgtest.Database(t), postgres.Config{})
	at := time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)
	tests := []struct {
		expr string
		want any
	}{
		{"TRUE", true},
		{"42::bigint", int64(42)},
		{"'Zoë'::text", "Zoë"},
		{"'5f0c3a3e-8f9a-4a6c-9d43-1c1e3f1f5b6a'::uuid", "5f0c3a3e-8f9a-4a6c-9d43-1c1e3f1f5b6a"},
		{"'2025-03-01T12:00:00.123456Z'::timestamptz", at},
		{`'{"a": 1}'::jsonb`, []byte(`{"a": 1}`)},
		{"NULL::text", nil},
	}
	for _, tt := range tests {
		got, err := scalar[any](t.Context(), s, "SELECT "+tt.expr)
		require.NoError(t, err, tt.expr)
		if want, ok := tt.want.(time.Time); ok {
			assert.True(t, want.Equal(got.(time.Time)), "%s: %v", tt.expr, got)
			continue
		}
		assert.Equal(t, tt.want, got, tt.expr)
	}
}

// TestScanNullIntoTime scans NULL, and a Timestamp parameter read back as
// timestamptz, into readmodel.Time.
func TestScanNullIntoTime(t *testing.T) {
	s := open(t, pgtest.Database(t), postgres.Config{})
	got, err := scalar[readmodel.Time](t.Context(), s, "SELECT NULL::timestamptz")
	require.NoError(t, err)
	assert.True(t, got.IsZero())
	got, err = scalar[readmodel.Time](t.Context(), s, "SELECT $1::timestamptz", readmodel.Timestamp(time.Date(2025, 3, 1, 13, 0, 0, 0, time.FixedZone("CET", 3600))))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), got.Time)
}

// TestStatementsArePreparedOncePerConnection runs one INSERT in several
// transactions on a one-connection pool and counts its prepared
// statements.
func TestStatementsArePreparedOncePerConnection(t *testing.T) {
	s := open(t, pgtest.Database(t), postgres.Config{MaxConns: 1})
	require.NoError(t, s.Migrate(t.Context(), []string{`CREATE TABLE seen (n BIGINT)`}))
	const insert = `INSERT INTO seen (n) VALUES ($1)`
	var prepared int64
	for i := range 3 {
		err := s.Apply(t.Context(), "p", uint64(i), readmodel.Checkpoint{Position: uint64(i + 1)}, func(ctx context.Context, tx readmodel.Tx) error {
			for n := range 5 {
				if err := tx.Exec(ctx, insert, int64(n)); err != nil {
					return err
				}
			}
			var err error
			prepared, err = scalar[int64](ctx, tx, `SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = $1`, insert)
			return err
		})
		require.NoError(t, err)
		assert.Equal(t, int64(1), prepared, "transaction %d", i)
	}
}

// TestErrors checks what errors carry: the server's text and SQLSTATE,
// context errors, and ErrUnavailable for a connection lost mid-Apply,
// after which the store recovers.
func TestErrors(t *testing.T) {
	s := open(t, pgtest.Database(t), postgres.Config{})
	err := s.Apply(t.Context(), "p", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
		return tx.Exec(ctx, `INSERT INTO missing (n) VALUES ($1)`, 1)
	})
	require.ErrorContains(t, err, `relation "missing" does not exist (SQLSTATE 42P01)`)
	assert.NotErrorIs(t, err, eventstore.ErrUnavailable)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = s.Checkpoint(ctx, "p")
	require.ErrorIs(t, err, context.Canceled)

	err = s.Apply(t.Context(), "p", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
		pid, err := scalar[int64](ctx, tx, `SELECT pg_backend_pid()::bigint`)
		require.NoError(t, err)
		_, err = connect(t, pgtest.Server()).Exec(ctx, `SELECT pg_terminate_backend($1::int)`, pid)
		require.NoError(t, err)
		return tx.Exec(ctx, `SELECT 1`)
	})
	require.ErrorIs(t, err, eventstore.ErrUnavailable, "a lost connection is worth retrying")
	require.NoError(t, s.Apply(t.Context(), "p", 0, readmodel.Checkpoint{Position: 1}, nothing), "the pool replaces the lost connection")
}
