package kurrentdb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb/kurrenttest"
	"github.com/ledgerline/ledgerline/eventstore/storetest"
)

// open opens a store on url and closes it when the test ends.
func open(t testing.TB, url string, cfg kurrentdb.Config) *kurrentdb.Store {
	t.Helper()
	s, err := kurrentdb.Open(t.Context(), url, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestConformance runs the event-store contract against the in-process
// test server, a fresh one per case.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store {
		return open(t, kurrenttest.Start(t).URL(), kurrentdb.Config{})
	})
}

// newEvents returns n valid events.
func newEvents(n int) []eventstore.EventData {
	evs := make([]eventstore.EventData, n)
	for i := range evs {
		evs[i] = eventstore.EventData{ID: uuid.New(), Type: "test.noted", SchemaVersion: 1,
			Data: fmt.Appendf(nil, `{"n":%d}`, i), OccurredAt: time.Date(2025, 3, 1, 9, 0, i, 0, time.UTC),
			Metadata: eventstore.Metadata{Actor: "user:test", CommandID: uuid.New()}}
	}
	return evs
}

func eventIDs(evs []eventstore.EventData) []uuid.UUID {
	out := make([]uuid.UUID, len(evs))
	for i, ev := range evs {
		out[i] = ev.ID
	}
	return out
}

func recordIDs(recs []eventstore.Record) []uuid.UUID {
	out := make([]uuid.UUID, len(recs))
	for i, rec := range recs {
		out[i] = rec.ID
	}
	return out
}

// rawClient is the plain esdb client on url, to look at what the store
// wrote or to write what it would not.
func rawClient(t testing.TB, url string) *esdb.Client {
	t.Helper()
	cfg, err := esdb.ParseConnectionString(url)
	require.NoError(t, err)
	cfg.Logger = esdb.NoopLogging()
	c, err := esdb.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// rawRead reads up to 1000 events of stream ("" for $all).
func rawRead(t testing.TB, c *esdb.Client, stream string) []*esdb.RecordedEvent {
	t.Helper()
	rs, err := c.ReadAll(t.Context(), esdb.ReadAllOptions{}, 1000)
	if stream != "" {
		rs, err = c.ReadStream(t.Context(), stream, esdb.ReadStreamOptions{}, 1000)
	}
	require.NoError(t, err)
	defer rs.Close()
	var out []*esdb.RecordedEvent
	for {
		ev, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, ev.Event)
	}
}

func rawAppend(t testing.TB, c *esdb.Client, stream string, ev esdb.EventData) {
	t.Helper()
	_, err := c.AppendToStream(t.Context(), stream, esdb.AppendToStreamOptions{}, ev)
	require.NoError(t, err)
}

func TestNamespacesIsolateStoresOnOneCluster(t *testing.T) {
	srv := kurrenttest.Start(t)
	a := open(t, srv.URL(), kurrentdb.Config{Namespace: "a-"})
	b := open(t, srv.URL(), kurrentdb.Config{Namespace: "b-"})
	evs := newEvents(2)
	for _, s := range []*kurrentdb.Store{a, b} {
		res, err := s.Append(t.Context(), "customer-1", eventstore.NoStream, evs)
		require.NoError(t, err, "the same stream and the same ids in another namespace")
		assert.Equal(t, uint64(2), res.LastVersion)
		all, err := s.ReadAll(t.Context(), eventstore.ReadAllOptions{Limit: 100})
		require.NoError(t, err)
		assert.Equal(t, eventIDs(evs), recordIDs(all), "each store sees only its namespace")
		assert.Equal(t, "customer-1", all[0].Stream, "without the namespace")
	}
	streams := map[string]bool{}
	for _, e := range rawRead(t, rawClient(t, srv.URL()), "") {
		streams[e.StreamID] = true
	}
	assert.True(t, streams["a-customer-1"] && streams["b-customer-1"], "KurrentDB holds both: %v", streams)
}

func TestStoredLayout(t *testing.T) {
	srv := kurrenttest.Start(t)
	s := open(t, srv.URL(), kurrentdb.Config{})
	evs := newEvents(2)
	res, err := s.Append(t.Context(), "customer-1", eventstore.NoStream, evs)
	require.NoError(t, err)
	raw := rawClient(t, srv.URL())
	stored := rawRead(t, raw, "customer-1")
	require.Len(t, stored, 2)
	last := stored[1]
	assert.Equal(t, evs[1].ID, last.EventID, "the KurrentDB event id is the port's")
	assert.Equal(t, uint64(1), last.EventNumber, "version 2 is revision 1")
	assert.Equal(t, res.LastPosition, last.Position.Commit+1, "position = commit position + 1")
	assert.Equal(t, "application/json", last.ContentType)
	assert.JSONEq(t, string(evs[1].Data), string(last.Data))
	var meta map[string]any
	require.NoError(t, json.Unmarshal(last.UserMetadata, &meta))
	for _, key := range []string{"schema_version", "occurred_at_us", "recorded_at_us", "actor", "command_id",
		"correlation_id", "causation_id", "version", "hash"} {
		assert.Contains(t, meta, key)
	}
	claims := rawRead(t, raw, kurrentdb.DefaultIDIndexPrefix+evs[0].ID.String())
	require.Len(t, claims, 1, "one claim stream per event id")
	var claim map[string]any
	require.NoError(t, json.Unmarshal(claims[0].Data, &claim))
	assert.Equal(t, "customer-1", claim["stream"], "the claim names the stream")
}

