package readmodeltest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// caseTimeout bounds every call a case makes, so that a deadlocked store
// fails the case instead of hanging the test binary.
const caseTimeout = 30 * time.Second

// bounded returns a context that ends after caseTimeout or with the test.
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), caseTimeout)
	t.Cleanup(cancel)
	return ctx
}

// valuesTable has a column of every type read models share; only id is
// NOT NULL.
func valuesTable(d readmodel.Dialect) []string {
	ty := readmodel.TypesOf(d)
	return []string{
		`CREATE TABLE IF NOT EXISTS rmt_values (
			id     BIGINT PRIMARY KEY,
			label  TEXT,
			amount BIGINT,
			flag   ` + ty.Bool + `,
			at     ` + ty.Time + `,
			ref    ` + ty.UUID + `
		)`,
		`CREATE INDEX IF NOT EXISTS rmt_values_at ON rmt_values (at, id)`,
	}
}

// logTable has no key, so that a batch applied twice shows as two rows.
func logTable() []string {
	return []string{`CREATE TABLE IF NOT EXISTS rmt_log (projection TEXT NOT NULL, writer BIGINT NOT NULL)`}
}

// migrated returns s with tables created by schemas.
func migrated(t *testing.T, s readmodel.Store, schemas ...[]string) readmodel.Store {
	t.Helper()
	for _, statements := range schemas {
		require.NoError(t, s.Migrate(bounded(t), statements))
	}
	return s
}

// insertLog returns an Apply fn that logs writer under projection.
func insertLog(projection string, writer int64) func(context.Context, readmodel.Tx) error {
	return func(ctx context.Context, tx readmodel.Tx) error {
		return tx.Exec(ctx, `INSERT INTO rmt_log (projection, writer) VALUES ($1, $2)`, projection, writer)
	}
}

// count returns the number of rows of table (the name is trusted).
func count(t *testing.T, q readmodel.Querier, table string) int64 {
	t.Helper()
	n, err := countRows(bounded(t), q, table)
	require.NoError(t, err)
	return n
}

func countRows(ctx context.Context, q readmodel.Querier, table string) (int64, error) {
	rows, err := q.Query(ctx, `SELECT COUNT(*) FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	if !rows.Next() {
		return 0, fmt.Errorf("count %s: no row: %w", table, rows.Err())
	}
	if err := rows.Scan(&n); err != nil {
		return 0, err
	}
	return n, rows.Err()
}

// exists reports whether table can be queried.
func exists(t *testing.T, q readmodel.Querier, table string) bool {
	_, err := countRows(bounded(t), q, table)
	return err == nil
}

// requireCheckpoint asserts projection's checkpoint, comparing instants
// with Equal and requiring UTC for a non-zero RecordedAt.
func requireCheckpoint(t *testing.T, s readmodel.Store, projection string, want readmodel.Checkpoint) {
	t.Helper()
	got, err := s.Checkpoint(bounded(t), projection)
	require.NoError(t, err)
	require.Equal(t, want.Position, got.Position, "checkpoint position of %s", projection)
	require.True(t, want.RecordedAt.Equal(got.RecordedAt), "checkpoint recorded_at of %s: want %s, got %s", projection, want.RecordedAt, got.RecordedAt)
	if !got.RecordedAt.IsZero() {
		require.Equal(t, time.UTC, got.RecordedAt.Location(), "recorded_at comes back in UTC")
	}
}

// at is a fixed instant with nanoseconds, in a zone other than UTC.
func at(day int) time.Time {
	return time.Date(2025, 3, day, 13, 4, 5, 123456789, time.FixedZone("CET", 3600))
}

// micro is what a store keeps of t: microseconds, in UTC.
func micro(t time.Time) time.Time { return t.Truncate(time.Microsecond).UTC() }
