package readmodeltest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
)

func copierCases() []contractCase {
	return []contractCase{
		{"RoundTrip", copierRoundTrip},
		{"ColumnsRoundTrip", copierColumnsRoundTrip},
		{"OtherKinds", copierOtherKinds},
		{"ManyRows", copierManyRows},
		{"DuplicateKeyFails", copierDuplicateKeyFails},
		{"ShortRowFails", copierShortRowFails},
	}
}

// copying returns an Apply fn that copies rows into table's columns,
// skipping the test if the store's Tx is not a Copier.
func copying(t *testing.T, table string, columns []string, rows [][]any) func(context.Context, readmodel.Tx) error {
	return func(ctx context.Context, tx readmodel.Tx) error {
		c, ok := tx.(readmodel.Copier)
		if !ok {
			t.Skipf("%T does not implement the optional readmodel.Copier", tx)
		}
		return c.CopyFrom(ctx, table, columns, rows)
	}
}

var valueColumns = []string{"id", "label", "amount", "flag", "at", "ref"}

// copyValues returns r as a Copier takes it: time.Time and uuid.UUID,
// where insertValue gives Exec their text.
func copyValues(r valueRow) []any {
	var ref any
	if r.ref != "" {
		ref = uuid.MustParse(r.ref)
	}
	return []any{r.id, orNil(r.label), orNil(r.amount), orNil(r.flag), r.at, ref}
}

// copyRows returns an Apply fn that copies rows into rmt_values.
func copyRows(t *testing.T, rows []valueRow) func(context.Context, readmodel.Tx) error {
	values := make([][]any, len(rows))
	for i, r := range rows {
		values[i] = copyValues(r)
	}
	return copying(t, "rmt_values", valueColumns, values)
}

// stored reads the columns of table's row id as the store keeps them:
// scanned into any, so SQLite's text and integers show as such.
func stored(t *testing.T, q readmodel.Querier, table string, columns []string, id int64) []any {
	t.Helper()
	rows, err := q.Query(bounded(t), `SELECT `+strings.Join(columns, ", ")+` FROM `+table+` WHERE id = $1`, id)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "%s row %d: %v", table, id, rows.Err())
	values := make([]any, len(columns))
	dest := make([]any, len(columns))
	for i := range values {
		dest[i] = &values[i]
	}
	require.NoError(t, rows.Scan(dest...))
	require.False(t, rows.Next(), "one row")
	require.NoError(t, rows.Err())
	return values
}

// sameAsExec asserts that table's rows id and id+offset hold equal values
// in columns, compared by the database (so as it compares and sorts
// them) and as scanned.
func sameAsExec(t *testing.T, q readmodel.Querier, table string, columns []string, id, offset int64) {
	t.Helper()
	where := ""
	for _, c := range columns {
		where += fmt.Sprintf(" AND c.%s IS NOT DISTINCT FROM e.%s", c, c)
	}
	got := ids(t, q, `SELECT c.id FROM `+table+` c JOIN `+table+` e ON e.id = c.id + $1 WHERE c.id = $2`+where, offset, id)
	assert.Equal(t, []int64{id}, got, "row %d copied and inserted compare equal in the database", id)
	assert.Equal(t, stored(t, q, table, columns, id+offset), stored(t, q, table, columns, id), "row %d copied and inserted scan the same", id)
}

// copierRoundTrip copies the rows of roundTripRows and reads back what
// Exec stores for the same rows.
func copierRoundTrip(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	rows := roundTripRows()
	const offset = 100
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, copyRows(t, rows)))
	insertAndCompare(t, s, rows, offset)
	// Copied and inserted instants sort together, and compare with a
	// Timestamp parameter as inserted ones do.
	sorted := ids(t, s, `SELECT id FROM rmt_values WHERE at IS NOT NULL ORDER BY at, id`)
	assert.Equal(t, []int64{4, 104, 2, 102, 1, 101, 5, 105, 3, 103}, sorted)
	before := ids(t, s, `SELECT id FROM rmt_values WHERE at < $1 ORDER BY id`, readmodel.Timestamp(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, []int64{4, 104}, before)
}