func TestReadAllAndSubscribeShowOnlyTheStoresEvents(t *testing.T) {
	srv := kurrenttest.Start(t)
	s := open(t, srv.URL(), kurrentdb.Config{StreamPrefixes: []string{"customer-"}})
	raw := rawClient(t, srv.URL())
	data := esdb.EventData{EventID: uuid.New(), EventType: "$statsCollected", ContentType: esdb.ContentTypeJson, Data: []byte(`{}`)}
	rawAppend(t, raw, "$stats-127.0.0.1:2113", data)
	mine := newEvents(2)
	_, err := s.Append(t.Context(), "customer-1", eventstore.NoStream, mine[:1])
	require.NoError(t, err)
	_, err = s.Append(t.Context(), "lead-1", eventstore.NoStream, newEvents(1))
	require.NoError(t, err)
	_, err = s.Append(t.Context(), "customer-2", eventstore.NoStream, mine[1:])
	require.NoError(t, err)

	all, err := s.ReadAll(t.Context(), eventstore.ReadAllOptions{Limit: 100})
	require.NoError(t, err)
	assert.Equal(t, eventIDs(mine), recordIDs(all), "no system event, no id claim, nothing outside the prefixes")
	sub, err := s.Subscribe(t.Context(), eventstore.SubscribeOptions{})
	require.NoError(t, err)
	defer sub.Close()
	got := nextN(t, sub, 2)
	assert.Equal(t, eventIDs(mine), recordIDs(got))
}

// nextN calls Next until it has n events.
func nextN(t testing.TB, sub eventstore.Subscription, n int) []eventstore.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out []eventstore.Record
	for len(out) < n {
		batch, err := sub.Next(ctx)
		require.NoError(t, err, "after %d of %d events", len(out), n)
		out = append(out, batch...)
	}
	return out
}

func TestReservedNamesAreInvalid(t *testing.T) {
	s := open(t, kurrenttest.Start(t).URL(), kurrentdb.Config{})
	typed := newEvents(1)
	typed[0].Type = "$metadata"
	cases := []struct {
		name   string
		stream string
		events []eventstore.EventData
	}{
		{"SystemStream", "$customer-1", newEvents(1)},
		{"IDClaimStream", kurrentdb.DefaultIDIndexPrefix + "x", newEvents(1)},
		{"SystemEventType", "customer-1", typed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Append(t.Context(), c.stream, eventstore.Any, c.events)
			assert.ErrorIs(t, err, eventstore.ErrInvalidEvent)
		})
	}
}

func TestVerifyNamesAnEventWrittenBehindTheStoresBack(t *testing.T) {
	srv := kurrenttest.Start(t)
	s := open(t, srv.URL(), kurrentdb.Config{})
	_, err := s.Append(t.Context(), "customer-1", eventstore.NoStream, newEvents(2))
	require.NoError(t, err)
	forged := esdb.EventData{EventID: uuid.New(), EventType: "test.noted", ContentType: esdb.ContentTypeJson, Data: []byte(`{"n":9}`)}
	rawAppend(t, rawClient(t, srv.URL()), "customer-1", forged)
	_, err = eventstore.Verify(t.Context(), s, nil)
	var tamper *eventstore.TamperError
	require.ErrorAs(t, err, &tamper)
	assert.Equal(t, forged.EventID.String(), tamper.EventID)
	assert.Equal(t, uint64(3), tamper.Version)
}

// lockedBuffer is a bytes.Buffer safe for the client's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestClientLogsGoToTheConfiguredLoggerOnly(t *testing.T) {
	var std lockedBuffer
	previous := log.Writer()
	log.SetOutput(&std)
	t.Cleanup(func() { log.SetOutput(previous) })
	var logs lockedBuffer
	srv := kurrenttest.Start(t)
	s := open(t, srv.URL(), kurrentdb.Config{Timeout: 300 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	srv.Stop()
	_, err := s.Append(t.Context(), "customer-1", eventstore.Any, newEvents(1))
	require.ErrorIs(t, err, eventstore.ErrUnavailable)
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "esdb-client") },
		5*time.Second, 10*time.Millisecond, "the client's lines reach the configured logger")
	assert.Empty(t, std.String(), "nothing on the standard logger")
}

func TestHeadIsTheStoresLastEventNotTheLogs(t *testing.T) {
	srv := kurrenttest.Start(t)
	s := open(t, srv.URL(), kurrentdb.Config{Namespace: "a-"})
	head, err := s.Head(t.Context())
	require.NoError(t, err)
	assert.Zero(t, head, "an empty store")
	res, err := s.Append(t.Context(), "customer-1", eventstore.NoStream, newEvents(2))
	require.NoError(t, err)
	raw := rawClient(t, srv.URL())
	rawAppend(t, raw, "$stats-1", esdb.EventData{EventID: uuid.New(), EventType: "$statsCollected", ContentType: esdb.ContentTypeJson, Data: []byte(`{}`)})
	rawAppend(t, raw, "b-customer-1", esdb.EventData{EventID: uuid.New(), EventType: "test.noted", ContentType: esdb.ContentTypeJson, Data: []byte(`{}`)})
	head, err = s.Head(t.Context())
	require.NoError(t, err)
	assert.Equal(t, res.LastPosition, head, "system events and other namespaces after it do not count")
}
