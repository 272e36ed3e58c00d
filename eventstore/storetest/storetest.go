package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Factory builds a fresh, isolated and empty store for one test case and
// registers its own cleanup with t.Cleanup. The suite may close the store
// itself; the cleanup's second Close must then succeed too.
type Factory func(t *testing.T) eventstore.Store

// contractCase is one guarantee of the contract, run as its own subtest on
// a store of its own.
type contractCase struct {
	name string
	run  func(t *testing.T, s eventstore.Store)
	// closes marks a case that closes the store; it verifies the hash
	// chains itself before closing, since a closed store cannot be read.
	closes bool
}

// group names a part of the contract and holds its cases.
type group struct {
	name  string
	cases []contractCase
}

// Run proves that the stores factory builds keep the whole contract of
// [eventstore.Store]: every guarantee is a named subtest ("Group/Case") on
// a fresh store, followed by [eventstore.Verify] of its hash chains.
func Run(t *testing.T, factory Factory) {
	groups := []group{
		{"Append", appendCases()},
		{"Atomicity", atomicityCases()},
		{"Idempotency", idempotencyCases()},
		{"RoundTrip", roundTripCases()},
		{"ReadStream", readStreamCases()},
		{"ReadAll", readAllCases()},
		{"Concurrency", concurrencyCases()},
		{"Subscription", subscriptionCases()},
		{"BatchAppender", batchCases()},
		{"HeadReader", headCases()},
		{"Close", closeCases()},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) { runCase(t, factory, c) })
			}
		})
	}
}

// runCase runs c on a fresh store and then checks that every hash chain
// the case left behind still holds.
func runCase(t *testing.T, factory Factory, c contractCase) {
	s := factory(t)
	require.NotNil(t, s, "factory returned a nil store")
	c.run(t, s)
	if !c.closes {
		requireChainsHold(t, s)
	}
}

// requireChainsHold runs [eventstore.Verify] over the whole store.
func requireChainsHold(t testing.TB, s eventstore.Store) {
	t.Helper()
	_, err := eventstore.Verify(t.Context(), s, nil)
	require.NoError(t, err, "hash chains must hold after the case")
}
