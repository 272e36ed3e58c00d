package readmodeltest

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// DocumentedQueries runs every fenced query of the markdown file at doc
// (docs/readmodels.md) whose info string is a key of stores — e.g. "sql",
// "sqlite value" — against that store, and requires each to return rows
// and at least one to run, so that the analysts' documentation cannot
// drift from the tables silently.
func DocumentedQueries(t *testing.T, doc string, stores map[string]readmodel.Querier) {
	t.Helper()
	text, err := os.ReadFile(doc)
	require.NoError(t, err)
	ran := 0
	for _, b := range fenced(string(text)) {
		q, ok := stores[b.info]
		if !ok {
			continue
		}
		ran++
		assert.Positive(t, blockRows(t, q, b), "%s returns no rows:\n%s", b.info, b.text)
	}
	assert.Positive(t, ran, "no documented queries in %s for %v", doc, stores)
}

func blockRows(t *testing.T, q readmodel.Querier, b block) int {
	rows, err := q.Query(t.Context(), b.text)
	require.NoError(t, err, "%s:\n%s", b.info, b.text)
	n := 0
	for rows.Next() {
		n++
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	return n
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
