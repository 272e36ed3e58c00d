package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/postgres"
)

// TestSwapKeepsGrants swaps in a table that replaces one an analyst may
// read: the analyst may read the new one too, although the schema's
// default privileges never applied to a table created elsewhere.
func TestSwapKeepsGrants(t *testing.T) {
	role := "ll_analyst_" + randomHex(t)
	admin := connect(t, pgtest.Server())
	_, err := admin.Exec(t.Context(), `CREATE ROLE `+role)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.Exec(context.Background(), `DROP ROLE IF EXISTS `+role) })
	dsn := pgtest.Database(t)
	s := open(t, dsn, postgres.Config{})
	ddl := []string{`CREATE TABLE IF NOT EXISTS facts (id BIGINT PRIMARY KEY)`}
	require.NoError(t, s.Migrate(t.Context(), append(ddl, `GRANT SELECT ON facts TO `+role)))

	sh, err := s.Shadow(t.Context(), "rebuild_facts")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, sh.Close()) })
	require.NoError(t, sh.Migrate(t.Context(), ddl))
	require.NoError(t, sh.Apply(t.Context(), "facts", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
		return tx.Exec(ctx, `INSERT INTO facts (id) VALUES (1)`)
	}))
	require.NoError(t, sh.Swap(t.Context(), "facts", 1, nothing))

	var allowed bool
	require.NoError(t, connect(t, dsn).QueryRow(t.Context(), `SELECT has_table_privilege($1, 'readmodels.facts', 'SELECT')`, role).Scan(&allowed))
	assert.True(t, allowed, "the analyst's SELECT must survive the swap")
}
