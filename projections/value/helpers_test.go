package value_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

func projectionEvents(recs []eventstore.Record) []projections.Event {
	return projections.Events(catalogue.New(), recs)
}

// dumpFacts returns every row of the fact tables, in an order both
// dialects agree on.
func dumpFacts(t *testing.T, q readmodel.Querier) [][]any {
	var out [][]any
	for _, tq := range []struct {
		query   string
		columns int
	}{
		{`SELECT customer_id, source, source_id, registered_at, merged_into, forgotten_at FROM value_customers ORDER BY customer_id`, 6},
		{`SELECT event_id, customer_id, purchase_id, occurred_at, currency, gross_minor, discount_minor, total_minor, cost_minor,
			discount_id FROM value_purchases ORDER BY event_id`, 10},
		{`SELECT event_id, customer_id, purchase_id, occurred_at, currency, amount_minor FROM value_refunds ORDER BY event_id`, 6},
	} {
		rows := dump(t, q, tq.query, tq.columns)
		require.NotEmpty(t, rows, tq.query)
		out = append(out, rows...)
	}
	return out
}

// dump returns the rows of a query of n columns, instants and booleans
// normalised to SQLite's forms.
func dump(t *testing.T, q readmodel.Querier, query string, n int, args ...any) [][]any {
	t.Helper()
	rows, err := q.Query(t.Context(), query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals, ptrs := make([]any, n), make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		for i, v := range vals {
			switch v := v.(type) {
			case time.Time:
				vals[i] = readmodel.Timestamp(v)
			case bool:
				vals[i] = map[bool]int64{false: 0, true: 1}[v]
			}
		}
		out = append(out, vals)
	}
	require.NoError(t, rows.Err())
	return out
}
