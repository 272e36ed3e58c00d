package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/value"
)

const cdnowSample = "../../../shared/data/cdnow/CDNOW_sample.txt"

// sampleHead writes the first n lines of the CDNOW sample (whose lines
// are sorted by customer) to a file and returns it with the number of
// customers in it.
func sampleHead(t *testing.T, n int) (string, int) {
	data, err := os.ReadFile(cdnowSample)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")[:n]
	customers := map[string]bool{}
	for _, l := range lines {
		customers[strings.Fields(l)[0]] = true
	}
	file := filepath.Join(t.TempDir(), "CDNOW_sample_head.txt")
	require.NoError(t, os.WriteFile(file, []byte(strings.Join(lines, "")), 0o600))
	return file, len(customers)
}

// TestValueOnCDNOWSample imports the first lines of the CDNOW 1/10
// sample (the whole of it would make this test slow, the package tests
// of projections/value check the full sample) and runs the value and
// segments commands on it.
func TestValueOnCDNOWSample(t *testing.T) {
	file, customers := sampleHead(t, 1200)
	db := filepath.Join(t.TempDir(), "cdnow.db")
	out, code := cli(t, "--db", db, "import", "cdnow", file, "--json")
	require.Equal(t, exitOK, code, out)
	run := func(t *testing.T, args ...string) string {
		t.Helper()
		out, code := cli(t, append([]string{"--db", db}, args...)...)
		require.Equal(t, exitOK, code, out)
		return out
	}
	t.Run("top", func(t *testing.T) {
		var v valuation
		require.NoError(t, json.Unmarshal([]byte(run(t, "value", "top", "--as-of", "1997-09-30", "--limit", "3", "--json")), &v))
		require.Len(t, v.Rows, 3)
		assert.False(t, v.AsOfDefault)
		for i, r := range v.Rows {
			assert.Equal(t, int64(i+1), r.Rank)
		}
		require.Len(t, v.Models, 1)
		assert.Equal(t, customers, v.Models[0].Customers)
		assert.Equal(t, run(t, "value", "top", "--as-of", "1997-09-30", "--limit", "3", "--json"),
			run(t, "value", "top", "--as-of", "1997-09-30", "--limit", "3", "--json"), "the same as-of, the same output")
	})
	t.Run("top without --as-of says which as-of it took", func(t *testing.T) {
		out := run(t, "value", "top", "--limit", "2")
		assert.Contains(t, out, "as of 1998-06-30T00:00:00Z: the last purchase in the data")
		assert.Contains(t, out, "SEGMENT")
	})
	t.Run("show", func(t *testing.T) {
		var shown struct {
			Rows []value.Row `json:"rows"`
		}
		require.NoError(t, json.Unmarshal([]byte(run(t, "value", "show", "00004", "--as-of", "1997-09-30", "--json")), &shown))
		require.Len(t, shown.Rows, 1)
		r := shown.Rows[0]
		assert.Equal(t, "00004", r.SourceID)
		assert.Equal(t, 2.0, r.X)
		assert.InDelta(t, 30.43, r.TX, 0.005)
		assert.InDelta(t, 38.86, r.T, 0.005)
		assert.Contains(t, run(t, "value", "show", "00004", "--as-of", "1997-09-30"), "x = 2, t_x = 30.43, T = 38.86 weeks")
	})
	t.Run("export", func(t *testing.T) { checkExport(t, db, customers) })
	t.Run("segments", func(t *testing.T) {
		var rep segmentReport
		require.NoError(t, json.Unmarshal([]byte(run(t, "segments", "--as-of", "1997-09-30", "--json")), &rep))
		require.Len(t, rep.Currencies, 1)
		c := rep.Currencies[0]
		assert.Equal(t, customers, c.Customers)
		customers, net := 0, int64(0)
		for _, s := range c.Segments {
			customers, net = customers+s.Customers, net+s.NetMinor
		}
		assert.Equal(t, c.Customers, customers)
		assert.Equal(t, c.NetMinor, net)
		assert.Len(t, c.Segments, len(value.Segments()))
		assert.Contains(t, run(t, "segments", "--as-of", "1997-09-30"), "Champions")
	})
	t.Run("bad input", func(t *testing.T) {
		for _, a := range [][]string{
			{"value", "export", "--csv", "--json"},
			{"value", "top", "--as-of", "30.9.1997"},
			{"value", "top", "--horizon", "0"},
			{"value", "show", "99999"},
		} {
			out, code := cli(t, append([]string{"--db", db}, a...)...)
			assert.Equal(t, exitUsage, code, "%v: %s", a, out)
		}
	})
}

func checkExport(t *testing.T, db string, customers int) {
	file := filepath.Join(t.TempDir(), "value.csv")
	out, code := cli(t, "--db", db, "value", "export", "--as-of", "1997-09-30", "--out", file)
	require.Equal(t, exitOK, code, out)
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 1+customers)
	header := records[0]
	assert.Equal(t, value.CSVHeader, header)
	col := func(name string) int { return slices.Index(header, name) }
	i := slices.IndexFunc(records, func(r []string) bool { return r[col("source_id")] == "00004" })
	require.Positive(t, i)
	assert.Equal(t, "2", records[i][col("x")])
	assert.True(t, strings.HasPrefix(records[i][col("t_x")], "30.428"), records[i][col("t_x")])
	assert.True(t, strings.HasPrefix(records[i][col("T")], "38.857"), records[i][col("T")])
}

func TestValueHelp(t *testing.T) {
	for _, a := range [][]string{{"value", "top"}, {"value", "show"}, {"value", "export"}, {"segments"},
		{"churn", "list"}, {"churn", "show"}} {
		out, code := cli(t, append(a, "--help")...)
		require.Equal(t, exitOK, code, out)
		assert.Contains(t, out, "Examples:", "%v", a)
		assert.Contains(t, out, "--as-of", "%v", a)
	}
}

func TestValueOnEmptyStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "empty.db")
	out, code := cli(t, "--db", db, "value", "top")
	assert.Equal(t, exitUsage, code, out)
	assert.Contains(t, out, "no purchases in the store")
}