// copierColumnsRoundTrip copies the rows of RoundTrip held column by
// column in typed slices ([readmodel.Of]) through [batch.CopyColumns]:
// the store's [readmodel.ColumnCopier], or its Copier row by row. It
// reads back what Exec stores for the same rows.
func copierColumnsRoundTrip(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	rows := roundTripRows()
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
		return batch.CopyColumns(ctx, tx, "rmt_values", typedColumns(rows))
	}))
	insertAndCompare(t, s, rows, 100)
}

// typedColumns returns rows column by column, in typed slices.
func typedColumns(rows []valueRow) []readmodel.Column {
	ids, labels, amounts := readmodel.NewOf[int64](len(rows)), readmodel.NewOf[string](len(rows)), readmodel.NewOf[int64](len(rows))
	flags, ats, refs := readmodel.NewOf[bool](len(rows)), readmodel.NewOf[time.Time](len(rows)), readmodel.NewOf[uuid.UUID](len(rows))
	for _, r := range rows {
		ids.Add(r.id)
		labels.AddOrNull(deref(r.label), r.label == nil)
		amounts.AddOrNull(deref(r.amount), r.amount == nil)
		flags.AddOrNull(deref(r.flag), r.flag == nil)
		ats.Add(r.at)
		ref, err := uuid.Parse(r.ref)
		refs.AddOrNull(ref, err != nil)
	}
	return readmodel.Named(valueColumns, ids, labels, amounts, flags, ats, refs)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// insertAndCompare inserts rows again with Exec, their ids moved by
// offset, and asserts that the copied rows read back as rows and equal
// the inserted ones.
func insertAndCompare(t *testing.T, s readmodel.Store, rows []valueRow, offset int64) {
	t.Helper()
	require.NoError(t, s.Apply(bounded(t), "p", 1, readmodel.Checkpoint{Position: 2}, func(ctx context.Context, tx readmodel.Tx) error {
		for _, r := range rows {
			r.id += offset
			if err := insertValue(r)(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	}))
	for _, want := range rows {
		if !want.at.IsZero() {
			want.at = micro(want.at)
		}
		assert.Equal(t, want, readValue(t, s, want.id))
		sameAsExec(t, s, "rmt_values", valueColumns[1:], want.id, offset)
	}
}

// roundTripRows are rows of every column kind, instants in other zones
// and with nanoseconds among them, NULLs and edge values.
func roundTripRows() []valueRow {
	return []valueRow{
		{id: 1, label: ptr("tab\there, new\nline, back\\slash, \\N, 'quote' \"dq\" Zoë"), amount: ptr(int64(4250)), flag: ptr(true), at: at(1), ref: uuid.NewString()},
		{id: 2, label: ptr(""), amount: ptr(int64(math.MaxInt64)), flag: ptr(false), at: time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)},
		{id: 3, amount: ptr(int64(math.MinInt64)), at: time.Date(2038, 1, 19, 3, 14, 8, 1999, time.UTC)},
		{id: 4, at: time.Date(1969, 12, 31, 20, 59, 59, 999999500, time.FixedZone("UTC-3", -3*3600)), ref: uuid.Nil.String()},
		{id: 5, at: time.Date(2025, 3, 30, 2, 30, 0, 0, time.FixedZone("UTC+14", 14*3600))},
		{id: 6},
	}
}

// kindsTable has a column for each value kind rmt_values lacks.
func kindsTable(d readmodel.Dialect) []string {
	bytes := "BLOB"
	if d == readmodel.PostgreSQL {
		bytes = "BYTEA"
	}
	return []string{`CREATE TABLE IF NOT EXISTS rmt_kinds (
		id    BIGINT PRIMARY KEY,
		i     BIGINT,
		i32   BIGINT,
		i16   BIGINT,
		ratio DOUBLE PRECISION,
		data  ` + bytes + `
	)`}
}

// copierOtherKinds copies int, int32, int16, float64 and []byte values
// and reads back what Exec stores for int64, float64 and []byte.
func copierOtherKinds(t *testing.T, s readmodel.Store) {
	migrated(t, s, kindsTable(s.Dialect()))
	columns := []string{"id", "i", "i32", "i16", "ratio", "data"}
	copied := [][]any{
		{int64(1), 42, int32(math.MaxInt32), int16(math.MinInt16), 0.1, []byte{0, 1, '\\', '\t', 0xff}},
		{int64(2), math.MinInt64, int32(math.MinInt32), int16(math.MaxInt16), math.Inf(1), []byte{}},
		{int64(3), nil, nil, nil, nil, nil},
	}
	want := [][]any{
		{int64(42), int64(math.MaxInt32), int64(math.MinInt16), 0.1, []byte{0, 1, '\\', '\t', 0xff}},
		{int64(math.MinInt64), int64(math.MinInt32), int64(math.MaxInt16), math.Inf(1), []byte{}},
		{nil, nil, nil, nil, nil},
	}
	const offset = 100
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, copying(t, "rmt_kinds", columns, copied)))
	require.NoError(t, s.Apply(bounded(t), "p", 1, readmodel.Checkpoint{Position: 2}, func(ctx context.Context, tx readmodel.Tx) error {
		for i, w := range want {
			args := append([]any{int64(i + 1 + offset)}, w...)
			if err := tx.Exec(ctx, `INSERT INTO rmt_kinds (id, i, i32, i16, ratio, data) VALUES ($1, $2, $3, $4, $5, $6)`, args...); err != nil {
				return err
			}
		}
		return nil
	}))
	for i, w := range want {
		id := int64(i + 1)
		got := stored(t, s, "rmt_kinds", columns[1:], id)
		if b, ok := got[4].([]byte); ok && b == nil {
			got[4] = []byte{} // modernc.org/sqlite scans an empty BLOB as a nil []byte
		}
		assert.Equal(t, w, got, "row %d", id)
		sameAsExec(t, s, "rmt_kinds", columns[1:], id, offset)
	}
	assert.Equal(t, []int64{1, 2, 101, 102}, ids(t, s, `SELECT id FROM rmt_kinds WHERE data IS NOT NULL ORDER BY id`), "an empty []byte is not NULL")
}

