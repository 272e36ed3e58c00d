package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Sizes of the subscription load case: several writers on several
// streams, the total matching the order of a small import.
const (
	loadWriters = 8
	loadStreams = 5
	loadEvents  = 2000
)

func subscriptionCases() []contractCase {
	return []contractCase{
		{name: "FromStartDeliversHistoryThenLive", run: testSubscribeFromStart},
		{name: "FromPositionIsExclusive", run: testSubscribeFromPosition},
		{name: "FilterNarrowsDelivery", run: testSubscribeFilter},
		{name: "ConcurrentAppendsDeliveredExactlyOnceInOrder", run: testSubscribeUnderLoad},
		{name: "MaxBatchIsHonoured", run: testMaxBatch},
		{name: "DefaultMaxBatchIsHonoured", run: testDefaultMaxBatch},
		{name: "NextReturnsContextErrorWhileWaiting", run: testNextContextDone},
		{name: "CloseMakesNextReturnErrClosed", run: testSubscriptionClose},
		{name: "EndsWhenSubscribeContextIsDone", run: testSubscribeContextDone},
	}
}

// subscribe starts a subscription that the test's cleanup closes.
func subscribe(t testing.TB, s eventstore.Store, opts eventstore.SubscribeOptions) eventstore.Subscription {
	t.Helper()
	sub, err := s.Subscribe(t.Context(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = sub.Close() })
	return sub
}

// gather calls Next until it has n events, each batch non-empty and at
// most maxBatch long; a wait longer than guard for one batch fails it.
func gather(ctx context.Context, sub eventstore.Subscription, n, maxBatch int) ([]eventstore.Record, error) {
	var got []eventstore.Record
	for len(got) < n {
		batch, err := nextWithin(ctx, sub)
		switch {
		case err != nil:
			return got, fmt.Errorf("next after %d of %d events: %w", len(got), n, err)
		case len(batch) == 0 || len(batch) > maxBatch:
			return got, fmt.Errorf("next after %d events returned a batch of %d, want 1..%d", len(got), len(batch), maxBatch)
		}
		got = append(got, batch...)
	}
	return got, nil
}

// nextWithin calls Next with a context that ends after guard.
func nextWithin(ctx context.Context, sub eventstore.Subscription) ([]eventstore.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, guard)
	defer cancel()
	return sub.Next(ctx)
}

// collect requires the next n events of sub, and no more.
func collect(t testing.TB, sub eventstore.Subscription, n int) []eventstore.Record {
	t.Helper()
	got, err := gather(t.Context(), sub, n, eventstore.DefaultMaxBatch)
	require.NoError(t, err)
	require.Len(t, got, n, "the subscription delivered more events than expected")
	return got
}

// collectAsync collects the next n events of sub on another goroutine,
// so that the test can append them while Next waits; the returned
// function waits for them. The test must not use sub until then.
func collectAsync(t testing.TB, sub eventstore.Subscription, n int) func() []eventstore.Record {
	ctx := t.Context()
	type result struct {
		recs []eventstore.Record
		err  error
	}
	done := make(chan result, 1)
	go func() {
		recs, err := gather(ctx, sub, n, eventstore.DefaultMaxBatch)
		done <- result{recs, err}
	}()
	return func() []eventstore.Record {
		t.Helper()
		r := <-done
		require.NoError(t, r.err)
		require.Len(t, r.recs, n, "the subscription delivered more events than expected")
		return r.recs
	}
}

// requireDeliveredLog requires delivered to be exactly what ReadAll
// returns through filter.
func requireDeliveredLog(t testing.TB, s eventstore.Store, filter eventstore.Filter, delivered []eventstore.Record) {
	t.Helper()
	want := readAll(t, s, filter)
	require.Equal(t, recordIDs(want), recordIDs(delivered), "the subscription delivers what ReadAll returns")
	for i := range want {
		requireSameRecord(t, want[i], delivered[i])
	}
}

func testSubscribeFromStart(t *testing.T, s eventstore.Store) {
	history, live := newEvents(3), newEvents(2)
	mustAppend(t, s, streamA, eventstore.NoStream, history[:2])
	mustAppend(t, s, streamB, eventstore.NoStream, history[2:])
	sub := subscribe(t, s, eventstore.SubscribeOptions{})
	got := collect(t, sub, len(history))
	require.Equal(t, eventIDs(history), recordIDs(got), "history")
	wait := collectAsync(t, sub, len(live))
	mustAppend(t, s, streamA, eventstore.Exact(2), live[:1])
	mustAppend(t, s, leadA, eventstore.NoStream, live[1:])
	got = append(got, wait()...)
	require.Equal(t, eventIDs(concat(history, live)), recordIDs(got), "history, then live events")
	requireDeliveredLog(t, s, eventstore.Filter{}, got)
}

func testSubscribeFromPosition(t *testing.T, s eventstore.Store) {
	evs, live := newEvents(6), newEvents(1)
	mustAppend(t, s, streamA, eventstore.NoStream, evs[:3])
	mustAppend(t, s, streamB, eventstore.NoStream, evs[3:])
	settle(t, s, len(evs))
	logged := readAll(t, s, eventstore.Filter{})
	require.Len(t, logged, len(evs))
	start := logged[2].Position
	sub := subscribe(t, s, eventstore.SubscribeOptions{After: start})
	require.Equal(t, eventIDs(evs[3:]), recordIDs(collect(t, sub, 3)), "only events after the start position")
	wait := collectAsync(t, sub, 1)
	mustAppend(t, s, streamA, eventstore.Exact(3), live)
	require.Equal(t, eventIDs(live), recordIDs(wait()), "then live events")
}

