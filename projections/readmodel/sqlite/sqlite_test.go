package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/readmodeltest"
)

// TestConformanceOpen runs the suite on stores that own their pools.
func TestConformanceOpen(t *testing.T) {
	readmodeltest.Run(t, func(t *testing.T) readmodel.Store {
		s, err := Open(t.Context(), filepath.Join(t.TempDir(), "rm.db"))
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		return s
	})
}

// TestConformanceShared runs the suite on stores over pools the test
// opens itself, as the embedded event store does: a single-connection
// writer with immediate transactions and a query-only reader, both with
// the DSN rules of Open. Close must leave them open.
func TestConformanceShared(t *testing.T) {
	readmodeltest.Run(t, func(t *testing.T) readmodel.Store {
		write, read := pools(t, filepath.Join(t.TempDir(), "events.db"))
		s, err := Shared(t.Context(), write, read)
		require.NoError(t, err)
		t.Cleanup(func() {
			require.NoError(t, s.Close())
			require.NoError(t, write.PingContext(context.Background()), "Close must leave a shared writer open")
			require.NoError(t, read.PingContext(context.Background()), "Close must leave a shared reader open")
		})
		return s
	})
}

func pools(t *testing.T, path string) (write, read *sql.DB) {
	write, err := sql.Open("sqlite", dsn(path, false))
	require.NoError(t, err)
	write.SetMaxOpenConns(1)
	read, err = sql.Open("sqlite", dsn(path, true))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, errors.Join(read.Close(), write.Close())) })
	return write, read
}
