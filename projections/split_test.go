package projections_test

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/demo/demotest"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/projections"
)

func TestSplitCoversEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 255, 256, 513, 10_000} {
		seen := make([]atomic.Int32, n)
		projections.Split(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			require.Equal(t, int32(1), seen[i].Load(), "index %d of %d", i, n)
		}
	}
}

// TestPayloadIsDecodedOnce asks for every payload of a demo log from
// several goroutines at once: each is decoded once, and all get it.
func TestPayloadIsDecodedOnce(t *testing.T) {
	var decodes atomic.Int64
	cat := catalogue.New().WithDecoder(func(data []byte, v any) error {
		decodes.Add(1)
		return json.Unmarshal(data, v)
	})
	events := projections.Events(cat, demotest.Log(t, catalogue.New()))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, e := range events {
				p, err := e.Payload()
				assert.NoError(t, err)
				assert.NotNil(t, p)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(len(events)), decodes.Load())
}
