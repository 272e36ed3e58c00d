package kurrenttest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore/kurrentdb/kurrenttest"
)

// newClient connects the real esdb client to url, silently.
func newClient(t testing.TB, url string) *esdb.Client {
	t.Helper()
	cfg, err := esdb.ParseConnectionString(url)
	require.NoError(t, err)
	cfg.Logger = esdb.NoopLogging()
	c, err := esdb.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func events(n int, typ string) []esdb.EventData {
	out := make([]esdb.EventData, n)
	for i := range out {
		out[i] = esdb.EventData{EventID: uuid.New(), EventType: typ, ContentType: esdb.ContentTypeJson,
			Data: fmt.Appendf(nil, `{"n":%d}`, i), Metadata: []byte(`{"m":1}`)}
	}
	return out
}

func appendTo(t testing.TB, c *esdb.Client, stream string, exp esdb.ExpectedRevision, evs []esdb.EventData) *esdb.WriteResult {
	t.Helper()
	res, err := c.AppendToStream(t.Context(), stream, esdb.AppendToStreamOptions{ExpectedRevision: exp}, evs...)
	require.NoError(t, err)
	return res
}

// readStream reads up to count events of stream.
func readStream(ctx context.Context, c *esdb.Client, stream string, opts esdb.ReadStreamOptions, count uint64) ([]*esdb.RecordedEvent, error) {
	return drain(c.ReadStream(ctx, stream, opts, count))
}

// readAll reads up to count events of $all.
func readAll(ctx context.Context, c *esdb.Client, opts esdb.ReadAllOptions, count uint64) ([]*esdb.RecordedEvent, error) {
	return drain(c.ReadAll(ctx, opts, count))
}

// drain reads a count read to its end.
func drain(rs *esdb.ReadStream, err error) ([]*esdb.RecordedEvent, error) {
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []*esdb.RecordedEvent
	for {
		ev, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev.Event)
	}
}

func revisions(evs []*esdb.RecordedEvent) []uint64 {
	out := make([]uint64, len(evs))
	for i, e := range evs {
		out[i] = e.EventNumber
	}
	return out
}

func isCode(err error, code esdb.ErrorCode) bool {
	var e *esdb.Error
	return errors.As(err, &e) && e.Code() == code
}

func TestAppendExpectations(t *testing.T) {
	cases := []struct {
		name     string
		stored   int
		expected esdb.ExpectedRevision
		wantErr  string
	}{
		{"NoStreamOnNewStream", 0, esdb.NoStream{}, ""},
		{"NoStreamOnExistingStream", 2, esdb.NoStream{}, "expecting 'no_stream' but got '1'"},
		{"ExactRevision", 2, esdb.Revision(1), ""},
		{"StaleRevision", 3, esdb.Revision(1), "expecting '1' but got '2'"},
		{"RevisionOnMissingStream", 0, esdb.Revision(0), "expecting '0' but got 'no_stream'"},
		{"StreamExistsOnMissingStream", 0, esdb.StreamExists{}, "expecting 'stream_exists' but got 'no_stream'"},
		{"StreamExistsOnExistingStream", 1, esdb.StreamExists{}, ""},
		{"AnyOnNewStream", 0, esdb.Any{}, ""},
		{"AnyOnExistingStream", 2, esdb.Any{}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client := newClient(t, kurrenttest.Start(t).URL())
			if c.stored > 0 {
				appendTo(t, client, "s", esdb.NoStream{}, events(c.stored, "t"))
			}
			res, err := client.AppendToStream(t.Context(), "s", esdb.AppendToStreamOptions{ExpectedRevision: c.expected}, events(3, "t")...)
			if c.wantErr != "" {
				require.True(t, isCode(err, esdb.ErrorCodeWrongExpectedVersion), "got %v", err)
				assert.Contains(t, err.Error(), c.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, uint64(c.stored+2), res.NextExpectedVersion)
		})
	}
}

func TestIdempotentAppend(t *testing.T) {
	client := newClient(t, kurrenttest.Start(t).URL())
	evs := events(3, "t")
	first := appendTo(t, client, "s", esdb.NoStream{}, evs)
	cases := []struct {
		name     string
		expected esdb.ExpectedRevision
	}{{"NoStream", esdb.NoStream{}}, {"Any", esdb.Any{}}}
	for _, c := range cases {
		again := appendTo(t, client, "s", c.expected, evs)
		assert.Equal(t, first, again, c.name)
	}
	_, err := client.AppendToStream(t.Context(), "s", esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}},
		evs[0], events(1, "t")[0])
	assert.True(t, isCode(err, esdb.ErrorCodeWrongExpectedVersion), "a partial replay is a wrong expected version: %v", err)
	got, err := readStream(t.Context(), client, "s", esdb.ReadStreamOptions{}, 100)
	require.NoError(t, err)
	assert.Equal(t, []uint64{0, 1, 2}, revisions(got), "no duplicate stored")
}

