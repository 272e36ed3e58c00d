package nats_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/publish"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// natsMsg is a prepared message of the raw baseline.
type natsMsg struct {
	msg *nats.Msg
	id  string
}

// publishWindow publishes msgs asynchronously and waits for every
// acknowledgement.
func publishWindow(b *testing.B, js jetstream.JetStream, msgs []*natsMsg) {
	futures := make([]jetstream.PubAckFuture, len(msgs))
	for i, m := range msgs {
		f, err := js.PublishMsgAsync(m.msg, jetstream.WithMsgID(m.id))
		require.NoError(b, err)
		futures[i] = f
	}
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			require.NoError(b, err)
		}
	}
}

// lagRecorder notes when each event reached the consumer.
type lagRecorder struct {
	mu       sync.Mutex
	appended map[uuid.UUID]time.Time
	lags     []time.Duration
	done     chan struct{}
	want     int
}

func (r *lagRecorder) handle(_ context.Context, env feed.Envelope) error {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.appended[env.EventID]
	if !ok {
		return nil
	}
	delete(r.appended, env.EventID)
	r.lags = append(r.lags, now.Sub(at))
	if len(r.lags) == r.want {
		close(r.done)
	}
	return nil
}

// measureLag runs a forwarder and a consumer over store and appends rate
// events/s for d, one per append; it returns each event's lag.
func measureLag(b *testing.B, store eventstore.Store, rate int, d time.Duration) []time.Duration {
	_, js := connect(b)
	s := sharding(b, js, 16)
	n := rate * int(d/time.Second)
	rec := &lagRecorder{appended: make(map[uuid.UUID]time.Time, n), done: make(chan struct{}), want: n}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := runPipeline(b, ctx, store, s, rec)
	defer stop()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := range n {
		<-tick.C
		id := uuid.New()
		rec.mu.Lock()
		rec.appended[id] = time.Now()
		rec.mu.Unlock()
		_, err := store.Append(ctx, fmt.Sprintf("customer-%03d", i%200), eventstore.Any, []eventstore.EventData{{ID: id,
			Type: "customer.interaction_logged", SchemaVersion: 1, Data: []byte(`{"channel":"phone"}`), OccurredAt: time.Unix(int64(i), 0)}})
		require.NoError(b, err)
	}
	select {
	case <-rec.done:
	case <-time.After(30 * time.Second):
		b.Fatalf("only %d of %d events reached the consumer", len(rec.lags), n)
	}
	return rec.lags
}

// runPipeline starts a forwarder of store and a one-member consumer group
// on s; stop stops both.
func runPipeline(b *testing.B, ctx context.Context, store eventstore.Store, s publish.Sharding, rec *lagRecorder) (stop func()) {
	models, err := rmsqlite.Open(ctx, filepath.Join(b.TempDir(), "checkpoints.db"))
	require.NoError(b, err)
	p, err := pubnats.Open(ctx, pubnats.Config{URL: natsURL(), Sharding: s})
	require.NoError(b, err)
	fwd, err := publish.New(publish.Config{Events: store, Checkpoints: models, Publisher: publish.FromWatermill(p),
		Name: "lag", Sharding: s, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(b, err)
	group := "lag_" + uuid.NewString()[:8]
	c, err := pubnats.NewConsumer(pubnats.ConsumerConfig{URL: natsURL(), Sharding: s, Group: group, Handler: rec.handle,
		Logger: slog.New(slog.DiscardHandler)})
	require.NoError(b, err)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = fwd.Run(ctx) })
	wg.Go(func() { _ = c.Run(ctx) })
	return func() {
		cancel()
		wg.Wait()
		_ = p.Close()
		_ = models.Close()
		_, js := connect(b)
		forgetPositions(b, js, s, group)
	}
}
