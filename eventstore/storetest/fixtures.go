package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// baseTime is the business time of the first test event. It carries
// nanoseconds and a zone other than UTC, so that every case also checks
// that the store normalises times to microseconds in UTC.
var baseTime = time.Date(2025, time.March, 1, 9, 30, 15, 123456789, time.FixedZone("UTC+2", 2*60*60))

// guard bounds each single operation and each wait for the next batch of
// a subscription. It only turns a hang into a failure: no case relies on
// it for synchronisation, and a slow store that keeps making progress
// never meets it, however long a case takes.
const guard = 10 * time.Second

// readPage is the page size the suite reads the global log with.
const readPage = 1000

// typeNoted is the event type of test events unless a case needs another.
const typeNoted = "test.noted"

// newEvent returns a valid event of type typ whose payload and business
// time derive from n.
func newEvent(typ string, n int) eventstore.EventData {
	return eventstore.EventData{
		ID:            uuid.New(),
		Type:          typ,
		SchemaVersion: 1,
		Data:          fmt.Appendf(nil, `{"n":%d,"note":"storetest"}`, n),
		OccurredAt:    baseTime.Add(time.Duration(n) * time.Second),
		Metadata: eventstore.Metadata{
			Actor:         "user:storetest",
			CommandID:     uuid.New(),
			CorrelationID: uuid.New(),
			CausationID:   uuid.New(),
		},
	}
}

// newEvents returns n valid events of type typeNoted.
func newEvents(n int) []eventstore.EventData {
	evs := make([]eventstore.EventData, n)
	for i := range evs {
		evs[i] = newEvent(typeNoted, i)
	}
	return evs
}

// mustAppend appends events and requires success.
func mustAppend(t testing.TB, s eventstore.Store, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) eventstore.AppendResult {
	t.Helper()
	res, err := s.Append(t.Context(), stream, expected, events)
	require.NoErrorf(t, err, "append %d events to %s expecting %s", len(events), stream, expected)
	return res
}

// readStream reads a stream and requires success.
func readStream(t testing.TB, s eventstore.Store, stream string, opts eventstore.ReadStreamOptions) []eventstore.Record {
	t.Helper()
	recs, err := s.ReadStream(t.Context(), stream, opts)
	require.NoErrorf(t, err, "read stream %s with %+v", stream, opts)
	return recs
}

// readAll reads the whole global log (through filter), page by page.
func readAll(t testing.TB, s eventstore.Store, filter eventstore.Filter) []eventstore.Record {
	t.Helper()
	return readAllPages(t, s, filter, readPage)
}

// settle waits until the global log shows at least n events. ReadAll
// returns a gap-free prefix, which may trail appends that have already
// returned (PostgreSQL's holds back behind any transaction in flight in
// the cluster), so a case that reads the whole log waits for it first. It
// waits on a subscription, which blocks until more is visible, rather
// than polling.
func settle(t testing.TB, s eventstore.Store, n int) {
	t.Helper()
	if n == 0 {
		return
	}
	sub, err := s.Subscribe(t.Context(), eventstore.SubscribeOptions{})
	require.NoError(t, err)
	defer func() { _ = sub.Close() }()
	_, err = gather(t.Context(), sub, n, eventstore.DefaultMaxBatch)
	require.NoErrorf(t, err, "the global log must show %d events", n)
}

// readAllPages reads the global log through filter in pages of at most
// limit events until a read returns none, and requires every page to
// honour the limit and positions to increase strictly.
func readAllPages(t testing.TB, s eventstore.Store, filter eventstore.Filter, limit int) []eventstore.Record {
	t.Helper()
	var out []eventstore.Record
	for {
		after := lastPosition(out)
		page, err := s.ReadAll(t.Context(), eventstore.ReadAllOptions{After: after, Limit: limit, Filter: filter})
		require.NoErrorf(t, err, "read all after %d", after)
		require.LessOrEqualf(t, len(page), limit, "read all after %d returned more than the limit", after)
		if len(page) == 0 {
			requireIncreasing(t, out)
			return out
		}
		require.Greaterf(t, page[0].Position, after, "read all after %d returned an event at or before it", after)
		out = append(out, page...)
	}
}

