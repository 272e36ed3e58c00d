package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/eventstore/storetest"
)

// TestConformance runs the port's suite. A database per case (create,
// migrate, drop) made the 85 cases take 21–25 s on the development
// machine; one database per run with a fresh schema per case
// (Config.Schema) takes 6–8 s, and isolates a store as well: its tables,
// migrations and notifications are all per schema.
func TestConformance(t *testing.T) {
	dsn := pgtest.Database(t)
	storetest.Run(t, func(t *testing.T) eventstore.Store {
		return open(t, dsn, postgres.Config{Schema: freshSchema(t, dsn)})
	})
}

// freshSchema returns a random schema name and drops the schema when t
// ends (after the store's own cleanup, which was registered later).
func freshSchema(t testing.TB, dsn string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "ll_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		require.NoError(t, err)
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		require.NoError(t, err)
	})
	return schema
}
