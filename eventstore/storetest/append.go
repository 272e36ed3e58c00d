package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Stream names of the suite. Stores are fresh per case, so fixed names
// cannot collide; the prefixes matter to the filter cases.
const (
	streamA = "customer-a"
	streamB = "customer-b"
	streamC = "customer-c"
	leadA   = "lead-a"
)

// appendOK is an append that must succeed: stored events first (with
// NoStream), then three more with expected.
type appendOK struct {
	name     string
	stored   int
	expected eventstore.ExpectedVersion
}

// appendConflict is an append that must fail its expected-version check
// on a stream holding stored events.
type appendConflict struct {
	name     string
	stored   int
	expected eventstore.ExpectedVersion
}

func appendCases() []contractCase {
	oks := []appendOK{
		{"NoStreamOnNewStreamStartsAtVersionOne", 0, eventstore.NoStream},
		{"ExactAtCurrentVersionAppends", 2, eventstore.Exact(2)},
		{"AnyOnNewStreamAppends", 0, eventstore.Any},
		{"AnyOnExistingStreamAppends", 2, eventstore.Any},
	}
	conflicts := []appendConflict{
		{"NoStreamOnExistingStreamConflicts", 2, eventstore.NoStream},
		{"StaleExactConflicts", 3, eventstore.Exact(2)},
		{"ExactAheadOfStreamConflicts", 2, eventstore.Exact(5)},
		{"ExactOnMissingStreamConflicts", 0, eventstore.Exact(1)},
	}
	var cases []contractCase
	for _, c := range oks {
		cases = append(cases, contractCase{name: c.name, run: c.run})
	}
	for _, c := range conflicts {
		cases = append(cases, contractCase{name: c.name, run: c.run})
	}
	return append(cases, contractCase{name: "ResultsTrackPositionsAcrossStreams", run: testResultsAcrossStreams})
}

func (c appendOK) run(t *testing.T, s eventstore.Store) {
	var before eventstore.AppendResult
	if c.stored > 0 {
		before = mustAppend(t, s, streamA, eventstore.NoStream, newEvents(c.stored))
	}
	evs := newEvents(3)
	res := mustAppend(t, s, streamA, c.expected, evs)
	require.Equal(t, uint64(c.stored+1), res.FirstVersion, "FirstVersion")
	require.Equal(t, uint64(c.stored+3), res.LastVersion, "LastVersion")
	require.Greater(t, res.LastPosition, before.LastPosition, "LastPosition must grow")
	requireResult(t, s, streamA, res, evs)
	require.Equal(t, versionRange(1, res.LastVersion), versions(readStream(t, s, streamA, eventstore.ReadStreamOptions{})))
}

func (c appendConflict) run(t *testing.T, s eventstore.Store) {
	stored := newEvents(c.stored)
	if c.stored > 0 {
		mustAppend(t, s, streamA, eventstore.NoStream, stored)
	}
	rejected := newEvents(2)
	_, err := s.Append(t.Context(), streamA, c.expected, rejected)
	requireConflict(t, err, streamA, c.expected, uint64(c.stored))
	requireLog(t, s, eventIDs(stored))
	// The rejected append reserved none of its ids: with the right
	// expectation the same events are stored, once.
	res := mustAppend(t, s, streamA, eventstore.Exact(uint64(c.stored)), rejected)
	requireResult(t, s, streamA, res, rejected)
	requireLog(t, s, eventIDs(concat(stored, rejected)))
}

func testResultsAcrossStreams(t *testing.T, s eventstore.Store) {
	steps := []struct {
		stream      string
		events      int
		first, last uint64
	}{
		{streamA, 2, 1, 2},
		{streamB, 1, 1, 1},
		{leadA, 3, 1, 3},
		{streamA, 1, 3, 3},
		{streamB, 2, 2, 3},
	}
	var prev uint64
	for _, step := range steps {
		evs := newEvents(step.events)
		res := mustAppend(t, s, step.stream, eventstore.Any, evs)
		require.Equal(t, step.first, res.FirstVersion, "FirstVersion in %s", step.stream)
		require.Equal(t, step.last, res.LastVersion, "LastVersion in %s", step.stream)
		require.Greater(t, res.LastPosition, prev, "LastPosition must grow in commit order")
		requireResult(t, s, step.stream, res, evs)
		prev = res.LastPosition
	}
}

// requireResult requires res to say where events are stored in stream:
// their versions run from FirstVersion to LastVersion, and the last one is
// at LastPosition.
func requireResult(t testing.TB, s eventstore.Store, stream string, res eventstore.AppendResult, events []eventstore.EventData) {
	t.Helper()
	require.Equal(t, res.FirstVersion+uint64(len(events))-1, res.LastVersion, "result spans the events appended")
	recs := readStream(t, s, stream, eventstore.ReadStreamOptions{From: res.FirstVersion, Limit: len(events)})
	require.Equal(t, eventIDs(events), recordIDs(recs), "events stored at the versions the result reports")
	require.Equal(t, res.LastVersion, recs[len(recs)-1].Version, "LastVersion")
	require.Equal(t, res.LastPosition, recs[len(recs)-1].Position, "LastPosition")
}
