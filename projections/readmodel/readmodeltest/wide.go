package readmodeltest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// The timeline projector inserts wideRows rows of wideColumns columns in
// one statement: 896 parameters.
const (
	wideRows    = 64
	wideColumns = 14
)

// wideTable has the timeline's column mix: keys, text, numbers, a UUID,
// times and nullable columns.
func wideTable(d readmodel.Dialect) []string {
	ty := readmodel.TypesOf(d)
	return []string{`CREATE TABLE IF NOT EXISTS rmt_wide (
		id BIGINT PRIMARY KEY, ref ` + ty.UUID + ` NOT NULL, t1 TEXT NOT NULL, n1 BIGINT NOT NULL,
		t2 TEXT NOT NULL, t3 TEXT, t4 TEXT, t5 TEXT NOT NULL, n2 BIGINT, t6 TEXT, t7 TEXT NOT NULL,
		flag ` + ty.Bool + ` NOT NULL, at1 ` + ty.Time + ` NOT NULL, at2 ` + ty.Time + ` NOT NULL
	)`}
}

// wideInsert returns an INSERT of n rmt_wide rows with $1 … $n*14.
func wideInsert(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO rmt_wide (id, ref, t1, n1, t2, t3, t4, t5, n2, t6, t7, flag, at1, at2) VALUES `)
	for r := range n {
		ph := make([]string, wideColumns)
		for c := range ph {
			ph[c] = fmt.Sprintf("$%d", r*wideColumns+c+1)
		}
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + strings.Join(ph, ", ") + ")")
	}
	return b.String()
}

// wideArgs returns the parameters of rows first … first+n-1: every third
// row has NULLs in its nullable columns.
func wideArgs(first, n int) []any {
	args := make([]any, 0, n*wideColumns)
	for id := first; id < first+n; id++ {
		var t3, n2 any
		if id%3 != 0 {
			t3, n2 = fmt.Sprintf("t3-%d", id), int64(-id)
		}
		when := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Minute)
		args = append(args, int64(id), wideRef(id), fmt.Sprintf("row %d", id), int64(id*100), "t2", t3, nil, "t5", n2, t3,
			"t7", id%2 == 0, readmodel.Timestamp(when), readmodel.Timestamp(when.Add(time.Second)))
	}
	return args
}

func wideRef(id int) string { return uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(id)}).String() }

// wideInsertCase applies a full 64-row statement (896 parameters) and a short
// one, then reads a row of each back.
func wideInsertCase(t *testing.T, s readmodel.Store) {
	migrated(t, s, wideTable(s.Dialect()))
	err := s.Apply(bounded(t), "p", 0, readmodel.Checkpoint{Position: 1}, func(ctx context.Context, tx readmodel.Tx) error {
		if err := tx.Exec(ctx, wideInsert(wideRows), wideArgs(1, wideRows)...); err != nil {
			return err
		}
		return tx.Exec(ctx, wideInsert(3), wideArgs(wideRows+1, 3)...)
	})
	require.NoError(t, err)
	assert.Equal(t, int64(wideRows+3), count(t, s, "rmt_wide"))
	for _, id := range []int{wideRows, wideRows + 2} {
		requireWideRow(t, s, id)
	}
}

func requireWideRow(t *testing.T, q readmodel.Querier, id int) {
	t.Helper()
	rows, err := q.Query(bounded(t), `SELECT ref, t1, n1, flag, at1 FROM rmt_wide WHERE id = $1`, int64(id))
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "wide row %d: %v", id, rows.Err())
	var ref, t1 string
	var n1 int64
	var flag bool
	var at1 readmodel.Time
	require.NoError(t, rows.Scan(&ref, &t1, &n1, &flag, &at1))
	want := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Minute)
	assert.Equal(t, []any{wideRef(id), fmt.Sprintf("row %d", id), int64(id * 100), id%2 == 0}, []any{ref, t1, n1, flag})
	assert.True(t, want.Equal(at1.Time), "at1 of row %d: %s", id, at1.Time)
}
