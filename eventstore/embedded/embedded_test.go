package embedded_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/embedded"
	"github.com/ledgerline/ledgerline/eventstore/storetest"
)

// factory opens a store on a fresh file for each case of the suites.
func factory(t testing.TB) eventstore.Store { return newStore(t) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store { return factory(t) })
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) eventstore.Store { return factory(b) })
}

// open opens a store on path and closes it when the test ends.
func open(t testing.TB, path string) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), path, embedded.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newStore opens a store on a fresh file.
func newStore(t testing.TB) *embedded.Store {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "events.db"))
}

// event returns a valid event whose payload carries note.
func event(note string) eventstore.EventData {
	return eventstore.EventData{
		ID:            uuid.New(),
		Type:          "test.noted",
		SchemaVersion: 1,
		Data:          fmt.Appendf(nil, `{"note":%q}`, note),
		OccurredAt:    time.Date(1997, 1, 1, 12, 0, 0, 123456789, time.UTC),
		Metadata:      eventstore.Metadata{Actor: "user:test", CommandID: uuid.New(), CorrelationID: uuid.New()},
	}
}

func events(n int) []eventstore.EventData {
	out := make([]eventstore.EventData, n)
	for i := range out {
		out[i] = event(fmt.Sprintf("event %d", i))
	}
	return out
}

func TestReopenKeepsEvents(t *testing.T) {
	ctx := context.Background()
	// A missing parent, and characters that a file: URI must escape.
	path := filepath.Join(t.TempDir(), "nested dir", "odd?#%chars", "events.db")
	s := open(t, path)
	want := events(3)
	_, err := s.Append(ctx, "customer-1", eventstore.NoStream, want)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")
	require.FileExists(t, path)

	s = open(t, path)
	got, err := s.ReadStream(ctx, "customer-1", eventstore.ReadStreamOptions{})
	require.NoError(t, err)
	require.Len(t, got, 3)
	for i, rec := range got {
		assert.True(t, eventstore.SameEvent(rec, "customer-1", want[i]), "event %d", i)
	}
	res, err := s.Append(ctx, "customer-1", eventstore.Exact(3), events(1))
	require.NoError(t, err, "the stream head survives too")
	assert.Equal(t, eventstore.AppendResult{FirstVersion: 4, LastVersion: 4, LastPosition: 4}, res)
	_, err = eventstore.Verify(ctx, s, nil)
	require.NoError(t, err)
}

func TestOpenMigratesTwiceAndConcurrently(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := embedded.Open(ctx, path, embedded.Config{})
			if err == nil {
				_, err = s.Append(ctx, fmt.Sprintf("customer-%d", i), eventstore.NoStream, events(2))
				err = errors.Join(err, s.Close())
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "opener %d", i)
	}
	s := open(t, path)
	rep, err := eventstore.Verify(ctx, s, nil)
	require.NoError(t, err)
	assert.Equal(t, eventstore.VerifyReport{Streams: 4, Events: 8, LastPosition: 8}, rep)
	assert.Equal(t, 1, countRows(t, path, "eventstore_migrations"), "each migration is recorded once")
}

// countRows counts the rows of table through a connection of its own.
func countRows(t *testing.T, path, table string) int {
	t.Helper()
	db := sideDB(t, path)
	var n int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM "+table).Scan(&n))
	return n
}

// sideDB opens a second pool on the store's file, as a read-model store
// would.
func sideDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	dsn, err := embedded.DSN(path, embedded.DefaultBusyTimeout)
	require.NoError(t, err)
	db, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestVerifyDetectsTamperedPayload(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.db")
	s := open(t, path)
	_, err := s.Append(ctx, "customer-a", eventstore.NoStream, events(2))
	require.NoError(t, err)
	_, err = s.Append(ctx, "customer-b", eventstore.NoStream, []eventstore.EventData{event("before"), event("TAMPER-ME-7f3a"), event("after")})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	flipByte(t, path, []byte("TAMPER-ME-7f3a"))

	s = open(t, path)
	_, err = eventstore.Verify(ctx, s, nil)
	var tamper *eventstore.TamperError
	require.ErrorAs(t, err, &tamper)
	assert.Equal(t, "customer-b", tamper.Stream)
	assert.Equal(t, uint64(2), tamper.Version)
}

// flipByte changes one byte of the only occurrence of marker in the file:
// Close must have checkpointed the write-ahead log into it.
func flipByte(t *testing.T, path string, marker []byte) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	at := bytes.Index(raw, marker)
	require.GreaterOrEqual(t, at, 0, "marker is in the database file, not only in the WAL")
	require.Equal(t, -1, bytes.Index(raw[at+1:], marker), "marker is unique")
	raw[at] ^= 0x20
	require.NoError(t, os.WriteFile(path, raw, 0o600))
}

func TestAppendWhileAnotherPoolWrites(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	path := filepath.Join(t.TempDir(), "events.db")
	s := open(t, path)
	side := sideDB(t, path)
	_, err := side.ExecContext(ctx, `CREATE TABLE read_model (k INTEGER PRIMARY KEY, v TEXT)`)
	require.NoError(t, err)

	const rounds = 50
	var wg sync.WaitGroup
	var sideErr error
	wg.Go(func() { sideErr = writeReadModel(ctx, side, rounds) })
	for i := range rounds {
		_, err := s.Append(ctx, "customer-1", eventstore.Exact(uint64(i)), events(1))
		require.NoError(t, err, "append %d", i)
	}
	wg.Wait()
	require.NoError(t, sideErr)
	assert.Equal(t, rounds, countRows(t, path, "read_model"))
}

