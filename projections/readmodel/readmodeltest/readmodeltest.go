package readmodeltest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Factory builds a fresh, isolated and empty store for one test case and
// registers its own cleanup with t.Cleanup. The suite may close the store
// itself; the cleanup's second Close must then succeed too.
type Factory func(t *testing.T) readmodel.Store

// contractCase is one guarantee of the contract, run as its own subtest on
// a store of its own.
type contractCase struct {
	name string
	run  func(t *testing.T, s readmodel.Store)
}

// group names a part of the contract and holds its cases.
type group struct {
	name  string
	cases []contractCase
}

// Run proves that the stores factory builds keep the whole contract of
// [readmodel.Store]: every guarantee is a named subtest ("Group/Case") on
// a fresh store.
func Run(t *testing.T, factory Factory) {
	groups := []group{
		{"Migrate", migrateCases()},
		{"Checkpoint", checkpointCases()},
		{"Rollback", rollbackCases()},
		{"Concurrency", concurrencyCases()},
		{"Values", valueCases()},
		{"Shadow", shadowCases()},
		{"Copier", copierCases()},
		{"Close", closeCases()},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					s := factory(t)
					require.NotNil(t, s, "factory returned a nil store")
					c.run(t, s)
				})
			}
		})
	}
}

func closeCases() []contractCase {
	return []contractCase{
		{"IsIdempotent", func(t *testing.T, s readmodel.Store) {
			require.NoError(t, s.Close())
			require.NoError(t, s.Close(), "a second Close must succeed")
		}},
	}
}