func TestReadStream(t *testing.T) {
	client := newClient(t, kurrenttest.Start(t).URL())
	written := events(5, "t")
	appendTo(t, client, "s", esdb.NoStream{}, written)
	appendTo(t, client, "other", esdb.NoStream{}, events(1, "t"))
	cases := []struct {
		name  string
		opts  esdb.ReadStreamOptions
		count uint64
		want  []uint64
	}{
		{"ForwardsFromStart", esdb.ReadStreamOptions{}, 10, []uint64{0, 1, 2, 3, 4}},
		{"ForwardsFromRevisionInclusive", esdb.ReadStreamOptions{From: esdb.Revision(3)}, 10, []uint64{3, 4}},
		{"ForwardsFromEnd", esdb.ReadStreamOptions{From: esdb.End{}}, 10, []uint64{}},
		{"BackwardsFromEnd", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 2, []uint64{4, 3}},
		{"BackwardsFromRevision", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.Revision(1)}, 10, []uint64{1, 0}},
		{"BackwardsPastTheEndStartsAtLast", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.Revision(99)}, 2, []uint64{4, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readStream(t.Context(), client, "s", c.opts, c.count)
			require.NoError(t, err)
			assert.Equal(t, c.want, revisions(got))
		})
	}
	t.Run("EveryFieldComesBack", func(t *testing.T) {
		got, err := readStream(t.Context(), client, "s", esdb.ReadStreamOptions{}, 1)
		require.NoError(t, err)
		require.Len(t, got, 1)
		e := got[0]
		assert.Equal(t, written[0].EventID, e.EventID)
		assert.Equal(t, "t", e.EventType)
		assert.Equal(t, "application/json", e.ContentType)
		assert.Equal(t, written[0].Data, e.Data)
		assert.Equal(t, written[0].Metadata, e.UserMetadata)
		assert.WithinDuration(t, time.Now(), e.CreatedDate, time.Minute)
		assert.Equal(t, e.Position.Commit, e.Position.Prepare)
	})
	t.Run("MissingStreamIsNotFound", func(t *testing.T) {
		_, err := readStream(t.Context(), client, "missing", esdb.ReadStreamOptions{}, 1)
		assert.True(t, isCode(err, esdb.ErrorCodeResourceNotFound), "got %v", err)
	})
}

func TestReadAllPositions(t *testing.T) {
	client := newClient(t, kurrenttest.Start(t).URL())
	appendTo(t, client, "a", esdb.NoStream{}, events(2, "t"))
	last := appendTo(t, client, "b", esdb.NoStream{}, events(2, "t"))
	all, err := readAll(t.Context(), client, esdb.ReadAllOptions{}, 100)
	require.NoError(t, err)
	require.Len(t, all, 4)
	assert.Equal(t, uint64(0), all[0].Position.Commit, "the first event is at 0")
	assert.Equal(t, all[3].Position.Commit, last.CommitPosition, "an append reports its last event's position")
	for i := 1; i < len(all); i++ {
		assert.Greater(t, all[i].Position.Commit, all[i-1].Position.Commit+1, "positions grow like byte offsets")
	}
	cases := []struct {
		name string
		opts esdb.ReadAllOptions
		want []*esdb.RecordedEvent
	}{
		{"ForwardsFromPositionInclusive", esdb.ReadAllOptions{From: all[1].Position}, all[1:]},
		{"BackwardsFromPositionExclusive", esdb.ReadAllOptions{Direction: esdb.Backwards, From: all[2].Position}, []*esdb.RecordedEvent{all[1], all[0]}},
		{"BackwardsFromEnd", esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, []*esdb.RecordedEvent{all[3], all[2], all[1], all[0]}},
		{"ForwardsFromEnd", esdb.ReadAllOptions{From: esdb.End{}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readAll(t.Context(), client, c.opts, 100)
			require.NoError(t, err)
			assert.Equal(t, ids(c.want), ids(got))
		})
	}
	t.Run("PositionInsideARecordIsRefused", func(t *testing.T) {
		p := all[1].Position.Commit + 1
		_, err := readAll(t.Context(), client, esdb.ReadAllOptions{From: esdb.Position{Commit: p, Prepare: p}}, 100)
		assert.Error(t, err)
	})
}

func ids(evs []*esdb.RecordedEvent) []uuid.UUID {
	out := []uuid.UUID{}
	for _, e := range evs {
		out = append(out, e.EventID)
	}
	return out
}

// receive collects n events from sub, skipping other messages.
func receive(t testing.TB, sub *esdb.Subscription, n int) []*esdb.RecordedEvent {
	t.Helper()
	var out []*esdb.RecordedEvent
	for len(out) < n {
		msg := sub.Recv()
		require.Nil(t, msg.SubscriptionDropped, "subscription dropped")
		if msg.EventAppeared != nil {
			out = append(out, msg.EventAppeared.Event)
		}
	}
	return out
}

