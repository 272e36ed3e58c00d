package storetest

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Event types of the mixed log the filter cases read.
const (
	typeX = "test.x"
	typeY = "test.y"
	typeZ = "test.z"
)

// logged is an event and the stream it was appended to.
type logged struct {
	stream string
	event  eventstore.EventData
}

// filterRead reads the mixed log through filter and wants the events keep
// selects, in commit order.
type filterRead struct {
	name   string
	filter eventstore.Filter
	keep   func(stream, typ string) bool
}

func readAllCases() []contractCase {
	isCustomer := func(stream string) bool { return strings.HasPrefix(stream, "customer-") }
	filters := []filterRead{
		{"FilterByStreamPrefix", eventstore.Filter{StreamPrefixes: []string{"customer-"}},
			func(stream, _ string) bool { return isCustomer(stream) }},
		{"FilterBySeveralStreamPrefixes", eventstore.Filter{StreamPrefixes: []string{"lead-", streamB}},
			func(stream, _ string) bool { return stream == leadA || stream == streamB }},
		{"FilterByType", eventstore.Filter{Types: []string{typeX}},
			func(_, typ string) bool { return typ == typeX }},
		{"FilterBySeveralTypes", eventstore.Filter{Types: []string{typeX, typeZ}},
			func(_, typ string) bool { return typ != typeY }},
		{"FilterByStreamPrefixAndType", eventstore.Filter{StreamPrefixes: []string{"customer-"}, Types: []string{typeX}},
			func(stream, typ string) bool { return isCustomer(stream) && typ == typeX }},
		{"FilterMatchingNothingReturnsNothing", eventstore.Filter{Types: []string{"test.none"}},
			func(string, string) bool { return false }},
	}
	cases := []contractCase{
		{name: "EmptyLogReturnsNothing", run: testEmptyLog},
		{name: "FromStartReturnsInterleavedAppendsInCommitOrder", run: testCommitOrder},
		{name: "AfterPositionIsExclusive", run: testAfterExclusive},
		{name: "AfterLastPositionReturnsNothing", run: testAfterLast},
		{name: "LimitIsHonoured", run: testReadAllLimit},
	}
	for _, c := range filters {
		cases = append(cases, contractCase{name: c.name, run: c.run})
	}
	return cases
}

// appendMixed appends events of three types to four streams of two
// prefixes, interleaved, waits until the global log shows them, and
// returns them in commit order.
func appendMixed(t testing.TB, s eventstore.Store) []logged {
	t.Helper()
	steps := []struct {
		stream string
		types  []string
	}{
		{streamA, []string{typeX, typeY}},
		{leadA, []string{typeX}},
		{streamB, []string{typeZ}},
		{streamA, []string{typeZ, typeX}},
		{leadA, []string{typeY, typeZ}},
		{streamB, []string{typeX}},
		{streamC, []string{typeY}},
	}
	var out []logged
	for i, step := range steps {
		evs := make([]eventstore.EventData, len(step.types))
		for j, typ := range step.types {
			evs[j] = newEvent(typ, 10*i+j)
			out = append(out, logged{step.stream, evs[j]})
		}
		mustAppend(t, s, step.stream, eventstore.Any, evs)
	}
	settle(t, s, len(out))
	return out
}

// loggedIDs returns the ids of the events keep selects, in order.
func loggedIDs(events []logged, keep func(stream, typ string) bool) []uuid.UUID {
	ids := []uuid.UUID{}
	for _, l := range events {
		if keep(l.stream, l.event.Type) {
			ids = append(ids, l.event.ID)
		}
	}
	return ids
}

// everyEvent keeps every event of the mixed log.
func everyEvent(string, string) bool { return true }

func testEmptyLog(t *testing.T, s eventstore.Store) {
	recs, err := s.ReadAll(t.Context(), eventstore.ReadAllOptions{Limit: 10})
	require.NoError(t, err)
	require.Empty(t, recs)
}

func testCommitOrder(t *testing.T, s eventstore.Store) {
	logs := appendMixed(t, s)
	recs := readAll(t, s, eventstore.Filter{})
	require.Equal(t, loggedIDs(logs, everyEvent), recordIDs(recs), "the global log is in commit order")
	for i, rec := range recs {
		require.Equal(t, logs[i].stream, rec.Stream, "stream of event %d", i)
	}
}

func testAfterExclusive(t *testing.T, s eventstore.Store) {
	logs := appendMixed(t, s)
	want := loggedIDs(logs, everyEvent)
	recs := readAll(t, s, eventstore.Filter{})
	for _, i := range []int{0, 3, len(recs) - 2} {
		page, err := s.ReadAll(t.Context(), eventstore.ReadAllOptions{After: recs[i].Position, Limit: readPage})
		require.NoError(t, err)
		require.Equal(t, want[i+1:], recordIDs(page), "read after the position of event %d", i)
	}
}

func testAfterLast(t *testing.T, s eventstore.Store) {
	appendMixed(t, s)
	last := lastPosition(readAll(t, s, eventstore.Filter{}))
	page, err := s.ReadAll(t.Context(), eventstore.ReadAllOptions{After: last, Limit: readPage})
	require.NoError(t, err)
	require.Empty(t, page)
}

func testReadAllLimit(t *testing.T, s eventstore.Store) {
	logs := appendMixed(t, s)
	want := loggedIDs(logs, everyEvent)
	first, err := s.ReadAll(t.Context(), eventstore.ReadAllOptions{Limit: 4})
	require.NoError(t, err)
	require.NotEmpty(t, first)
	require.LessOrEqual(t, len(first), 4)
	require.Equal(t, want[:len(first)], recordIDs(first), "a limited read is a prefix of the log")
	for _, limit := range []int{1, 3} {
		require.Equal(t, want, recordIDs(readAllPages(t, s, eventstore.Filter{}, limit)), "paging by %d", limit)
	}
}

func (c filterRead) run(t *testing.T, s eventstore.Store) {
	logs := appendMixed(t, s)
	want := loggedIDs(logs, c.keep)
	for _, limit := range []int{readPage, 2, 1} {
		got := readAllPages(t, s, c.filter, limit)
		require.Equal(t, want, recordIDs(got), "paging by %d", limit)
	}
}
