package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/demo"
	"github.com/ledgerline/ledgerline/domain/catalogue"
)

// cli runs the CLI with args and returns its output and exit code.
func cli(t *testing.T, args ...string) (string, int) {
	t.Helper()
	t.Setenv("LEDGERLINE_STORE", "")
	t.Setenv("LEDGERLINE_READMODELS", "")
	root := newRoot()
	var out, errs bytes.Buffer
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errs)
	err := root.ExecuteContext(t.Context())
	if err == nil {
		return out.String(), exitOK
	}
	out.WriteString(err.Error())
	var coded *exitError
	if errors.As(err, &coded) {
		return out.String(), coded.code
	}
	return out.String(), exitFailure
}

func TestDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	small := []string{"--db", db, "demo", "--customers", "10", "--days", "120", "--seed", "3"}

	out, code := cli(t, append(small, "--json")...)
	require.Equal(t, exitOK, code, out)
	var rep demoReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	for _, typ := range catalogue.New().Types() {
		assert.Positive(t, rep.EventsByType[typ], "no %s", typ)
	}
	assert.Equal(t, db, rep.Store)
	require.NotEmpty(t, rep.Showcase)
	assert.Equal(t, "D0001", rep.Showcase[0].SourceID)
	assert.Equal(t, demo.Config{Seed: 3, Customers: 10, Days: 120}.CustomerID(1), rep.Showcase[0].CustomerID)

	out, code = cli(t, "--db", db, "history", "D0001", "--channel", "email")
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "[demo D0001]")

	out, code = cli(t, small...)
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "already in the store")
	assert.Contains(t, out, "ledgerline --db "+db+" history D0001")
	assert.Contains(t, out, "ledgerline --db "+db+" verify")

	out, code = cli(t, "--db", db, "demo", "--customers", "11", "--days", "120", "--seed", "3")
	assert.Equal(t, exitUsage, code, "another population on the same store: %s", out)
	assert.Contains(t, out, "use a fresh --db")
	out, code = cli(t, "--db", db, "verify")
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, fmt.Sprintf("OK: %d events", rep.Events), "the refused run appended nothing")
}

func TestDemoRefusesBadFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	for _, args := range [][]string{
		{"--start", "2024-13-01"},
		{"--customers", "3"},
		{"--days", "7"},
	} {
		out, code := cli(t, append([]string{"--db", db, "demo"}, args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, out)
	}
}

func TestSelector(t *testing.T) {
	for _, tc := range []struct {
		opts options
		want string
	}{
		{options{}, ""},
		{options{db: "/tmp/demo.db"}, " --db /tmp/demo.db"},
		{options{db: "/tmp/my demo.db"}, " --db '/tmp/my demo.db'"},
		{options{store: "postgres://app:secret@db:5432/crm", db: "/ignored"}, " --store postgres://app:xxxxx@db:5432/crm"},
		{options{store: "esdb://node:2113", readModels: "postgres://rm@db/crm"}, " --store esdb://node:2113 --readmodels postgres://rm@db/crm"},
	} {
		assert.Equal(t, tc.want, tc.opts.selector())
	}
}