// requireIncreasing requires positions to increase strictly.
func requireIncreasing(t testing.TB, recs []eventstore.Record) {
	t.Helper()
	for i := 1; i < len(recs); i++ {
		require.Greaterf(t, recs[i].Position, recs[i-1].Position, "position of event %d (%s)", i, recs[i].ID)
	}
}

// lastPosition returns the position of the last record, 0 for none.
func lastPosition(recs []eventstore.Record) uint64 {
	if len(recs) == 0 {
		return 0
	}
	return recs[len(recs)-1].Position
}

// eventIDs returns the ids of events, in order.
func eventIDs(events []eventstore.EventData) []uuid.UUID {
	ids := make([]uuid.UUID, len(events))
	for i, ev := range events {
		ids[i] = ev.ID
	}
	return ids
}

// recordIDs returns the ids of records, in order.
func recordIDs(recs []eventstore.Record) []uuid.UUID {
	ids := make([]uuid.UUID, len(recs))
	for i, rec := range recs {
		ids[i] = rec.ID
	}
	return ids
}

// versions returns the stream versions of records, in order.
func versions(recs []eventstore.Record) []uint64 {
	vs := make([]uint64, len(recs))
	for i, rec := range recs {
		vs[i] = rec.Version
	}
	return vs
}

// versionRange returns from, from+1, ..., to; descending when from > to.
func versionRange(from, to uint64) []uint64 {
	var vs []uint64
	for v := from; ; {
		vs = append(vs, v)
		switch {
		case v == to:
			return vs
		case from < to:
			v++
		default:
			v--
		}
	}
}

// concat joins event lists.
func concat(lists ...[]eventstore.EventData) []eventstore.EventData {
	var out []eventstore.EventData
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// requireLog requires the global log to hold exactly want, in order: the
// check that a failed call stored nothing.
func requireLog(t testing.TB, s eventstore.Store, want []uuid.UUID) {
	t.Helper()
	settle(t, s, len(want))
	got := recordIDs(readAll(t, s, eventstore.Filter{}))
	if len(want) == 0 {
		require.Empty(t, got, "the global log must be empty")
		return
	}
	require.Equal(t, want, got, "the global log must hold exactly these events")
}

// requireStreamMissing requires stream to hold no event.
func requireStreamMissing(t testing.TB, s eventstore.Store, stream string) {
	t.Helper()
	_, err := s.ReadStream(t.Context(), stream, eventstore.ReadStreamOptions{})
	require.ErrorIsf(t, err, eventstore.ErrStreamNotFound, "stream %s must not exist", stream)
}

// requireConflict requires err to report a failed expected-version check
// both as the sentinel and as a *ConflictError with these fields.
func requireConflict(t testing.TB, err error, stream string, expected eventstore.ExpectedVersion, actual uint64) {
	t.Helper()
	require.ErrorIs(t, err, eventstore.ErrWrongExpectedVersion)
	var conflict *eventstore.ConflictError
	require.ErrorAs(t, err, &conflict)
	require.Equal(t, eventstore.ConflictError{Stream: stream, Expected: expected, Actual: actual}, *conflict)
}

// appendWithin appends with a context that ends after guard: the
// bound on each append of the concurrent cases.
func appendWithin(ctx context.Context, s eventstore.Store, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	ctx, cancel := context.WithTimeout(ctx, guard)
	defer cancel()
	return s.Append(ctx, stream, expected, events)
}

// guarded returns a context for one operation: it ends when the test
// does or the guard expires.
func guarded(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), guard)
	t.Cleanup(cancel)
	return ctx
}
