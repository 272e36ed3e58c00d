package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/ops"
)

// projectionsSample is the CDNOW 1/10 sample in the shared data directory.
const projectionsSample = "../../../shared/data/cdnow/CDNOW_sample.txt"

// sampleLines is how much of the sample the tests import: its first
// customers' purchases, enough for every read model and fast under -race.
const sampleLines = 1000

// importForProjections imports the first sampleLines lines of the CDNOW
// sample into a fresh embedded store and returns the store's path and the
// number of events imported.
func importForProjections(t *testing.T) (string, uint64) {
	t.Helper()
	data, err := os.ReadFile(projectionsSample)
	require.NoError(t, err, "the CDNOW sample ships in ../shared/data/cdnow")
	lines := bytes.SplitAfterN(data, []byte("\n"), sampleLines+1)
	file := filepath.Join(t.TempDir(), "sample.txt")
	require.NoError(t, os.WriteFile(file, bytes.Join(lines[:sampleLines], nil), 0o600))
	db := filepath.Join(t.TempDir(), "cdnow.db")
	out, code := cli(t, "--db", db, "import", "cdnow", file, "--json")
	require.Equal(t, exitOK, code, out)
	var rep importReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	return db, rep.LastPosition
}

// TestProjectionsAfterImport proves, after an import, that every live
// read model equals its rebuild from the log, that rebuild swaps in a
// model verify still finds equal, and that status reports every
// projection at the head.
func TestProjectionsAfterImport(t *testing.T) {
	db, head := importForProjections(t)
	b := &backend{}
	for _, name := range names(b.projectors()) {
		out, code := cli(t, "--db", db, "projections", "verify", name, "--json")
		require.Equal(t, exitOK, code, out)
		var v ops.Verification
		require.NoError(t, json.Unmarshal([]byte(out), &v))
		assert.True(t, v.Equal, "%s: %+v", name, v.Tables)
		assert.Equal(t, head, v.Position, name)
	}

	out, code := cli(t, "--db", db, "projections", "rebuild", "timeline", "--json", "--batch", "1000")
	require.Equal(t, exitOK, code, out)
	var reps []ops.Report
	require.NoError(t, json.Unmarshal([]byte(out), &reps))
	require.Len(t, reps, 1)
	assert.Equal(t, ops.Report{Projection: "timeline", Events: head, Position: head, Tables: []string{"customers", "timeline"}},
		ops.Report{Projection: reps[0].Projection, Events: reps[0].Events, Position: reps[0].Position, Tables: reps[0].Tables})
	out, code = cli(t, "--db", db, "projections", "rebuild", "--all")
	require.Equal(t, exitOK, code, out)
	for _, name := range names(b.projectors()) {
		assert.Contains(t, out, "Rebuilt "+name+": ")
	}
	out, code = cli(t, "--db", db, "projections", "verify", "timeline")
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "equals its rebuild")

	out, code = cli(t, "--db", db, "projections", "status", "--json")
	require.Equal(t, exitOK, code, out)
	var st []ops.Status
	require.NoError(t, json.Unmarshal([]byte(out), &st))
	require.Len(t, st, len(b.projectors()))
	for _, s := range st {
		assert.Equal(t, head, s.Position, s.Projection)
		assert.Zero(t, s.LagEvents, s.Projection)
		assert.Nil(t, s.Rebuild, s.Projection)
	}
}

// TestProjectionsVerifyFindsAnAlteredRow alters one row of the live
// timeline behind the projection's back: verify exits with code 3 and
// names the row.
func TestProjectionsVerifyFindsAnAlteredRow(t *testing.T) {
	db, head := importForProjections(t)
	conn, err := sql.Open("sqlite", db)
	require.NoError(t, err)
	_, err = conn.ExecContext(t.Context(), `UPDATE timeline SET amount_minor = amount_minor + 1 WHERE position = 5`)
	require.NoError(t, errors.Join(err, conn.Close()))

	out, code := cli(t, "--db", db, "projections", "verify", "timeline")
	assert.Equal(t, exitTampered, code, out)
	assert.Contains(t, out, "DIFFERS: key (position=5): column amount_minor")
	assert.Contains(t, out, fmt.Sprintf("projection timeline differs from its rebuild at position %d", head))

	out, code = cli(t, "--db", db, "projections", "status")
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "timeline")
}

func TestProjectionsUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "empty.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown projection", []string{"projections", "rebuild", "nosuch"}, `no projection "nosuch" (known: timeline`},
		{"no name", []string{"projections", "verify"}, "accepts 1 arg"},
		{"names and --all", []string{"projections", "rebuild", "timeline", "--all"}, "or give --all"},
		{"neither names nor --all", []string{"projections", "rebuild"}, "or give --all"},
		{"negative batch", []string{"projections", "rebuild", "timeline", "--batch", "-1"}, "--batch -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := cli(t, append([]string{"--db", db}, tt.args...)...)
			assert.Equal(t, exitUsage, code, out)
			assert.Contains(t, out, tt.want)
		})
	}
}
