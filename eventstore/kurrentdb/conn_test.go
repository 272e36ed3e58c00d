package kurrentdb_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb/kurrenttest"
)

// outageTimeout bounds each call while the test server is down.
const outageTimeout = 300 * time.Millisecond

// appendUntilStored retries an append until the store answers: the same
// events each time, which idempotency makes safe.
func appendUntilStored(t testing.TB, s eventstore.Store, stream string, evs []eventstore.EventData) eventstore.AppendResult {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := s.Append(t.Context(), stream, eventstore.Any, evs)
		if err == nil {
			return res
		}
		require.ErrorIs(t, err, eventstore.ErrUnavailable, "only unavailability may fail an append here")
		require.True(t, time.Now().Before(deadline), "the store did not come back: %v", err)
	}
}

// TestSubscriptionResumesAfterConnectionLoss stops the server under a
// live subscription and under an append, and starts it again on the same
// port: the append fails as unavailable, its retry stores the events
// once, and the subscription goes on from its last event with neither a
// gap nor a duplicate.
func TestSubscriptionResumesAfterConnectionLoss(t *testing.T) {
	srv := kurrenttest.Start(t)
	var logs lockedBuffer
	s := open(t, srv.URL(), kurrentdb.Config{Timeout: outageTimeout, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	before, during, after := newEvents(3), newEvents(2), newEvents(1)
	_, err := s.Append(t.Context(), "customer-1", eventstore.NoStream, before)
	require.NoError(t, err)
	sub, err := s.Subscribe(t.Context(), eventstore.SubscribeOptions{})
	require.NoError(t, err)
	defer sub.Close()
	assert.Equal(t, eventIDs(before), recordIDs(nextN(t, sub, 3)), "history")

	srv.Stop()
	for range 2 {
		_, err = s.Append(t.Context(), "customer-1", eventstore.Any, during)
		require.ErrorIs(t, err, eventstore.ErrUnavailable, "an append during the outage")
	}
	_, err = s.ReadStream(t.Context(), "customer-1", eventstore.ReadStreamOptions{})
	require.ErrorIs(t, err, eventstore.ErrUnavailable, "a read during the outage")

	require.NoError(t, srv.Restart())
	appendUntilStored(t, s, "customer-1", during)
	assert.Equal(t, eventIDs(during), recordIDs(nextN(t, sub, 2)), "the subscription resumes after its last event")
	_, err = s.Append(t.Context(), "customer-2", eventstore.NoStream, after)
	require.NoError(t, err)
	assert.Equal(t, eventIDs(after), recordIDs(nextN(t, sub, 1)), "nothing twice, nothing skipped")
	recs, err := s.ReadStream(t.Context(), "customer-1", eventstore.ReadStreamOptions{})
	require.NoError(t, err)
	assert.Equal(t, eventIDs(append(before, during...)), recordIDs(recs), "the retried append stored its events once")
	assert.Contains(t, logs.String(), "subscription lost", "the subscription was opened again")
}

// TestClientThatGaveUpIsReplaced limits discovery, so that the v4 client
// closes itself during the outage (appends go on failing as unavailable
// until the store notices and replaces it), and works again once the
// server is back.
//
// The v4 client rediscovers only after a failed append or a failure in
// the middle of a read, not after a read that could not start. So the
// stream's head is known before the outage: the appends during it go
// straight to KurrentDB's append, whose failure starts the discovery that
// gives up.
func TestClientThatGaveUpIsReplaced(t *testing.T) {
	srv := kurrenttest.Start(t)
	var logs lockedBuffer
	s := open(t, srv.URL()+"&maxDiscoverAttempts=1&discoveryInterval=10",
		kurrentdb.Config{Timeout: outageTimeout, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	_, err := s.Append(t.Context(), "customer-1", eventstore.NoStream, newEvents(1))
	require.NoError(t, err)
	srv.Stop()
	deadline := time.Now().Add(45 * time.Second) // a bound for a loaded CI machine, not a performance claim
	for !strings.Contains(logs.String(), "replaced it") {
		_, err := s.Append(t.Context(), "customer-1", eventstore.Any, newEvents(1))
		require.ErrorIs(t, err, eventstore.ErrUnavailable)
		require.True(t, time.Now().Before(deadline), "the client never gave up discovery: %v\n%s", err, logs.String())
	}
	require.NoError(t, srv.Restart())
	res := appendUntilStored(t, s, "customer-1", newEvents(1))
	assert.Equal(t, uint64(2), res.LastVersion, "no append of the outage was stored")
}

func TestOpenFailsWhenNoNodeAnswers(t *testing.T) {
	srv := kurrenttest.Start(t)
	srv.Stop()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := kurrentdb.Open(ctx, srv.URL(), kurrentdb.Config{Timeout: outageTimeout})
	require.ErrorIs(t, err, eventstore.ErrUnavailable)
}

func TestSeveralSeedsFindTheLeader(t *testing.T) {
	live, dead := kurrenttest.Start(t), kurrenttest.Start(t)
	dead.Stop()
	url := "kurrentdb://" + dead.Addr() + "," + live.Addr() + "?tls=false&nodePreference=leader"
	s := open(t, url, kurrentdb.Config{})
	evs := newEvents(2)
	_, err := s.Append(t.Context(), "customer-1", eventstore.NoStream, evs)
	require.NoError(t, err)
	recs, err := s.ReadStream(t.Context(), "customer-1", eventstore.ReadStreamOptions{})
	require.NoError(t, err)
	assert.Equal(t, eventIDs(evs), recordIDs(recs))
}
