package tests

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/cdnow/cdnowtest"
)

const (
	masterFile = "../../shared/data/cdnow/CDNOW_master.txt"
	sampleFile = "../../shared/data/cdnow/CDNOW_sample.txt"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// cli builds bin/ledgerline once per test run and returns its path.
func cli(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ledgerline-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "ledgerline")
		out, err := exec.Command("go", "build", "-o", binary, "../cmd/ledgerline").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	require.NoError(t, buildErr, "build ledgerline")
	return binary
}

// result is a finished CLI run.
type result struct {
	stdout, stderr string
	code           int
}

func run(t *testing.T, db string, args ...string) result {
	t.Helper()
	cmd := exec.Command(cli(t), append([]string{"--db", db}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

func runJSON(t *testing.T, db string, v any, args ...string) {
	t.Helper()
	r := run(t, db, append(args, "--json")...)
	require.Zero(t, r.code, "ledgerline %v: %s", args, r.stderr)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), v), r.stdout)
}

type importSummary struct {
	Lines, Customers, Purchases, Events, Appended int
	Cents                                         int64
	LastPosition                                  uint64 `json:"last_position"`
}

type history struct {
	Customer struct {
		SourceID string `json:"source_id"`
		Events   int    `json:"events"`
	} `json:"customer"`
	Entries []struct {
		Type        string `json:"type"`
		AmountMinor *int64 `json:"amount_minor"`
		OccurredAt  string `json:"occurred_at"`
	} `json:"entries"`
}

func TestImportHistoryVerifyOnTheSample(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ll.db")
	var sum importSummary
	runJSON(t, db, &sum, "import", "cdnow", sampleFile)
	assert.Equal(t, 6919, sum.Purchases)
	assert.Equal(t, 2357, sum.Customers)
	assert.Equal(t, 6919+2357, sum.Appended)

	want := cdnowtest.Totals(t, sampleFile, 0, 4)
	for _, id := range []string{"00004", "01131", "10064", "23569"} {
		var h history
		runJSON(t, db, &h, "history", id)
		var purchases, cents int64
		for _, e := range h.Entries {
			if e.Type == "customer.purchase_recorded" {
				purchases++
				cents += *e.AmountMinor
			}
		}
		assert.Equal(t, want[id], [2]int64{purchases, cents}, "customer %s", id)
	}

	var again importSummary
	runJSON(t, db, &again, "import", "cdnow", sampleFile)
	assert.Zero(t, again.Appended, "re-import adds nothing")
	assert.Equal(t, sum.LastPosition, again.LastPosition)

	r := run(t, db, "verify")
	require.Zero(t, r.code, r.stderr)
	assert.Contains(t, r.stdout, "9276 events")
}

func TestHistoryAsOfAndFilters(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ll.db")
	runJSON(t, db, &importSummary{}, "import", "cdnow", sampleFile)
	var all, early, purchases history
	runJSON(t, db, &all, "history", "00004")
	runJSON(t, db, &early, "history", "00004", "--as-of", "1997-01-18")
	runJSON(t, db, &purchases, "history", "00004", "--type", "customer.purchase_recorded")
	assert.Len(t, all.Entries, 5)
	assert.Len(t, early.Entries, 3, "registration and the purchases of 1997-01-01 and 1997-01-18")
	assert.Len(t, purchases.Entries, 4)
	var before history
	runJSON(t, db, &before, "history", "00004", "--known-at", "2000-01-01")
	assert.Empty(t, before.Entries, "nothing was recorded in 2000")
}

func TestBadInputExitsNonZeroWithARule(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ll.db")
	tests := []struct {
		args []string
		code int
		text string
	}{
		{[]string{"history", "99999999"}, 2, "customer not found"},
		{[]string{"history", "00004", "--as-of", "yesterday"}, 2, "--as-of"},
		{[]string{"import", "cdnow", "no-such-file.txt"}, 2, "no-such-file.txt"},
		{[]string{"no-such-command"}, 2, "unknown command"},
		{[]string{"history"}, 2, "accepts 1 arg"},
		{[]string{"verify", "--no-such-flag"}, 2, "unknown flag"},
	}
	for _, tt := range tests {
		r := run(t, db, tt.args...)
		assert.Equal(t, tt.code, r.code, "%v: %s", tt.args, r.stderr)
		assert.Contains(t, r.stderr, tt.text)
	}
}

func TestMalformedLineLeavesTheStoreAsItWas(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ll.db")
	runJSON(t, db, &importSummary{}, "import", "cdnow", sampleFile)
	before := run(t, db, "verify", "--json").stdout

	data, err := os.ReadFile(masterFile)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	lines[300] = " 00100 19970231  1   11.77\r\n" // an impossible date on line 301
	bad := filepath.Join(t.TempDir(), "master-bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Join(lines[:400], "")), 0o600))

	r := run(t, db, "import", "cdnow", bad)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "master-bad.txt:301: column 2 (date): must be a valid date")
	assert.Equal(t, before, run(t, db, "verify", "--json").stdout, "nothing of the batch was stored")
}
