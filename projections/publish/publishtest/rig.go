package publishtest

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections/publish"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// timeout bounds every case.
const timeout = 45 * time.Second

// rig is a case's event store, checkpoint store and broker.
type rig struct {
	t       *testing.T
	broker  Broker
	events  *memory.Store
	models  readmodel.Store
	streams []string
	next    map[string]int
}

func newRig(t *testing.T, b Broker) *rig {
	models, err := rmsqlite.Open(bounded(t), filepath.Join(t.TempDir(), "checkpoints.db"))
	require.NoError(t, err)
	r := &rig{t: t, broker: b, events: memory.New(nil), models: models, next: map[string]int{}}
	for i := range 24 {
		r.streams = append(r.streams, fmt.Sprintf("customer-%s", uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i)})))
	}
	t.Cleanup(func() {
		_ = b.Subscriber.Close()
		_ = b.Publisher.Close()
		_ = models.Close()
		_ = r.events.Close()
	})
	return r
}

// forwarder returns a forwarder of the rig's log through pub, with small
// batches so that a case spans many.
func (r *rig) forwarder(pub publish.Publisher) *publish.Forwarder {
	f, err := publish.New(publish.Config{Events: r.events, Checkpoints: r.models, Publisher: pub,
		Name: r.broker.Name, Sharding: r.broker.Sharding, MaxBatch: 50, RetryDelay: 20 * time.Millisecond,
		PublishTimeout: 5 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(r.t, err)
	return f
}

// run runs f in the background until the returned stop is called.
func (r *rig) run(f *publish.Forwarder) (stop func()) {
	ctx, cancel := context.WithCancel(bounded(r.t))
	var wg sync.WaitGroup
	wg.Go(func() { require.NoError(r.t, f.Run(ctx)) })
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	r.t.Cleanup(stop)
	return stop
}

// appendEvents appends n events spread over the rig's streams, one to
// three per append, and returns the last position.
func (r *rig) appendEvents(n int) uint64 {
	var last uint64
	for i := 0; i < n; {
		stream := r.streams[(i*7)%len(r.streams)]
		k := min(1+i%3, n-i)
		evs := make([]eventstore.EventData, k)
		for j := range evs {
			r.next[stream]++
			evs[j] = eventstore.EventData{ID: uuid.New(), Type: "test.happened", SchemaVersion: 1,
				Data:       fmt.Appendf(nil, `{"n":%d}`, r.next[stream]),
				OccurredAt: time.Date(2025, 1, 1, 0, 0, i, 0, time.UTC),
				Metadata:   eventstore.Metadata{Actor: "test:publish", CommandID: uuid.New(), CorrelationID: uuid.New(), CausationID: uuid.New()}}
		}
		res, err := r.events.Append(bounded(r.t), stream, eventstore.Any, evs)
		require.NoError(r.t, err)
		last, i = res.LastPosition, i+k
	}
	return last
}

// log returns every stored event.
func (r *rig) log() []eventstore.Record {
	recs, err := r.events.ReadAll(bounded(r.t), eventstore.ReadAllOptions{Limit: 1 << 20})
	require.NoError(r.t, err)
	return recs
}

func (r *rig) checkpoint() uint64 {
	cp, err := r.models.Checkpoint(bounded(r.t), publish.CheckpointPrefix+r.broker.Name)
	require.NoError(r.t, err)
	return cp.Position
}
