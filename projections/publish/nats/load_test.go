package nats_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections/publish"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// load is an in-memory log forwarded to the shared NATS by a running
// forwarder.
type load struct {
	events *memory.Store
	fwd    *publish.Forwarder
	n      int
}

// eventLine is what a test needs of a published event.
type eventLine struct {
	id, stream string
	version    uint64
}

func newLoad(t *testing.T, s publish.Sharding) *load {
	ctx, cancel := context.WithCancel(context.Background())
	models, err := rmsqlite.Open(ctx, filepath.Join(t.TempDir(), "checkpoints.db"))
	require.NoError(t, err)
	p, err := pubnats.Open(ctx, pubnats.Config{URL: natsURL(), Sharding: s})
	require.NoError(t, err)
	l := &load{events: memory.New(nil)}
	l.fwd, err = publish.New(publish.Config{Events: l.events, Checkpoints: models, Publisher: publish.FromWatermill(p),
		Name: "nats", Sharding: s, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- l.fwd.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		_ = p.Close()
		_ = models.Close()
	})
	return l
}

// publish appends n events over 60 customers and waits until the
// forwarder has published them; it returns n.
func (l *load) publish(t *testing.T, n int) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var last uint64
	for i := range n {
		stream := fmt.Sprintf("customer-%s", uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i % 60)}))
		res, err := l.events.Append(ctx, stream, eventstore.Any, []eventstore.EventData{{ID: uuid.New(), Type: "test.happened",
			SchemaVersion: 1, Data: []byte(`{}`), OccurredAt: time.Unix(int64(l.n+i), 0)}})
		require.NoError(t, err)
		last = res.LastPosition
	}
	l.n += n
	require.NoError(t, l.fwd.WaitFor(ctx, last))
	return n
}

func (l *load) log(t *testing.T) []eventLine {
	recs, err := l.events.ReadAll(context.Background(), eventstore.ReadAllOptions{Limit: 1 << 20})
	require.NoError(t, err)
	out := make([]eventLine, len(recs))
	for i, r := range recs {
		out[i] = eventLine{id: r.ID.String(), stream: r.Stream, version: r.Version}
	}
	return out
}
