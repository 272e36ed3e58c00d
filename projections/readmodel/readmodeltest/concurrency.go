package readmodeltest

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// contenders is how many goroutines race for one checkpoint.
const contenders = 8

func concurrencyCases() []contractCase {
	return []contractCase{
		{"OneWinnerPerCheckpoint", oneWinnerPerCheckpoint},
	}
}

// oneWinnerPerCheckpoint races contenders for the same move, first on a
// projection without a checkpoint row, then on one with: each time
// exactly one applies its rows and the others get ErrCheckpointMoved.
func oneWinnerPerCheckpoint(t *testing.T, s readmodel.Store) {
	migrated(t, s, logTable())
	for round, from := range []uint64{0, 10} {
		errs := race(t, s, from, readmodel.Checkpoint{Position: from + 10})
		var won int
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			require.ErrorIs(t, err, readmodel.ErrCheckpointMoved)
		}
		assert.Equal(t, 1, won, "round %d: exactly one Apply wins", round)
		assert.Equal(t, int64(round+1), count(t, s, "rmt_log"), "round %d: rows applied once", round)
		requireCheckpoint(t, s, "p", readmodel.Checkpoint{Position: from + 10})
	}
}

// race starts contenders Apply calls at once and returns their errors.
func race(t *testing.T, s readmodel.Store, from uint64, to readmodel.Checkpoint) []error {
	ctx := bounded(t)
	start := make(chan struct{})
	errs := make([]error, contenders)
	var wg sync.WaitGroup
	for i := range contenders {
		wg.Go(func() {
			<-start
			errs[i] = s.Apply(ctx, "p", from, to, insertLog("p", int64(i)))
		})
	}
	close(start)
	wg.Wait()
	return errs
}
