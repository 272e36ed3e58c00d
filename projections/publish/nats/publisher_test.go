package nats_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/publish"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
	"github.com/ledgerline/ledgerline/projections/publish/publishtest"
)

func TestConformance(t *testing.T) {
	publishtest.Run(t, func(t testing.TB) publishtest.Broker {
		_, js := connect(t)
		s := sharding(t, js, 4)
		open := func(t testing.TB) publish.Publisher {
			p, err := pubnats.Open(context.Background(), pubnats.Config{URL: natsURL(), Sharding: s, Timeout: 5 * time.Second})
			require.NoError(t, err)
			return publish.FromWatermill(p)
		}
		return publishtest.Broker{
			Name: "nats", Publisher: open(t), Sharding: s, Subscriber: readFromStart(t),
			Break:  func(t testing.TB) { limitStreams(t, js, s, true) },
			Repair: func(t testing.TB) { limitStreams(t, js, s, false) },
			Reopen: func(t testing.TB) publish.Publisher { return open(t) },
		}
	})
}

// limitStreams makes every stream of s refuse new messages (a limit of
// the messages it holds, with the discard-new policy), or lifts that.
func limitStreams(t testing.TB, js jetstream.JetStream, s publish.Sharding, full bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for shard := range s.Shards {
		st, err := js.Stream(ctx, pubnats.StreamName(s, shard))
		require.NoError(t, err)
		cfg := st.CachedInfo().Config
		cfg.MaxMsgs, cfg.Discard = -1, jetstream.DiscardOld
		if full {
			cfg.MaxMsgs, cfg.Discard = max(int64(st.CachedInfo().State.Msgs), 1), jetstream.DiscardNew
		}
		_, err = js.UpdateStream(ctx, cfg)
		require.NoError(t, err)
	}
}
