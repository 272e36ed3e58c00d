package amqp_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/publish"
	pubamqp "github.com/ledgerline/ledgerline/projections/publish/amqp"
	"github.com/ledgerline/ledgerline/projections/publish/publishtest"
)

// brokerURL is the test broker: LEDGERLINE_TEST_AMQP or the local default.
func brokerURL() string {
	if u := os.Getenv("LEDGERLINE_TEST_AMQP"); u != "" {
		return u
	}
	return "amqp://guest:guest@127.0.0.1:5672/"
}

// channel opens a management channel, skipping t loudly when the broker
// does not answer (failing under CI=true).
func channel(t testing.TB) *amqp091.Channel {
	t.Helper()
	conn, err := amqp091.DialConfig(brokerURL(), amqp091.Config{Dial: amqp091.DefaultDial(2 * time.Second)})
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("FAIL: RabbitMQ not reachable (CI=true requires it): %v", err)
		}
		t.Skipf("SKIP: RabbitMQ not reachable; set LEDGERLINE_TEST_AMQP or run under CI=true to require it (%v)", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	ch, err := conn.Channel()
	require.NoError(t, err)
	return ch
}

const group = "publishtest"

func TestConformance(t *testing.T) {
	publishtest.Run(t, func(t testing.TB) publishtest.Broker {
		ch := channel(t)
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		cfg := pubamqp.Config{URL: brokerURL(), Sharding: publish.Sharding{Prefix: "lltest_" + hex.EncodeToString(b) + ".events", Shards: 4},
			Groups: []string{group}}
		t.Cleanup(func() { deleteAll(t, ch, cfg) })
		require.NoError(t, pubamqp.Declare(context.Background(), cfg))
		px, viaProxy := newProxy(t, brokerURL())
		open := func(t testing.TB) publish.Publisher {
			p, err := pubamqp.Open(context.Background(), pubamqp.Config{URL: viaProxy, Sharding: cfg.Sharding})
			require.NoError(t, err)
			return publish.FromWatermill(p)
		}
		sub, err := pubamqp.NewSubscriber(cfg.URL, group, nil)
		require.NoError(t, err)
		return publishtest.Broker{
			Name: "amqp", Publisher: open(t), Sharding: cfg.Sharding, Subscriber: sub,
			Break: px.Break, Repair: px.Repair,
			Reopen: func(t testing.TB) publish.Publisher { return open(t) },
		}
	})
}

func deleteAll(t testing.TB, ch *amqp091.Channel, cfg pubamqp.Config) {
	for _, topic := range cfg.Sharding.Topics() {
		_, err := ch.QueueDelete(pubamqp.QueueName(topic, group), false, false, false)
		require.NoError(t, err)
		require.NoError(t, ch.ExchangeDelete(topic, false, false))
	}
}
