package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
)

// TestCrossedBatchesDoNotDeadlock: two appenders batch the same streams in
// opposite orders. PostgreSQL aborts one of two crossed inserts as a
// deadlock; the store must retry it (in sorted lock order), never report it.
func TestCrossedBatchesDoNotDeadlock(t *testing.T) {
	s := open(t, pgtest.Database(t), postgres.Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, order := range [][]string{{"x", "y"}, {"y", "x"}} {
		wg.Go(func() {
			for range 150 {
				reqs := []eventstore.AppendRequest{
					{Stream: order[0], Expected: eventstore.Any, Events: events(5)},
					{Stream: order[1], Expected: eventstore.Any, Events: events(5)},
				}
				if _, err := s.AppendBatch(context.Background(), reqs); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	_, err := eventstore.Verify(context.Background(), s, nil)
	require.NoError(t, err)
}
