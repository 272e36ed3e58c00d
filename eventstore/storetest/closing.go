package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

func closeCases() []contractCase {
	return []contractCase{
		{name: "OperationsAfterCloseReturnErrClosed", run: testOperationsAfterClose, closes: true},
		{name: "CloseTwiceIsFine", run: testCloseTwice, closes: true},
		{name: "WaitingSubscriptionEndsWithErrClosed", run: testSubscriptionAfterStoreClose, closes: true},
	}
}

// closeVerified checks the hash chains, then closes s: a closed store
// can no longer be verified.
func closeVerified(t testing.TB, s eventstore.Store) {
	t.Helper()
	requireChainsHold(t, s)
	require.NoError(t, s.Close())
}

func testOperationsAfterClose(t *testing.T, s eventstore.Store) {
	ctx := t.Context()
	mustAppend(t, s, streamA, eventstore.NoStream, newEvents(1))
	closeVerified(t, s)
	_, err := s.Append(ctx, streamA, eventstore.Any, newEvents(1))
	require.ErrorIs(t, err, eventstore.ErrClosed, "Append")
	_, err = s.ReadStream(ctx, streamA, eventstore.ReadStreamOptions{})
	require.ErrorIs(t, err, eventstore.ErrClosed, "ReadStream")
	_, err = s.ReadAll(ctx, eventstore.ReadAllOptions{Limit: 10})
	require.ErrorIs(t, err, eventstore.ErrClosed, "ReadAll")
	_, err = s.Subscribe(ctx, eventstore.SubscribeOptions{})
	require.ErrorIs(t, err, eventstore.ErrClosed, "Subscribe")
	if b, ok := s.(eventstore.BatchAppender); ok {
		_, err = b.AppendBatch(ctx, threeStreams())
		require.ErrorIs(t, err, eventstore.ErrClosed, "AppendBatch")
	}
	if h, ok := s.(eventstore.HeadReader); ok {
		_, err = h.Head(ctx)
		require.ErrorIs(t, err, eventstore.ErrClosed, "Head")
	}
}

func testCloseTwice(t *testing.T, s eventstore.Store) {
	closeVerified(t, s)
	require.NoError(t, s.Close(), "Close is idempotent")
}

// testSubscriptionAfterStoreClose closes the store while Next waits on
// another goroutine: Next wakes with ErrClosed, and so does the next call.
func testSubscriptionAfterStoreClose(t *testing.T, s eventstore.Store) {
	mustAppend(t, s, streamA, eventstore.NoStream, newEvents(1))
	sub := subscribe(t, s, eventstore.SubscribeOptions{})
	collect(t, sub, 1)
	ctx := guarded(t)
	waiting := make(chan error, 1)
	go func() {
		_, err := sub.Next(ctx)
		waiting <- err
	}()
	closeVerified(t, s)
	require.ErrorIs(t, <-waiting, eventstore.ErrClosed, "the waiting Next")
	_, err := sub.Next(ctx)
	require.ErrorIs(t, err, eventstore.ErrClosed, "Next after the store closed")
}
