package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore/postgres"
)

// open opens a store on dsn and closes it when tb ends.
func open(tb testing.TB, dsn string, cfg postgres.Config) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(tb.Context(), dsn, cfg)
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = s.Close() })
	return s
}
