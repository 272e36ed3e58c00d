package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

func roundTripCases() []contractCase {
	return []contractCase{
		{name: "EveryFieldComesBackEqual", run: testEveryField},
		{name: "ReadAllReturnsTheSameRecordsAsReadStream", run: testReadAllMatchesReadStream},
		{name: "RecordedAtIsUTCMicroseconds", run: testRecordedAt},
		{name: "HashChainsToPredecessor", run: testHashChain},
		{name: "StoreKeepsItsOwnCopyOfBytes", run: testOwnCopy},
	}
}

// variedEvents returns events that differ in every field, with payloads
// an adapter might be tempted to rewrite: whitespace and key order that
// JSONB normalises, escapes, non-ASCII text, an array, a large document.
func variedEvents() []eventstore.EventData {
	payloads := []string{
		`{ "z" : 1,  "a" : [true, null, 2.50], "nested": {"b": "x", "a": "y"} }`,
		`{"name":"Zo\u00eb","emoji":"🙂","quote":"\"q\"","newline":"a\nb"}`,
		`[1, "two", {"three": 3}]`,
		`{"blob":"` + string(bytes.Repeat([]byte("0123456789abcdef"), 4096)) + `"}`,
	}
	evs := make([]eventstore.EventData, len(payloads))
	for i, p := range payloads {
		evs[i] = newEvent("test.varied."+string(rune('a'+i)), i)
		evs[i].SchemaVersion = i + 1
		evs[i].Data = []byte(p)
	}
	evs[1].Metadata = eventstore.Metadata{Actor: "user:zoë@example.com", CommandID: uuid.New()}
	evs[2].Metadata = eventstore.Metadata{}
	evs[3].OccurredAt = time.Date(1997, time.January, 1, 0, 0, 0, 999, time.UTC)
	return evs
}

func testEveryField(t *testing.T, s eventstore.Store) {
	evs := variedEvents()
	mustAppend(t, s, streamA, eventstore.NoStream, evs[:2])
	mustAppend(t, s, streamA, eventstore.Exact(2), evs[2:])
	recs := readStream(t, s, streamA, eventstore.ReadStreamOptions{})
	require.Len(t, recs, len(evs))
	var prev uint64
	for i, rec := range recs {
		requireEventData(t, evs[i], rec)
		require.Equal(t, streamA, rec.Stream, "Stream")
		require.Equal(t, uint64(i+1), rec.Version, "Version")
		require.Greater(t, rec.Position, prev, "Position must be set and grow")
		prev = rec.Position
	}
}

// requireEventData requires rec to hold want as appended, its business
// time normalised by [eventstore.Micro].
func requireEventData(t testing.TB, want eventstore.EventData, rec eventstore.Record) {
	t.Helper()
	require.Equal(t, want.ID, rec.ID, "ID")
	require.Equal(t, want.Type, rec.Type, "Type")
	require.Equal(t, want.SchemaVersion, rec.SchemaVersion, "SchemaVersion")
	require.Equal(t, string(want.Data), string(rec.Data), "Data must come back byte for byte")
	require.Equal(t, want.Metadata, rec.Metadata, "Metadata")
	wantAt := eventstore.Micro(want.OccurredAt)
	require.Truef(t, wantAt.Equal(rec.OccurredAt), "OccurredAt: want %s, got %s", wantAt, rec.OccurredAt)
	require.Equal(t, time.UTC, rec.OccurredAt.Location(), "OccurredAt must be in UTC")
}

func testReadAllMatchesReadStream(t *testing.T, s eventstore.Store) {
	evs := variedEvents()
	mustAppend(t, s, streamA, eventstore.NoStream, evs[:3])
	mustAppend(t, s, streamB, eventstore.NoStream, evs[3:])
	settle(t, s, len(evs))
	all := readAll(t, s, eventstore.Filter{})
	perStream := append(readStream(t, s, streamA, eventstore.ReadStreamOptions{}),
		readStream(t, s, streamB, eventstore.ReadStreamOptions{})...)
	require.Len(t, all, len(perStream))
	for i := range all {
		requireSameRecord(t, perStream[i], all[i])
	}
}

// requireSameRecord requires two reads of one event to agree on every
// field; times are compared as instants.
func requireSameRecord(t testing.TB, want, got eventstore.Record) {
	t.Helper()
	require.Truef(t, want.OccurredAt.Equal(got.OccurredAt), "OccurredAt of %s", want.ID)
	require.Truef(t, want.RecordedAt.Equal(got.RecordedAt), "RecordedAt of %s", want.ID)
	want.OccurredAt, got.OccurredAt = time.Time{}, time.Time{}
	want.RecordedAt, got.RecordedAt = time.Time{}, time.Time{}
	require.Equal(t, want, got)
}

func testRecordedAt(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, streamA, eventstore.NoStream, newEvents(2))
	mustAppend(t, s, streamA, eventstore.Any, newEvents(1))
	for _, rec := range readStream(t, s, streamA, eventstore.ReadStreamOptions{}) {
		require.False(t, rec.RecordedAt.IsZero(), "RecordedAt must be set")
		require.Equal(t, time.UTC, rec.RecordedAt.Location(), "RecordedAt must be in UTC")
		require.Zero(t, rec.RecordedAt.Nanosecond()%int(time.Microsecond), "RecordedAt must have microsecond precision")
	}
}

func testHashChain(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, streamA, eventstore.NoStream, newEvents(2))
	mustAppend(t, s, streamB, eventstore.NoStream, newEvents(1))
	mustAppend(t, s, streamA, eventstore.Exact(2), newEvents(2))
	for _, stream := range []string{streamA, streamB} {
		var prev []byte
		for _, rec := range readStream(t, s, stream, eventstore.ReadStreamOptions{}) {
			require.Len(t, rec.Hash, eventstore.HashSize)
			require.Equalf(t, eventstore.ChainHash(prev, rec), rec.Hash, "hash of %s version %d", stream, rec.Version)
			prev = rec.Hash
		}
	}
}

// testOwnCopy scribbles over the caller's payload after Append and over
// the bytes a read returned: stored history must not change.
func testOwnCopy(t *testing.T, s eventstore.Store) {
	evs := newEvents(1)
	want := bytes.Clone(evs[0].Data)
	mustAppend(t, s, streamA, eventstore.NoStream, evs)
	scribble(evs[0].Data)
	first := readStream(t, s, streamA, eventstore.ReadStreamOptions{})
	wantHash := bytes.Clone(first[0].Hash)
	scribble(first[0].Data)
	scribble(first[0].Hash)
	again := readStream(t, s, streamA, eventstore.ReadStreamOptions{})
	require.Equal(t, string(want), string(again[0].Data), "stored payload changed with a caller's buffer")
	require.Equal(t, wantHash, again[0].Hash, "stored hash changed with a caller's buffer")
}

func scribble(b []byte) {
	for i := range b {
		b[i] = 'x'
	}
}
