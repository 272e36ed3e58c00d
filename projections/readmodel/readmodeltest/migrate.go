package readmodeltest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

func migrateCases() []contractCase {
	return []contractCase{
		{"KnowsItsDialect", knowsItsDialect},
		{"IsIdempotent", migrateIsIdempotent},
		{"IsAtomic", migrateIsAtomic},
	}
}

func knowsItsDialect(t *testing.T, s readmodel.Store) {
	assert.Contains(t, []readmodel.Dialect{readmodel.SQLite, readmodel.PostgreSQL}, s.Dialect())
}

// migrateIsIdempotent runs the same DDL twice, and again over a row.
func migrateIsIdempotent(t *testing.T, s readmodel.Store) {
	ddl := valuesTable(s.Dialect())
	migrated(t, s, ddl, ddl)
	err := s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, insertValue(valueRow{id: 1, label: ptr("kept")}))
	require.NoError(t, err)
	require.NoError(t, s.Migrate(bounded(t), ddl), "a third run over a row")
	assert.Equal(t, int64(1), count(t, s, "rmt_values"))
}

// migrateIsAtomic proves that a failing statement leaves none of its batch
// applied, and that the batch then runs once repaired.
func migrateIsAtomic(t *testing.T, s readmodel.Store) {
	good := []string{
		`CREATE TABLE IF NOT EXISTS rmt_first (id BIGINT PRIMARY KEY)`,
		`CREATE TABLE IF NOT EXISTS rmt_second (id BIGINT PRIMARY KEY)`,
	}
	err := s.Migrate(bounded(t), append(good, `CREATE TABLE rmt_broken (`))
	require.Error(t, err, "a broken statement must fail the migration")
	for _, table := range []string{"rmt_first", "rmt_second", "rmt_broken"} {
		assert.False(t, exists(t, s, table), "%s must not exist after a failed migration", table)
	}
	require.NoError(t, s.Migrate(bounded(t), good))
	assert.True(t, exists(t, s, "rmt_first"))
	assert.True(t, exists(t, s, "rmt_second"))
}
