package kurrentdb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb/kurrenttest"
	"github.com/ledgerline/ledgerline/eventstore/storetest"
)

// open opens a store on url and closes it when the test ends.
func open(t testing.TB, url string, cfg kurrentdb.Config) *kurrentdb.Store {
	t.Helper()
	s, err := kurrentdb.Open(t.Context(), url, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestConformance runs the event-store contract against the in-process
// test server, a fresh one per case.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store {
		return open(t, kurrenttest.Start(t).URL(), kurrentdb.Config{})
	})
}
