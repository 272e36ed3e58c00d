package demotest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/commands/demo"
	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
)

// Log returns every record of the smallest demo population (seed 5),
// appended through cat to an in-memory store whose clock stands still.
func Log(t testing.TB, cat *domain.Catalogue) []eventstore.Record {
	t.Helper()
	store := memory.New(func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) })
	_, err := demo.Generate(t.Context(), commands.NewHandler(store, cat), demo.Config{Seed: 5, Customers: demo.MinCustomers, Days: demo.MinDays})
	require.NoError(t, err)
	recs, err := store.ReadAll(t.Context(), eventstore.ReadAllOptions{Limit: 1 << 20})
	require.NoError(t, err)
	return recs
}
