package value_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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

// documentedQueriesRun runs the fenced queries of docs/readmodels.md
// whose info string is a key of stores ("sql value", "sqlite value") and
// requires rows from each.
func documentedQueriesRun(t *testing.T, stores map[string]readmodel.Querier) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "readmodels.md"))
	require.NoError(t, err)
	ran := 0
	for _, b := range fenced(string(doc)) {
		q, ok := stores[b.info]
		if !ok {
			continue
		}
		ran++
		rows, err := q.Query(t.Context(), b.text)
		require.NoError(t, err, "%s:\n%s", b.info, b.text)
		n := 0
		for rows.Next() {
			n++
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
		assert.Positive(t, n, "%s returns no rows:\n%s", b.info, b.text)
	}
	assert.Positive(t, ran, "no documented queries for %v", stores)
}

// block is a fenced code block of a markdown document.
type block struct{ info, text string }

func fenced(doc string) []block {
	var out []block
	var cur *block
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &block{info: strings.TrimPrefix(line, "```")}
		case cur != nil && line == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	return out
}
