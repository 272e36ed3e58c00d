package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// batchCase is a case of the optional [eventstore.BatchAppender]
// capability; it runs only on stores that have it.
type batchCase func(t *testing.T, s eventstore.Store, b eventstore.BatchAppender)

func batchCases() []contractCase {
	cases := []struct {
		name string
		run  batchCase
	}{
		{"AppendsToSeveralStreamsAtomically", testBatchSeveralStreams},
		{"ConflictInTheMiddleStoresNothing", testBatchConflict},
		{"InvalidEventStoresNothing", testBatchInvalid},
		{"DuplicateIDAcrossRequestsStoresNothing", testBatchDuplicateID},
		{"SameStreamTwiceInOneBatch", testBatchSameStreamTwice},
		{"ReplayOfWholeBatchStoresNothingNew", testBatchReplay},
	}
	out := make([]contractCase, len(cases))
	for i, c := range cases {
		out[i] = contractCase{name: c.name, run: c.run.onBatchAppender}
	}
	return out
}

// onBatchAppender runs the case if s is a BatchAppender. A store without
// the capability skips these cases: [eventstore.AppendBatch] then falls
// back to Append, whose guarantees the other cases prove.
func (c batchCase) onBatchAppender(t *testing.T, s eventstore.Store) {
	b, ok := s.(eventstore.BatchAppender)
	if !ok {
		t.Skipf("%T does not implement the optional eventstore.BatchAppender", s)
	}
	c(t, s, b)
}

// threeStreams returns a batch of one to three events for each of three
// new streams; the middle request expects streamB not to exist.
func threeStreams() []eventstore.AppendRequest {
	return []eventstore.AppendRequest{
		{Stream: streamA, Expected: eventstore.NoStream, Events: newEvents(2)},
		{Stream: streamB, Expected: eventstore.NoStream, Events: newEvents(3)},
		{Stream: leadA, Expected: eventstore.Any, Events: newEvents(1)},
	}
}

// batchEvents returns the events of reqs, in order.
func batchEvents(reqs []eventstore.AppendRequest) []eventstore.EventData {
	var evs []eventstore.EventData
	for _, r := range reqs {
		evs = append(evs, r.Events...)
	}
	return evs
}

func testBatchSeveralStreams(t *testing.T, s eventstore.Store, b eventstore.BatchAppender) {
	before := newEvents(1)
	mustAppend(t, s, streamC, eventstore.NoStream, before)
	reqs := threeStreams()
	reqs = append(reqs, eventstore.AppendRequest{Stream: streamC, Expected: eventstore.Exact(1), Events: newEvents(1)})
	res, err := b.AppendBatch(t.Context(), reqs)
	require.NoError(t, err)
	require.Len(t, res, len(reqs), "one result per request")
	var prev uint64
	for i, r := range reqs {
		requireResult(t, s, r.Stream, res[i], r.Events)
		require.Greater(t, res[i].LastPosition, prev, "results in request order")
		prev = res[i].LastPosition
	}
	require.Equal(t, uint64(2), res[3].FirstVersion, "a batch continues an existing stream")
	requireLog(t, s, eventIDs(concat(before, batchEvents(reqs))))
}

func testBatchConflict(t *testing.T, s eventstore.Store, b eventstore.BatchAppender) {
	before := newEvents(2)
	mustAppend(t, s, streamB, eventstore.NoStream, before)
	reqs := threeStreams()
	_, err := b.AppendBatch(t.Context(), reqs)
	requireConflict(t, err, streamB, eventstore.NoStream, 2)
	requireLog(t, s, eventIDs(before))
	requireStreamMissing(t, s, streamA)
	requireStreamMissing(t, s, leadA)
}

func testBatchInvalid(t *testing.T, s eventstore.Store, b eventstore.BatchAppender) {
	reqs := threeStreams()
	reqs[1].Events[1].Data = []byte("not json")
	_, err := b.AppendBatch(t.Context(), reqs)
	require.ErrorIs(t, err, eventstore.ErrInvalidEvent)
	requireLog(t, s, nil)
}

func testBatchDuplicateID(t *testing.T, s eventstore.Store, b eventstore.BatchAppender) {
	reqs := threeStreams()
	reqs[2].Events[0].ID = reqs[0].Events[1].ID
	_, err := b.AppendBatch(t.Context(), reqs)
	require.ErrorIs(t, err, eventstore.ErrDuplicateEventID)
	requireLog(t, s, nil)
}

func testBatchSameStreamTwice(t *testing.T, s eventstore.Store, b eventstore.BatchAppender) {
	reqs := []eventstore.AppendRequest{
		{Stream: streamA, Expected: eventstore.NoStream, Events: newEvents(2)},
		{Stream: streamB, Expected: eventstore.NoStream, Events: newEvents(1)},
		{Stream: streamA, Expected: eventstore.Exact(2), Events: newEvents(1)},
	}
	res, err := b.AppendBatch(t.Context(), reqs)
	require.NoError(t, err)
	require.Len(t, res, len(reqs))
	require.Equal(t, []uint64{1, 1, 3}, []uint64{res[0].FirstVersion, res[1].FirstVersion, res[2].FirstVersion})
	for i, r := range reqs {
		requireResult(t, s, r.Stream, res[i], r.Events)
	}
}

func testBatchReplay(t *testing.T, s eventstore.Store, b eventstore.BatchAppender) {
	reqs := threeStreams()
	first, err := b.AppendBatch(t.Context(), reqs)
	require.NoError(t, err)
	moved := newEvents(1)
	mustAppend(t, s, streamA, eventstore.Exact(2), moved)
	again, err := b.AppendBatch(t.Context(), reqs)
	require.NoError(t, err, "a replayed batch succeeds")
	require.Equal(t, first, again, "a replayed batch reports the original results")
	requireLog(t, s, append(eventIDs(batchEvents(reqs)), moved[0].ID))
}