func TestSubscribeToAllFilters(t *testing.T) {
	client := newClient(t, kurrenttest.Start(t).URL())
	appendTo(t, client, "customer-1", esdb.NoStream{}, events(1, "registered"))
	appendTo(t, client, "lead-1", esdb.NoStream{}, events(1, "captured"))
	appendTo(t, client, "$system", esdb.NoStream{}, events(1, "$stats"))
	cases := []struct {
		name   string
		filter *esdb.SubscriptionFilter
		want   []string
	}{
		{"StreamPrefix", &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{"customer-"}}, []string{"customer-1", "customer-2"}},
		{"ExcludeSystemEvents", esdb.ExcludeSystemEventsFilter(), []string{"customer-1", "lead-1", "customer-2"}},
		{"TypeRegex", &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Regex: "^(captured|registered)$"}, []string{"customer-1", "lead-1", "customer-2"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub, err := client.SubscribeToAll(t.Context(), esdb.SubscribeToAllOptions{From: esdb.Start{}, Filter: c.filter})
			require.NoError(t, err)
			defer sub.Close()
			if i == 0 {
				appendTo(t, client, "customer-2", esdb.NoStream{}, events(1, "registered"))
			}
			got := receive(t, sub, len(c.want))
			streams := make([]string, len(got))
			for j, e := range got {
				streams[j] = e.StreamID
			}
			assert.Equal(t, c.want, streams)
		})
	}
}

func TestSubscriptionStartsAfterPosition(t *testing.T) {
	client := newClient(t, kurrenttest.Start(t).URL())
	appendTo(t, client, "a", esdb.NoStream{}, events(3, "t"))
	all, err := readAll(t.Context(), client, esdb.ReadAllOptions{}, 100)
	require.NoError(t, err)
	sub, err := client.SubscribeToAll(t.Context(), esdb.SubscribeToAllOptions{From: all[0].Position})
	require.NoError(t, err)
	defer sub.Close()
	assert.Equal(t, ids(all[1:]), ids(receive(t, sub, 2)), "a subscription from a position is exclusive")
	var caughtUp bool
	for !caughtUp {
		msg := sub.Recv()
		require.Nil(t, msg.SubscriptionDropped)
		require.Nil(t, msg.EventAppeared, "no event before caught-up")
		caughtUp = msg.CaughtUp != nil
	}
	live := appendTo(t, client, "b", esdb.NoStream{}, events(1, "t"))
	got := receive(t, sub, 1)
	assert.Equal(t, live.CommitPosition, got[0].Position.Commit, "then live events")
}

func TestSubscribeToStreamFromRevisionIsExclusive(t *testing.T) {
	client := newClient(t, kurrenttest.Start(t).URL())
	evs := events(3, "t")
	appendTo(t, client, "s", esdb.NoStream{}, evs)
	sub, err := client.SubscribeToStream(t.Context(), "s", esdb.SubscribeToStreamOptions{From: esdb.Revision(0)})
	require.NoError(t, err)
	defer sub.Close()
	got := receive(t, sub, 2)
	assert.Equal(t, []uint64{1, 2}, revisions(got))
}

func TestRestartKeepsDataOnTheSamePort(t *testing.T) {
	srv := kurrenttest.Start(t)
	client := newClient(t, srv.URL())
	appendTo(t, client, "s", esdb.NoStream{}, events(2, "t"))
	srv.Stop()
	_, err := client.AppendToStream(t.Context(), "s", esdb.AppendToStreamOptions{}, events(1, "t")...)
	// The client reports a connection it knows to be down as unavailable,
	// and a request stream cut under its send as io.EOF.
	require.True(t, isCode(err, esdb.ErrorUnavailable) || errors.Is(err, io.EOF), "an append while stopped fails for want of the server: %v", err)
	require.NoError(t, srv.Restart())
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	got, err := readStream(ctx, client, "s", esdb.ReadStreamOptions{}, 10)
	require.NoError(t, err)
	assert.Equal(t, []uint64{0, 1}, revisions(got))
}

func TestSeveralSeedsDiscoverTheLeader(t *testing.T) {
	srv := kurrenttest.Start(t)
	dead := kurrenttest.Start(t)
	dead.Stop()
	client := newClient(t, "esdb://"+dead.Addr()+","+srv.Addr()+"?tls=false&nodePreference=leader")
	appendTo(t, client, "s", esdb.NoStream{}, events(1, "t"))
	got, err := readStream(t.Context(), client, "s", esdb.ReadStreamOptions{}, 10)
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

func TestEmptyAppendChecksTheExpectationOnly(t *testing.T) {
	client := newClient(t, kurrenttest.Start(t).URL())
	appendTo(t, client, "s", esdb.NoStream{}, events(2, "t"))
	res := appendTo(t, client, "s", esdb.Revision(1), nil)
	assert.Equal(t, uint64(1), res.NextExpectedVersion, "the current revision")
	_, err := client.AppendToStream(t.Context(), "s", esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(0)})
	assert.True(t, isCode(err, esdb.ErrorCodeWrongExpectedVersion), "got %v", err)
	got, err := readStream(t.Context(), client, "s", esdb.ReadStreamOptions{}, 10)
	require.NoError(t, err)
	assert.Len(t, got, 2, "nothing written")
}