func TestPoolsAreSharedWithReadModels(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	write, read := s.Pools()
	_, err := write.ExecContext(ctx, `CREATE TABLE read_model (k INTEGER PRIMARY KEY, v TEXT)`)
	require.NoError(t, err)

	tx, err := write.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, `INSERT INTO read_model (k, v) VALUES (1, 'row')`)
	require.NoError(t, err)
	appended := make(chan error, 1)
	go func() {
		_, err := s.Append(ctx, "customer-1", eventstore.NoStream, events(1))
		appended <- err
	}()
	require.NoError(t, tx.Commit(), "the append waits for the read-model transaction")
	require.NoError(t, <-appended)

	var n int
	require.NoError(t, read.QueryRowContext(ctx, `SELECT count(*) FROM read_model`).Scan(&n))
	assert.Equal(t, 1, n)
	_, err = read.ExecContext(ctx, `DELETE FROM read_model`)
	require.Error(t, err, "the read pool is query-only")
}

// writeReadModel commits n transactions on db, each holding the write lock
// for a moment, as a projector committing rows and checkpoint would.
func writeReadModel(ctx context.Context, db *sql.DB, n int) error {
	for i := range n {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO read_model (k, v) VALUES (?, ?)`, i, "row"); err != nil {
			_ = tx.Rollback()
			return err
		}
		time.Sleep(time.Millisecond)
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

func TestDefaultPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, tc := range []struct {
		name, xdg, want string
	}{
		{"xdg set", "/data", "/data/ledgerline/ledgerline.db"},
		{"xdg unset", "", filepath.Join(home, ".local/share/ledgerline/ledgerline.db")},
		{"xdg relative is ignored", "data", filepath.Join(home, ".local/share/ledgerline/ledgerline.db")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_DATA_HOME", tc.xdg)
			got, err := embedded.DefaultPath()
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestConfigValidate(t *testing.T) {
	_, err := embedded.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"),
		embedded.Config{PollInterval: -1, BusyTimeout: -1})
	require.ErrorContains(t, err, "poll interval")
	require.ErrorContains(t, err, "busy timeout")
}

func TestFilterMatchesPortSemantics(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	streams := []string{"a%b-1", "a_b-1", "axb-1", "ä-1", "customer-1", "Customer-2", "lead-1"}
	for _, stream := range streams {
		_, err := s.Append(ctx, stream, eventstore.NoStream, []eventstore.EventData{event(stream)})
		require.NoError(t, err)
	}
	all, err := s.ReadAll(ctx, eventstore.ReadAllOptions{Limit: 100})
	require.NoError(t, err)
	for _, f := range []eventstore.Filter{
		{StreamPrefixes: []string{"a%"}},
		{StreamPrefixes: []string{"a_"}},
		{StreamPrefixes: []string{"ä"}},
		{StreamPrefixes: []string{""}},
		{StreamPrefixes: []string{"customer-"}},
		{StreamPrefixes: []string{"customer-", "lead-"}, Types: []string{"test.noted"}},
		{Types: []string{"other"}},
	} {
		t.Run(fmt.Sprint(f.StreamPrefixes, f.Types), func(t *testing.T) {
			got, err := s.ReadAll(ctx, eventstore.ReadAllOptions{Limit: 100, Filter: f})
			require.NoError(t, err)
			var want []string
			for _, rec := range all {
				if f.Match(rec.Stream, rec.Type) {
					want = append(want, rec.Stream)
				}
			}
			assert.Equal(t, want, streamsOf(got))
		})
	}
}

func streamsOf(recs []eventstore.Record) []string {
	var out []string
	for _, rec := range recs {
		out = append(out, rec.Stream)
	}
	return out
}

func TestSubscriptionSeesOtherProcessByPolling(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	path := filepath.Join(t.TempDir(), "events.db")
	reader, err := embedded.Open(ctx, path, embedded.Config{PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { _ = reader.Close() })
	sub, err := reader.Subscribe(ctx, eventstore.SubscribeOptions{})
	require.NoError(t, err)
	defer sub.Close()

	writer := open(t, path) // another Store on the file: no in-process wake-up reaches reader
	_, err = writer.Append(ctx, "customer-1", eventstore.NoStream, events(2))
	require.NoError(t, err)
	got, err := sub.Next(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"customer-1", "customer-1"}, streamsOf(got))
}

func TestAppendFailsUnavailableWhileLockHeldPastTimeout(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.db")
	s, err := embedded.Open(ctx, path, embedded.Config{BusyTimeout: 50 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	side := sideDB(t, path)
	tx, err := side.BeginTx(ctx, nil) // immediate: holds the write lock
	require.NoError(t, err)
	defer tx.Rollback()

	_, err = s.Append(ctx, "customer-1", eventstore.NoStream, events(1))
	require.ErrorIs(t, err, eventstore.ErrUnavailable)
	require.NoError(t, tx.Rollback())
	_, err = s.Append(ctx, "customer-1", eventstore.NoStream, events(1))
	require.NoError(t, err, "the same append goes through once the lock is released")
}

func TestCanceledAppendStoresNothing(t *testing.T) {
	s := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Append(ctx, "customer-1", eventstore.NoStream, events(1))
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.AppendBatch(ctx, []eventstore.AppendRequest{{Stream: "customer-2", Events: events(1)}})
	require.ErrorIs(t, err, context.Canceled)
	recs, err := s.ReadAll(context.Background(), eventstore.ReadAllOptions{Limit: 10})
	require.NoError(t, err)
	assert.Empty(t, recs)
}
