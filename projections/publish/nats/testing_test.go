package nats_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmjs "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/jetstream"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/publish"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
)

// natsURL is the shared test server: LEDGERLINE_TEST_NATS or the local
// default. Tests give every case its own topic prefix and delete its
// streams afterwards.
func natsURL() string {
	if u := os.Getenv("LEDGERLINE_TEST_NATS"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

// connect connects to the shared server, skipping t loudly when it does
// not answer (failing under CI=true).
func connect(t testing.TB) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(natsURL(), nats.Timeout(2*time.Second))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("FAIL: NATS not reachable at %s (CI=true requires it): %v", natsURL(), err)
		}
		t.Skipf("SKIP: NATS not reachable at %s; set LEDGERLINE_TEST_NATS or run under CI=true to require it (%v)", natsURL(), err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	return nc, js
}

// sharding returns a fresh topic prefix whose streams are deleted when t
// ends.
func sharding(t testing.TB, js jetstream.JetStream, shards int) publish.Sharding {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	s := publish.Sharding{Prefix: "lltest_" + hex.EncodeToString(b) + ".events", Shards: shards}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := pubnats.DeleteStreams(ctx, js, s); err != nil {
			t.Errorf("delete test streams: %v", err)
		}
	})
	return s
}

// readFromStart returns a Watermill subscriber that reads each topic's
// stream from its first message, with an ephemeral consumer, on its own
// connection (closing the subscriber drains it).
func readFromStart(t testing.TB) *wmjs.Subscriber {
	nc, err := nats.Connect(natsURL())
	require.NoError(t, err)
	sub, err := wmjs.NewSubscriber(wmjs.SubscriberConfig{
		Conn: nc, Logger: watermill.NopLogger{}, AckAsync: true,
		ResourceInitializer: func(ctx context.Context, js jetstream.JetStream, topic string) (jetstream.Consumer, func(context.Context, watermill.LoggerAdapter), error) {
			c, err := js.CreateConsumer(ctx, pubnats.TopicStream(topic), jetstream.ConsumerConfig{
				AckPolicy: jetstream.AckExplicitPolicy, DeliverPolicy: jetstream.DeliverAllPolicy, InactiveThreshold: time.Minute})
			return c, nil, err
		},
	})
	require.NoError(t, err)
	return sub
}
