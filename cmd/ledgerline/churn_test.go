package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/churn"
)

// TestChurnOnDemo runs the churn commands on the demo population, whose
// customers complain, rate, withdraw consent and leave.
func TestChurnOnDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	out, code := cli(t, "--db", db, "demo", "--customers", "10", "--days", "120", "--seed", "3")
	require.Equal(t, exitOK, code, out)
	asOf := []string{"--as-of", "2024-06-01"}

	out, code = cli(t, "--db", db, "churn", "list")
	assert.Equal(t, exitUsage, code, "no --as-of: %s", out)
	assert.Contains(t, out, "--as-of is required")

	out, code = cli(t, append([]string{"--db", db, "churn", "list", "--min-score", "0", "--limit", "0", "--json"}, asOf...)...)
	require.Equal(t, exitOK, code, out)
	var list churnList
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	require.NotEmpty(t, list.Signals)
	assert.Equal(t, list.Customers, list.Matching)
	assert.Len(t, list.Signals, list.Customers)
	top := list.Signals[0]
	require.NotEmpty(t, top.Reasons)

	out, code = cli(t, append([]string{"--db", db, "churn", "show", top.SourceID, "--json"}, asOf...)...)
	require.Equal(t, exitOK, code, out)
	var shown churn.Signal
	require.NoError(t, json.Unmarshal([]byte(out), &shown))
	assert.Equal(t, top.Score, shown.Score)
	checkEventsInHistory(t, db, top.SourceID, shown)

	out, code = cli(t, append([]string{"--db", db, "churn", "show", top.SourceID}, asOf...)...)
	require.Equal(t, exitOK, code, out)
	for _, r := range shown.Reasons {
		assert.Contains(t, out, string(r.Code))
		for _, id := range r.EventIDs {
			assert.Contains(t, out, id.String())
		}
	}
	out, code = cli(t, append([]string{"--db", db, "churn", "list"}, asOf...)...)
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, top.SourceID)
}

// checkEventsInHistory checks that every event a reason names is in the
// customer's history by the as-of.
func checkEventsInHistory(t *testing.T, db, ref string, sig churn.Signal) {
	out, code := cli(t, "--db", db, "history", ref, "--as-of", sig.AsOf.Format("2006-01-02T15:04:05.999999Z07:00"), "--json")
	require.Equal(t, exitOK, code, out)
	var h struct {
		Entries []struct {
			EventID uuid.UUID `json:"event_id"`
		} `json:"entries"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &h))
	seen := map[uuid.UUID]bool{}
	for _, e := range h.Entries {
		seen[e.EventID] = true
	}
	for _, r := range sig.Reasons {
		require.NotEmpty(t, r.EventIDs, r.Code)
		for _, id := range r.EventIDs {
			assert.True(t, seen[id], "%s names %s, which is not in the history", r.Code, id)
		}
	}
}