// copierManyRows copies more rows than one statement of a store that
// batches INSERTs holds, with a remainder, and finds each row once.
func copierManyRows(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	const n = 1000
	rows := make([]valueRow, n)
	want := make([]int64, n)
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		rows[i] = valueRow{id: int64(i + 1), label: ptr(fmt.Sprint("row ", i+1)), amount: ptr(int64(i)), flag: ptr(i%2 == 0), at: base.Add(time.Duration(i) * time.Second), ref: uuid.NewString()}
		want[i] = int64(i + 1)
	}
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, copyRows(t, rows)))
	assert.Equal(t, int64(n), count(t, s, "rmt_values"))
	assert.Equal(t, want, ids(t, s, `SELECT id FROM rmt_values ORDER BY id`))
	for _, i := range []int{0, 63, 64, n - 1} {
		r := rows[i]
		r.at = micro(r.at)
		assert.Equal(t, r, readValue(t, s, r.id))
	}
}

// copierDuplicateKeyFails copies a row whose key exists: the transaction
// fails and nothing of it commits.
func copierDuplicateKeyFails(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, copyRows(t, []valueRow{{id: 1}})))
	err := s.Apply(bounded(t), "p", 1, readmodel.Checkpoint{Position: 2}, copyRows(t, []valueRow{{id: 2}, {id: 1}}))
	require.Error(t, err)
	assert.Equal(t, int64(1), count(t, s, "rmt_values"))
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: 1})
}

// copierShortRowFails copies a row with a value missing: CopyFrom fails,
// naming the table, and nothing commits.
func copierShortRowFails(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	rows := [][]any{copyValues(valueRow{id: 1}), copyValues(valueRow{id: 2})[:5]}
	err := s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, copying(t, "rmt_values", valueColumns, rows))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "copy into rmt_values")
	assert.Equal(t, int64(0), count(t, s, "rmt_values"))
	requireCheckpoint(t, s, "p", readmodel.Checkpoint{})
}
