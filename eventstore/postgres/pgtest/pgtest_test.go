package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithDatabase(t *testing.T) {
	tests := []struct{ server, want string }{
		{DefaultServer, "postgres://postgres@127.0.0.1:5432/ll_x?sslmode=disable"},
		{"postgresql://u:pw@db/app", "postgresql://u:pw@db/ll_x"},
		{"host=db user=u dbname=app", "host=db user=u dbname=app dbname=ll_x"},
	}
	for _, tt := range tests {
		t.Run(tt.server, func(t *testing.T) {
			got := withDatabase(tt.server, "ll_x")
			assert.Equal(t, tt.want, got)
			cfg, err := pgx.ParseConfig(got)
			require.NoError(t, err)
			assert.Equal(t, "ll_x", cfg.Database)
		})
	}
}

func TestRedactHidesPasswords(t *testing.T) {
	assert.Equal(t, "postgres://u:xxxxx@db/app", redact("postgres://u:secret@db/app"))
	assert.Equal(t, "db", redact("host=db user=u password=secret"))
}

// TestDatabaseIsCreatedAndDropped uses a database in a subtest and checks
// that it is gone once the subtest has ended.
func TestDatabaseIsCreatedAndDropped(t *testing.T) {
	var name string
	t.Run("use", func(t *testing.T) {
		conn, err := pgx.Connect(t.Context(), Database(t))
		require.NoError(t, err)
		defer conn.Close(context.Background())
		require.NoError(t, conn.QueryRow(t.Context(), "SELECT current_database()").Scan(&name))
		assert.Regexp(t, `^ll_test_[0-9a-f]{16}$`, name)
	})
	conn, err := pgx.Connect(t.Context(), Server())
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var exists bool
	require.NoError(t, conn.QueryRow(t.Context(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists))
	assert.False(t, exists, "database %s must be dropped", name)
}

// TestUnreachableServerSkips points the package at a closed port: the
// test is skipped (or, under CI=true, would fail).
func TestUnreachableServerSkips(t *testing.T) {
	t.Setenv("CI", "false")
	t.Setenv("LEDGERLINE_TEST_PG", "postgres://postgres@127.0.0.1:1/postgres?connect_timeout=2")
	var skipped bool
	t.Run("inner", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Database(t)
	})
	assert.True(t, skipped)
}
