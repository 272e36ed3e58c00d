package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/postgres"
)

// sharedServerHoldBack is how long the tests' reads of the log wait for
// in-flight transactions unless a test says otherwise. The tests read the
// log right after appending and expect to see the events; on a server
// shared with other test runs, any session's open transaction holds them
// back (see doc.go), and now and then one stays open longer than the
// default wait.
const sharedServerHoldBack = 5 * time.Second

// open opens a store on dsn and closes it when tb ends; a zero
// cfg.HoldBackWait becomes sharedServerHoldBack.
func open(tb testing.TB, dsn string, cfg postgres.Config) *postgres.Store {
	tb.Helper()
	if cfg.HoldBackWait == 0 {
		cfg.HoldBackWait = sharedServerHoldBack
	}
	s, err := postgres.Open(tb.Context(), dsn, cfg)
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// connect opens a plain connection to dsn, closed when tb ends.
func connect(tb testing.TB, dsn string) *pgx.Conn {
	tb.Helper()
	conn, err := pgx.Connect(tb.Context(), dsn)
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// events returns n valid events with fresh ids.
func events(n int) []eventstore.EventData {
	evs := make([]eventstore.EventData, n)
	for i := range evs {
		id := uuid.New()
		evs[i] = eventstore.EventData{ID: id, Type: "test.noted", SchemaVersion: 1,
			Data:       fmt.Appendf(nil, `{"n":%d}`, i),
			OccurredAt: time.Date(2025, time.March, 1, 9, 30, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
			Metadata:   eventstore.Metadata{Actor: "user:test", CommandID: id, CorrelationID: id}}
	}
	return evs
}

// next calls sub.Next in the background; the result arrives on the
// returned channel.
func next(ctx context.Context, sub eventstore.Subscription) <-chan nextResult {
	ch := make(chan nextResult, 1)
	go func() {
		recs, err := sub.Next(ctx)
		ch <- nextResult{recs, err}
	}()
	return ch
}

type nextResult struct {
	recs []eventstore.Record
	err  error
}

// await returns what ch delivers within d, failing tb otherwise.
func await(tb testing.TB, ch <-chan nextResult, d time.Duration, what string) []eventstore.Record {
	tb.Helper()
	select {
	case r := <-ch:
		require.NoError(tb, r.err, what)
		return r.recs
	case <-time.After(d):
		tb.Fatalf("%s: nothing within %s", what, d)
		return nil
	}
}
