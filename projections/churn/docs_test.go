package churn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// documentedQueriesRun runs the fenced queries of docs/readmodels.md
// whose info string is a key of stores ("sql churn", "sqlite churn") and
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
