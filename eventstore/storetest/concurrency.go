package storetest

import (
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Sizes of the races: enough goroutines to contend on two cores, few
// enough rounds to keep a server-backed run within seconds.
const (
	racers       = 16
	raceRounds   = 8
	appendsEach  = 12
	maxAppendLen = 2
)

// attempt is one append of a race and its outcome.
type attempt struct {
	events []eventstore.EventData
	res    eventstore.AppendResult
	err    error
}

func concurrencyCases() []contractCase {
	return []contractCase{
		{name: "ExactRaceHasOneWinnerPerVersion", run: testExactRace},
		{name: "ConcurrentAnyAppendsLeaveNoGap", run: testAnyRace},
	}
}

// testExactRace lets racers append at Exact(v) at once, round after
// round: each round exactly one wins, the others get a conflict that
// names the winner's version, and the stream has no gap.
func testExactRace(t *testing.T, s eventstore.Store) {
	var winners []uuid.UUID
	for v := range uint64(raceRounds) {
		won := -1
		for i, a := range raceRound(t, s, v) {
			if a.err != nil {
				requireConflict(t, a.err, streamA, eventstore.Exact(v), v+1)
				continue
			}
			require.Equalf(t, -1, won, "racers %d and %d both won version %d", won, i, v+1)
			require.Equal(t, v+1, a.res.LastVersion, "the winner's version")
			won = i
			winners = append(winners, a.events[0].ID)
		}
		require.NotEqualf(t, -1, won, "no racer won version %d", v+1)
	}
	recs := readStream(t, s, streamA, eventstore.ReadStreamOptions{})
	require.Equal(t, versionRange(1, raceRounds), versions(recs), "no gap")
	require.Equal(t, winners, recordIDs(recs), "the winners' events, in order")
}

// raceRound releases racers appends of one event each at Exact(v)
// together and returns their outcomes.
func raceRound(t testing.TB, s eventstore.Store, v uint64) []attempt {
	t.Helper()
	out := make([]attempt, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range out {
		out[i].events = []eventstore.EventData{newEvent(typeNoted, i)}
		wg.Go(func() {
			<-start
			out[i].res, out[i].err = appendWithin(t.Context(), s, streamA, eventstore.Exact(v), out[i].events)
		})
	}
	close(start)
	wg.Wait()
	return out
}

// testAnyRace lets racers append to one stream with Any at once: every
// append succeeds, the stream holds versions 1..N without gap or
// duplicate, and each append's events sit together where its result says.
func testAnyRace(t *testing.T, s eventstore.Store) {
	attempts := make([][]attempt, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Go(func() {
			<-start
			for k := range appendsEach {
				a := attempt{events: newEvents(1 + (i+k)%maxAppendLen)}
				a.res, a.err = appendWithin(t.Context(), s, streamA, eventstore.Any, a.events)
				attempts[i] = append(attempts[i], a)
			}
		})
	}
	close(start)
	wg.Wait()
	recs := readStream(t, s, streamA, eventstore.ReadStreamOptions{})
	total := 0
	for _, mine := range attempts {
		for _, a := range mine {
			require.NoError(t, a.err)
			total += len(a.events)
			require.True(t, a.res.FirstVersion >= 1 && a.res.LastVersion <= uint64(len(recs)), "result %+v within the stream", a.res)
			got := recs[a.res.FirstVersion-1 : a.res.LastVersion]
			require.Equal(t, eventIDs(a.events), recordIDs(got), "one append's events are contiguous")
			require.Equal(t, a.res.LastPosition, got[len(got)-1].Position)
		}
	}
	require.Equal(t, versionRange(1, uint64(total)), versions(recs), "versions 1..N without gap or duplicate")
}
