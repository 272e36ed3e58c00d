package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     postgres.Config
		wantErr string
	}{
		{"zero", postgres.Config{}, ""},
		{"schema", postgres.Config{Schema: "rm_2025", MaxConns: 4}, ""},
		{"upper case", postgres.Config{Schema: "ReadModels"}, `schema "ReadModels"`},
		{"quote", postgres.Config{Schema: `x"; DROP`}, "lowercase identifier"},
		{"negative conns", postgres.Config{MaxConns: -1}, "max conns -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestOpenUnreachableServerIsUnavailable(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://postgres@127.0.0.1:1/postgres?connect_timeout=2", postgres.Config{})
	require.ErrorIs(t, err, eventstore.ErrUnavailable)
}

// TestTablesAreTyped migrates the runtime's and the timeline's tables and
// checks what analysts see: real uuid, timestamptz, bigint and boolean
// columns in the default schema.
func TestTablesAreTyped(t *testing.T) {
	dsn := pgtest.Database(t)
	s := open(t, dsn, postgres.Config{})
	rt, err := projections.New(projections.Config{Events: memory.New(nil), ReadModels: s, Catalogue: catalogue.New(),
		Projectors: []projections.Projector{timeline.New()}})
	require.NoError(t, err)
	require.NoError(t, rt.Migrate(t.Context()))
	want := map[string]string{
		"projection_checkpoints.position": "bigint", "projection_checkpoints.recorded_at": "timestamp with time zone",
		"projection_poison.after_position": "bigint", "projection_poison.payload": "text",
		"timeline.event_id": "uuid", "timeline.customer_id": "uuid", "timeline.amount_minor": "bigint",
		"timeline.occurred_at": "timestamp with time zone", "customers.customer_id": "uuid",
		"customers.forgotten": "boolean", "customers.last_event_at": "timestamp with time zone",
	}
	got := columnTypes(t, s, postgres.DefaultSchema)
	for col, typ := range want {
		assert.Equal(t, typ, got[col], col)
	}
}

func columnTypes(t *testing.T, q readmodel.Querier, schema string) map[string]string {
	rows, err := q.Query(t.Context(), `SELECT table_name || '.' || column_name, data_type FROM information_schema.columns
		WHERE table_schema = $1`, schema)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var col, typ string
		require.NoError(t, rows.Scan(&col, &typ))
		out[col] = typ
	}
	require.NoError(t, rows.Err())
	return out
}

// TestSchemasAreIndependent opens two stores on one database.
func TestSchemasAreIndependent(t *testing.T) {
	dsn := pgtest.Database(t)
	a, b := open(t, dsn, postgres.Config{Schema: "a"}), open(t, dsn, postgres.Config{Schema: "b"})
	require.NoError(t, a.Migrate(t.Context(), []string{`CREATE TABLE only_a (id BIGINT)`}))
	require.NoError(t, a.Apply(t.Context(), "p", 0, readmodel.Checkpoint{Position: 4}, nothing))
	cp, err := b.Checkpoint(t.Context(), "p")
	require.NoError(t, err)
	assert.Equal(t, readmodel.Checkpoint{}, cp)
	_, err = b.Query(t.Context(), `SELECT id FROM only_a`)
	require.ErrorContains(t, err, "42P01", "b must not see a's table")
}

// TestOpenUsesAnExistingSchemaWithoutCreatePrivilege opens a store as a
// role that may not create schemas, on a schema made for it.
func TestOpenUsesAnExistingSchemaWithoutCreatePrivilege(t *testing.T) {
	role := "ll_rm_" + randomHex(t)
	admin := connect(t, pgtest.Server())
	_, err := admin.Exec(t.Context(), `CREATE ROLE `+role+` LOGIN`)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.Exec(context.Background(), `DROP ROLE IF EXISTS `+role) })
	dsn := pgtest.Database(t) // dropped before the role: cleanups run last first
	_, err = connect(t, dsn).Exec(t.Context(), `CREATE SCHEMA analytics AUTHORIZATION `+role)
	require.NoError(t, err)
	s := open(t, asUser(dsn, role), postgres.Config{Schema: "analytics"})
	require.NoError(t, s.Apply(t.Context(), "p", 0, readmodel.Checkpoint{Position: 1}, nothing))
	_, err = postgres.Open(t.Context(), asUser(dsn, role), postgres.Config{Schema: "elsewhere"})
	require.ErrorContains(t, err, "permission denied", "creating a schema needs the privilege")
}

// asUser returns dsn (a URL or keyword/value DSN) logging in as user.
func asUser(dsn, user string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		u.User = url.User(user)
		return u.String()
	}
	return dsn + " user=" + user
}

func connect(t *testing.T, dsn string) *pgx.Conn {
	conn, err := pgx.Connect(t.Context(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func randomHex(t *testing.T) string {
	b := make([]byte, 6)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// nothing is an Apply fn that moves the checkpoint only.
func nothing(context.Context, readmodel.Tx) error { return nil }
