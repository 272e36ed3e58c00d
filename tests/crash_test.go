package tests

import (
	"bytes"
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

// TestKillDuringImportLosesAndDoublesNothing kills the CLI with SIGKILL at
// random moments of an import (events and the timeline being written at
// once), restarts it, and checks that the log holds each line once and the
// timeline holds each event once.
func TestKillDuringImportLosesAndDoublesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ll.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for i := range 4 {
		delay := time.Duration(300+rng.IntN(2500)) * time.Millisecond
		cmd := exec.Command(cli(t), "--db", db, "import", "cdnow", masterFile)
		require.NoError(t, cmd.Start())
		time.Sleep(delay)
		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()
		t.Logf("kill %d after %s", i+1, delay)
	}
	var sum importSummary
	runJSON(t, db, &sum, "import", "cdnow", masterFile)
	assert.Equal(t, 69659+23570, sum.Events)

	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	require.NoError(t, err)
	defer conn.Close()
	count := func(q string) int64 {
		var n int64
		require.NoError(t, conn.QueryRowContext(context.Background(), q).Scan(&n))
		return n
	}
	assert.Equal(t, int64(93229), count(`SELECT COUNT(*) FROM events`), "each line once in the log")
	assert.Equal(t, int64(93229), count(`SELECT COUNT(*) FROM timeline`), "each event once in the timeline")
	assert.Equal(t, int64(93229), count(`SELECT SUM(events) FROM customers`), "no event counted twice")
	assert.Equal(t, int64(93229), count(`SELECT position FROM projection_checkpoints WHERE projection = 'timeline'`))
	assert.Zero(t, run(t, db, "verify").code)
}

// TestVerifyNamesATamperedEvent flips one byte of a stored payload in the
// database file and expects verify to fail, naming the event.
func TestVerifyNamesATamperedEvent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ll.db")
	runJSON(t, db, &importSummary{}, "import", "cdnow", sampleFile)
	require.Zero(t, run(t, db, "verify").code)

	data, err := os.ReadFile(db)
	require.NoError(t, err)
	marker := []byte(`"purchase_id":"cdnow-sample-4321"`)
	i := bytes.Index(data, marker)
	require.NotEqual(t, -1, i, "payload found in the file (WAL checkpointed on close)")
	data[i+len(marker)-2] ^= 0x01 // 4321 becomes 4331
	require.NoError(t, os.WriteFile(db, data, 0o600))

	r := run(t, db, "verify")
	assert.Equal(t, 3, r.code, r.stdout+r.stderr)
	assert.Regexp(t, regexp.MustCompile(`verification FAILED .*customer-[0-9a-f-]+ version \d+ \(position \d+, event [0-9a-f-]+\): hash mismatch`), r.stderr)
}