// testSubscribeFilter delivers the matching part of a mixed history, then
// skips live events that do not match until a matching one arrives.
func testSubscribeFilter(t *testing.T, s eventstore.Store) {
	filter := eventstore.Filter{StreamPrefixes: []string{"customer-"}, Types: []string{typeX}}
	keep := func(stream, typ string) bool { return stream != leadA && typ == typeX }
	want := loggedIDs(appendMixed(t, s), keep)
	sub := subscribe(t, s, eventstore.SubscribeOptions{Filter: filter})
	require.Equal(t, want, recordIDs(collect(t, sub, len(want))), "matching history")
	wait := collectAsync(t, sub, 1)
	mustAppend(t, s, leadA, eventstore.Any, []eventstore.EventData{newEvent(typeX, 1)})
	mustAppend(t, s, streamA, eventstore.Any, []eventstore.EventData{newEvent(typeY, 2)})
	match := newEvent(typeX, 3)
	mustAppend(t, s, streamB, eventstore.Any, []eventstore.EventData{match})
	require.Equal(t, match.ID, wait()[0].ID, "the next matching live event, nothing else")
}

// testSubscribeUnderLoad subscribes before writers race to append to
// several streams: every event arrives exactly once, in position order,
// as ReadAll returns them; a fence event then proves nothing more came.
func testSubscribeUnderLoad(t *testing.T, s eventstore.Store) {
	sub := subscribe(t, s, eventstore.SubscribeOptions{})
	wait := collectAsync(t, sub, loadEvents)
	appendLoad(t, s)
	got := wait()
	requireIncreasing(t, got)
	requireDeliveredLog(t, s, eventstore.Filter{}, got)
	fence := newEvents(1)
	mustAppend(t, s, streamA, eventstore.Any, fence)
	require.Equal(t, eventIDs(fence), recordIDs(collect(t, sub, 1)), "no event delivered twice")
}

// appendLoad appends loadEvents events from loadWriters goroutines, in
// appends of one to three events spread over loadStreams streams.
func appendLoad(t testing.TB, s eventstore.Store) {
	t.Helper()
	errs := make([]error, loadWriters)
	var wg sync.WaitGroup
	for w := range loadWriters {
		wg.Go(func() {
			for n, k := 0, 0; n < loadEvents/loadWriters; k++ {
				size := min(1+k%3, loadEvents/loadWriters-n)
				stream := fmt.Sprintf("customer-%d", (w+k)%loadStreams)
				if _, errs[w] = appendWithin(t.Context(), s, stream, eventstore.Any, newEvents(size)); errs[w] != nil {
					return
				}
				n += size
			}
		})
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
}

func testMaxBatch(t *testing.T, s eventstore.Store) {
	const maxBatch = 3
	evs := newEvents(10)
	mustAppend(t, s, streamA, eventstore.NoStream, evs)
	sub := subscribe(t, s, eventstore.SubscribeOptions{MaxBatch: maxBatch})
	got, err := gather(t.Context(), sub, len(evs), maxBatch)
	require.NoError(t, err)
	require.Equal(t, eventIDs(evs), recordIDs(got))
}

func testDefaultMaxBatch(t *testing.T, s eventstore.Store) {
	const n, batch = eventstore.DefaultMaxBatch + 88, 100
	evs := newEvents(n)
	for i := 0; i < n; i += batch {
		mustAppend(t, s, streamA, eventstore.Any, evs[i:min(i+batch, n)])
	}
	sub := subscribe(t, s, eventstore.SubscribeOptions{})
	require.Equal(t, eventIDs(evs), recordIDs(collect(t, sub, n)))
}

// testNextContextDone waits on a caught-up subscription with a context
// that expires, then with one that another goroutine cancels.
func testNextContextDone(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, streamA, eventstore.NoStream, newEvents(1))
	sub := subscribe(t, s, eventstore.SubscribeOptions{})
	collect(t, sub, 1)
	expiring, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	_, err := sub.Next(expiring)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	cancelled, cancel := context.WithCancel(t.Context())
	go cancel()
	_, err = sub.Next(cancelled)
	require.ErrorIs(t, err, context.Canceled)
}

func testSubscriptionClose(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, streamA, eventstore.NoStream, newEvents(1))
	sub := subscribe(t, s, eventstore.SubscribeOptions{})
	collect(t, sub, 1)
	require.NoError(t, sub.Close())
	mustAppend(t, s, streamA, eventstore.Exact(1), newEvents(1))
	_, err := sub.Next(guarded(t))
	require.ErrorIs(t, err, eventstore.ErrClosed, "a closed subscription delivers nothing")
	require.NoError(t, sub.Close(), "Close is idempotent")
}

// testSubscribeContextDone cancels the context a subscription was started
// with: the subscription ends, and Next fails instead of waiting.
func testSubscribeContextDone(t *testing.T, s eventstore.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	sub, err := s.Subscribe(ctx, eventstore.SubscribeOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sub.Close() })
	cancel()
	_, err = sub.Next(guarded(t))
	require.Error(t, err)
	require.NotErrorIs(t, err, context.DeadlineExceeded, "Next waited for its own deadline")
	require.Truef(t, errors.Is(err, eventstore.ErrClosed) || errors.Is(err, context.Canceled),
		"want ErrClosed or context.Canceled, got %v", err)
}
