package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// replay appends three events with NoStream, then the same events again
// with expected: whatever expected says, the retry must succeed with the
// original result and store nothing.
type replay struct {
	name     string
	expected eventstore.ExpectedVersion
}

// reusedID stores one event, then appends an event with its id but with
// content changed by alter: ErrDuplicateEventID, nothing stored.
type reusedID struct {
	name  string
	alter func(ev *eventstore.EventData)
}

func idempotencyCases() []contractCase {
	replays := []replay{
		{"ReplayWithStaleNoStreamReturnsOriginalResult", eventstore.NoStream},
		{"ReplayWithAnyReturnsOriginalResult", eventstore.Any},
		{"ReplayWithCurrentExactReturnsOriginalResult", eventstore.Exact(3)},
		{"ReplayWithExactAheadReturnsOriginalResult", eventstore.Exact(9)},
	}
	reused := []reusedID{
		{"SameIDWithOtherDataIsDuplicate", func(ev *eventstore.EventData) { ev.Data = []byte(`{"n":-1}`) }},
		{"SameIDWithOtherTypeIsDuplicate", func(ev *eventstore.EventData) { ev.Type = "test.other" }},
		{"SameIDWithOtherSchemaVersionIsDuplicate", func(ev *eventstore.EventData) { ev.SchemaVersion = 2 }},
		{"SameIDWithOtherOccurredAtIsDuplicate", func(ev *eventstore.EventData) { ev.OccurredAt = ev.OccurredAt.Add(time.Second) }},
		{"SameIDWithOtherMetadataIsDuplicate", func(ev *eventstore.EventData) { ev.Metadata.Actor = "user:mallory" }},
	}
	var cases []contractCase
	for _, c := range replays {
		cases = append(cases, contractCase{name: c.name, run: c.run})
	}
	for _, c := range reused {
		cases = append(cases, contractCase{name: c.name, run: c.run})
	}
	return append(cases,
		contractCase{name: "ReplayAfterStreamMovedOnReturnsOriginalResult", run: testReplayAfterStreamMovedOn},
		contractCase{name: "ReplayOfStoredTailReturnsItsPlace", run: testReplayOfTail},
		contractCase{name: "ReplaySpanningSeveralAppendsReturnsTheirPlace", run: testReplaySpanningAppends},
		contractCase{name: "PartialOverlapStoredThenNewIsDuplicate", run: testPartialOverlap(true)},
		contractCase{name: "PartialOverlapNewThenStoredIsDuplicate", run: testPartialOverlap(false)},
		contractCase{name: "ReorderedReplayIsDuplicate", run: testReorderedReplay},
		contractCase{name: "SameIDInAnotherStreamIsDuplicate", run: testSameIDInAnotherStream},
	)
}

func (c replay) run(t *testing.T, s eventstore.Store) {
	evs := newEvents(3)
	first := mustAppend(t, s, streamA, eventstore.NoStream, evs)
	again := mustAppend(t, s, streamA, c.expected, evs)
	require.Equal(t, first, again, "a replay reports the original result")
	requireLog(t, s, eventIDs(evs))
}

func (c reusedID) run(t *testing.T, s eventstore.Store) {
	stored := newEvents(1)
	mustAppend(t, s, streamA, eventstore.NoStream, stored)
	other := stored[0]
	c.alter(&other)
	_, err := s.Append(t.Context(), streamA, eventstore.Any, []eventstore.EventData{other})
	require.ErrorIs(t, err, eventstore.ErrDuplicateEventID)
	requireLog(t, s, eventIDs(stored))
}

func testReplayAfterStreamMovedOn(t *testing.T, s eventstore.Store) {
	evs := newEvents(2)
	first := mustAppend(t, s, streamA, eventstore.NoStream, evs)
	later := newEvents(2)
	mustAppend(t, s, streamB, eventstore.NoStream, later[:1])
	mustAppend(t, s, streamA, eventstore.Exact(2), later[1:])
	again := mustAppend(t, s, streamA, eventstore.NoStream, evs)
	require.Equal(t, first, again, "a replay reports the original result after the stream moved on")
	requireLog(t, s, eventIDs(concat(evs, later)))
}

// testReplayOfTail replays the last events of an earlier append alone:
// they are stored, identically and in order, so the retry succeeds.
func testReplayOfTail(t *testing.T, s eventstore.Store) {
	evs := newEvents(3)
	first := mustAppend(t, s, streamA, eventstore.NoStream, evs)
	again := mustAppend(t, s, streamA, eventstore.NoStream, evs[1:])
	require.Equal(t, eventstore.AppendResult{FirstVersion: 2, LastVersion: 3, LastPosition: first.LastPosition}, again)
	requireLog(t, s, eventIDs(evs))
}

// testReplaySpanningAppends replays, in one call, events of one stream
// that separate appends stored with another stream's event between them
// in the global log: they are stored in order in the stream, so the
// retry succeeds.
func testReplaySpanningAppends(t *testing.T, s eventstore.Store) {
	evs := newEvents(3)
	mustAppend(t, s, streamA, eventstore.NoStream, evs[:1])
	mustAppend(t, s, streamB, eventstore.NoStream, evs[1:2])
	second := mustAppend(t, s, streamA, eventstore.Exact(1), evs[2:])
	again := mustAppend(t, s, streamA, eventstore.NoStream, []eventstore.EventData{evs[0], evs[2]})
	require.Equal(t, eventstore.AppendResult{FirstVersion: 1, LastVersion: 2, LastPosition: second.LastPosition}, again)
	requireLog(t, s, eventIDs(evs))
}

// testPartialOverlap appends a stored event together with a new one: the
// call is neither a replay nor new, so it fails and stores nothing, and
// the new event's id stays free.
func testPartialOverlap(storedFirst bool) func(t *testing.T, s eventstore.Store) {
	return func(t *testing.T, s eventstore.Store) {
		stored := newEvents(2)
		mustAppend(t, s, streamA, eventstore.NoStream, stored)
		fresh := newEvent(typeNoted, 9)
		mixed := []eventstore.EventData{stored[1], fresh}
		if !storedFirst {
			mixed = []eventstore.EventData{fresh, stored[0]}
		}
		_, err := s.Append(t.Context(), streamA, eventstore.Any, mixed)
		require.ErrorIs(t, err, eventstore.ErrDuplicateEventID)
		requireLog(t, s, eventIDs(stored))
		mustAppend(t, s, streamA, eventstore.Exact(2), []eventstore.EventData{fresh})
		requireLog(t, s, eventIDs(append(stored, fresh)))
	}
}

func testReorderedReplay(t *testing.T, s eventstore.Store) {
	evs := newEvents(2)
	mustAppend(t, s, streamA, eventstore.NoStream, evs)
	_, err := s.Append(t.Context(), streamA, eventstore.Any, []eventstore.EventData{evs[1], evs[0]})
	require.ErrorIs(t, err, eventstore.ErrDuplicateEventID, "stored events out of order are no replay")
	requireLog(t, s, eventIDs(evs))
}

func testSameIDInAnotherStream(t *testing.T, s eventstore.Store) {
	evs := newEvents(1)
	mustAppend(t, s, streamA, eventstore.NoStream, evs)
	_, err := s.Append(t.Context(), streamB, eventstore.NoStream, evs)
	require.ErrorIs(t, err, eventstore.ErrDuplicateEventID)
	requireLog(t, s, eventIDs(evs))
	requireStreamMissing(t, s, streamB)
}
