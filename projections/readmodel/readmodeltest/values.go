package readmodeltest

import (
	"context"
	"database/sql"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

func valueCases() []contractCase {
	return []contractCase{
		{"RoundTrip", valuesRoundTrip},
		{"UUIDScansAsText", uuidScansAsText},
		{"TimestampsCompareAsInstants", timestampsCompareAsInstants},
		{"BooleanParameters", booleanParameters},
		{"WideInsert", wideInsertCase},
		{"TxReadsItsOwnWrites", txReadsItsOwnWrites},
		{"QuerySeesCommittedRowsOnly", querySeesCommittedRowsOnly},
	}
}

// valueRow is a row of rmt_values; nil pointers, the zero time and an
// empty ref are NULL.
type valueRow struct {
	id     int64
	label  *string
	amount *int64
	flag   *bool
	at     time.Time
	ref    string
}

func ptr[T any](v T) *T { return &v }

// orNil returns *p, or nil for a nil p: an untyped NULL for any driver.
func orNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// insertValue returns an Apply fn that inserts r.
func insertValue(r valueRow) func(context.Context, readmodel.Tx) error {
	return func(ctx context.Context, tx readmodel.Tx) error {
		var ref any
		if r.ref != "" {
			ref = r.ref
		}
		return tx.Exec(ctx, `INSERT INTO rmt_values (id, label, amount, flag, at, ref) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.id, orNil(r.label), orNil(r.amount), orNil(r.flag), readmodel.Timestamp(r.at), ref)
	}
}

// readValue reads row id back through the scan types projectors use.
func readValue(t *testing.T, q readmodel.Querier, id int64) valueRow {
	t.Helper()
	rows, err := q.Query(bounded(t), `SELECT label, amount, flag, at, ref FROM rmt_values WHERE id = $1`, id)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "row %d: %v", id, rows.Err())
	var label, ref sql.NullString
	var amount sql.NullInt64
	var flag sql.NullBool
	var when readmodel.Time
	require.NoError(t, rows.Scan(&label, &amount, &flag, &when, &ref))
	require.False(t, rows.Next(), "one row")
	require.NoError(t, rows.Err())
	got := valueRow{id: id, at: when.Time, ref: ref.String}
	if label.Valid {
		got.label = &label.String
	}
	if amount.Valid {
		got.amount = &amount.Int64
	}
	if flag.Valid {
		got.flag = &flag.Bool
	}
	return got
}

func valuesRoundTrip(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	tests := []struct {
		name string
		row  valueRow
	}{
		{"all set", valueRow{label: ptr("Zoë O'Brien; '$1' ?"), amount: ptr(int64(4250)), flag: ptr(true), at: at(1), ref: uuid.NewString()}},
		{"max int64, false", valueRow{label: ptr(""), amount: ptr(int64(math.MaxInt64)), flag: ptr(false), at: time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"min int64", valueRow{amount: ptr(int64(math.MinInt64)), at: time.Date(2038, 1, 19, 3, 14, 8, 1000, time.UTC)}},
		{"all NULL", valueRow{}},
	}
	for i, tt := range tests {
		tt.row.id = int64(i + 1)
		require.NoError(t, s.Apply(bounded(t), "p", uint64(i), readmodel.Checkpoint{Position: uint64(i + 1)}, insertValue(tt.row)), tt.name)
		got := readValue(t, s, tt.row.id)
		want := tt.row
		if !want.at.IsZero() {
			want.at = micro(want.at)
		}
		assert.Equal(t, want, got, tt.name)
	}
}

// uuidScansAsText scans a UUID column into a string and into an any, as
// database/sql drivers return it: the canonical lowercase text.
func uuidScansAsText(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	id := uuid.New()
	require.NoError(t, s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, insertValue(valueRow{id: 1, ref: id.String()})))
	rows, err := s.Query(bounded(t), `SELECT ref, ref FROM rmt_values WHERE ref = $1`, id.String())
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "row by uuid: %v", rows.Err())
	var text string
	var anything any
	require.NoError(t, rows.Scan(&text, &anything))
	assert.Equal(t, id.String(), text)
	assert.Equal(t, id.String(), anything)
}

// timestampsCompareAsInstants filters and orders by a timestamp column
// with a Timestamp parameter: instants given in other zones compare as
// instants.
func timestampsCompareAsInstants(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	times := []time.Time{
		base.Add(2 * time.Hour).In(time.FixedZone("UTC-5", -5*3600)), // 14:00Z, written 09:00-05
		base.In(time.FixedZone("UTC+9", 9*3600)),                     // 12:00Z, written 21:00+09
		base.Add(time.Microsecond),                                   // 12:00:00.000001Z
		base.Add(3 * time.Hour),                                      // 15:00Z
	}
	for i, when := range times {
		require.NoError(t, s.Apply(bounded(t), "p", uint64(i), readmodel.Checkpoint{Position: uint64(i + 1)},
			insertValue(valueRow{id: int64(i + 1), at: when})))
	}
	got := ids(t, s, `SELECT id FROM rmt_values WHERE at <= $1 ORDER BY at, id`, readmodel.Timestamp(base.Add(2*time.Hour)))
	assert.Equal(t, []int64{2, 3, 1}, got)
}

// booleanParameters filters by a boolean column with Go bool parameters.
func booleanParameters(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	for i, flag := range []bool{true, false, true} {
		require.NoError(t, s.Apply(bounded(t), "p", uint64(i), readmodel.Checkpoint{Position: uint64(i + 1)},
			insertValue(valueRow{id: int64(i + 1), flag: &flag})))
	}
	assert.Equal(t, []int64{1, 3}, ids(t, s, `SELECT id FROM rmt_values WHERE flag = $1 ORDER BY id`, true))
	assert.Equal(t, []int64{2}, ids(t, s, `SELECT id FROM rmt_values WHERE flag = $1 ORDER BY id`, false))
}

// ids runs a query of one BIGINT column and returns its values.
func ids(t *testing.T, q readmodel.Querier, query string, args ...any) []int64 {
	t.Helper()
	rows, err := q.Query(bounded(t), query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		out = append(out, id)
	}
	require.NoError(t, rows.Err())
	return out
}

// txReadsItsOwnWrites queries inside the transaction that wrote.
func txReadsItsOwnWrites(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	var inside []int64
	err := s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
		if err := insertValue(valueRow{id: 7})(ctx, tx); err != nil {
			return err
		}
		inside = ids(t, tx, `SELECT id FROM rmt_values WHERE id >= $1`, int64(0))
		return tx.Exec(ctx, `UPDATE rmt_values SET amount = $2 WHERE id = $1`, int64(7), int64(70))
	})
	require.NoError(t, err)
	assert.Equal(t, []int64{7}, inside)
	assert.Equal(t, ptr(int64(70)), readValue(t, s, 7).amount)
}

// querySeesCommittedRowsOnly queries the store while a transaction holds
// an uncommitted row, and again after it commits.
func querySeesCommittedRowsOnly(t *testing.T, s readmodel.Store) {
	migrated(t, s, valuesTable(s.Dialect()))
	var during int64 = -1
	err := s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
		if err := insertValue(valueRow{id: 1})(ctx, tx); err != nil {
			return err
		}
		during = count(t, s, "rmt_values")
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, int64(0), during, "an uncommitted row must not be visible outside its transaction")
	assert.Equal(t, int64(1), count(t, s, "rmt_values"))
}
