package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// streamRead reads a ten-event stream (stored by three appends, with
// another stream's events between them) with opts and wants the versions
// listed, in order.
type streamRead struct {
	name string
	opts eventstore.ReadStreamOptions
	want []uint64
}

func readStreamCases() []contractCase {
	fwd, bwd := eventstore.Forwards, eventstore.Backwards
	reads := []streamRead{
		{"ForwardsFromStart", eventstore.ReadStreamOptions{Direction: fwd}, versionRange(1, 10)},
		{"ForwardsFromVersionIsInclusive", eventstore.ReadStreamOptions{Direction: fwd, From: 4}, versionRange(4, 10)},
		{"ForwardsWithLimit", eventstore.ReadStreamOptions{Direction: fwd, Limit: 3}, versionRange(1, 3)},
		{"ForwardsFromVersionWithLimit", eventstore.ReadStreamOptions{Direction: fwd, From: 3, Limit: 4}, versionRange(3, 6)},
		{"ForwardsLimitBeyondEndReturnsTheRest", eventstore.ReadStreamOptions{Direction: fwd, From: 8, Limit: 10}, versionRange(8, 10)},
		{"BackwardsFromEnd", eventstore.ReadStreamOptions{Direction: bwd}, versionRange(10, 1)},
		{"BackwardsFromVersionIsInclusive", eventstore.ReadStreamOptions{Direction: bwd, From: 7}, versionRange(7, 1)},
		{"BackwardsWithLimit", eventstore.ReadStreamOptions{Direction: bwd, Limit: 3}, versionRange(10, 8)},
		{"BackwardsFromVersionWithLimit", eventstore.ReadStreamOptions{Direction: bwd, From: 7, Limit: 3}, versionRange(7, 5)},
		{"BackwardsLimitBeyondStartReturnsTheRest", eventstore.ReadStreamOptions{Direction: bwd, From: 2, Limit: 10}, versionRange(2, 1)},
	}
	cases := make([]contractCase, 0, len(reads)+4)
	for _, c := range reads {
		cases = append(cases, contractCase{name: c.name, run: c.run})
	}
	return append(cases,
		contractCase{name: "ThousandEventStreamComesBackInOrder", run: testThousandEvents},
		contractCase{name: "MissingStreamIsNotFound", run: testMissingStream},
		contractCase{name: "StreamsAreIsolated", run: testStreamsIsolated},
	)
}

func (c streamRead) run(t *testing.T, s eventstore.Store) {
	evs := newEvents(10)
	mustAppend(t, s, streamA, eventstore.NoStream, evs[:3])
	mustAppend(t, s, streamB, eventstore.NoStream, newEvents(2))
	mustAppend(t, s, streamA, eventstore.Exact(3), evs[3:6])
	mustAppend(t, s, streamB, eventstore.Exact(2), newEvents(1))
	mustAppend(t, s, streamA, eventstore.Exact(6), evs[6:])
	recs := readStream(t, s, streamA, c.opts)
	require.Equal(t, c.want, versions(recs), "versions read")
	for _, rec := range recs {
		require.Equal(t, evs[rec.Version-1].ID, rec.ID, "event at version %d", rec.Version)
		require.Equal(t, streamA, rec.Stream)
	}
}

func testThousandEvents(t *testing.T, s eventstore.Store) {
	const n, batch = 1000, 100
	evs := newEvents(n)
	for i := 0; i < n; i += batch {
		mustAppend(t, s, streamA, eventstore.Exact(uint64(i)), evs[i:i+batch])
	}
	fwd := readStream(t, s, streamA, eventstore.ReadStreamOptions{})
	require.Equal(t, eventIDs(evs), recordIDs(fwd), "forwards")
	require.Equal(t, versionRange(1, n), versions(fwd))
	bwd := readStream(t, s, streamA, eventstore.ReadStreamOptions{Direction: eventstore.Backwards})
	require.Equal(t, versionRange(n, 1), versions(bwd), "backwards")
	for i := 1; i < len(fwd); i++ {
		require.Greater(t, fwd[i].Position, fwd[i-1].Position, "positions follow versions")
	}
}

func testMissingStream(t *testing.T, s eventstore.Store) {
	requireStreamMissing(t, s, streamA)
	mustAppend(t, s, streamB, eventstore.NoStream, newEvents(1))
	for _, dir := range []eventstore.Direction{eventstore.Forwards, eventstore.Backwards} {
		_, err := s.ReadStream(t.Context(), streamA, eventstore.ReadStreamOptions{Direction: dir})
		require.ErrorIs(t, err, eventstore.ErrStreamNotFound, "direction %d", dir)
	}
	// A prefix of a stored stream's name is another stream.
	requireStreamMissing(t, s, streamB[:len(streamB)-1])
}

func testStreamsIsolated(t *testing.T, s eventstore.Store) {
	a, b := newEvents(4), newEvents(3)
	mustAppend(t, s, streamA, eventstore.NoStream, a[:2])
	mustAppend(t, s, streamB, eventstore.NoStream, b[:1])
	mustAppend(t, s, streamA, eventstore.Exact(2), a[2:])
	mustAppend(t, s, streamB, eventstore.Exact(1), b[1:])
	for stream, want := range map[string][]eventstore.EventData{streamA: a, streamB: b} {
		recs := readStream(t, s, stream, eventstore.ReadStreamOptions{})
		require.Equal(t, eventIDs(want), recordIDs(recs), "events of %s", stream)
		require.Equal(t, versionRange(1, uint64(len(want))), versions(recs), "versions of %s start at 1", stream)
	}
}
