package amqp

import (
	"context"
	"errors"
	"fmt"

	"github.com/ThreeDotsLabs/watermill"
	wamqp "github.com/ThreeDotsLabs/watermill-amqp/v3/pkg/amqp"

	"github.com/ledgerline/ledgerline/projections/publish"
)

// DefaultPrefetch is how many unacknowledged messages a group's
// subscriber takes from its queue at once.
const DefaultPrefetch = 256

// Config configures a publisher.
type Config struct {
	// URL of the broker, e.g. "amqp://guest:guest@127.0.0.1:5672/";
	// required.
	URL string
	// Sharding names the topics (exchanges).
	Sharding publish.Sharding
	// Groups are the consumer groups whose queues Open declares and binds
	// to every shard's exchange.
	Groups []string
	// Logger receives the declaring subscribers' logs; nil discards them.
	Logger watermill.LoggerAdapter
}

// QueueName returns the queue of group on topic.
func QueueName(topic, group string) string { return topic + "_" + group }

// watermillConfig is the durable publish/subscribe configuration of
// group: fanout exchanges, durable queues, persistent messages.
func watermillConfig(url, group string) wamqp.Config {
	c := wamqp.NewDurablePubSubConfig(url, wamqp.GenerateQueueNameTopicNameWithSuffix(group))
	c.Consume.Qos.PrefetchCount = DefaultPrefetch
	return c
}

// Open declares the queues of cfg.Groups on every shard and returns a
// publisher to the broker.
func Open(ctx context.Context, cfg Config) (*Publisher, error) {
	if cfg.URL == "" {
		return nil, errors.New("amqp: URL is required")
	}
	if err := cfg.Sharding.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = watermill.NopLogger{}
	}
	if err := Declare(ctx, cfg); err != nil {
		return nil, err
	}
	p := &Publisher{url: cfg.URL}
	if _, err := p.connection(); err != nil {
		return nil, fmt.Errorf("amqp: %w", err)
	}
	return p, nil
}

// Declare declares every shard's exchange and, for each group of cfg,
// its queue bound to it. It is idempotent.
func Declare(ctx context.Context, cfg Config) error {
	for _, group := range cfg.Groups {
		sub, err := NewSubscriber(cfg.URL, group, cfg.Logger)
		if err != nil {
			return err
		}
		for _, topic := range cfg.Sharding.WithDefaults().Topics() {
			if err := ctx.Err(); err != nil {
				return errors.Join(err, sub.Close())
			}
			if err := sub.SubscribeInitialize(topic); err != nil {
				return errors.Join(fmt.Errorf("amqp: declare queue %s: %w", QueueName(topic, group), err), sub.Close())
			}
		}
		if err := sub.Close(); err != nil {
			return fmt.Errorf("amqp: close declaring connection: %w", err)
		}
	}
	return nil
}

// NewSubscriber returns a Watermill subscriber that reads group's queue
// of each topic it subscribes to (declaring it if needed).
func NewSubscriber(url, group string, logger watermill.LoggerAdapter) (*wamqp.Subscriber, error) {
	if group == "" {
		return nil, errors.New("amqp: a subscriber needs a group")
	}
	if logger == nil {
		logger = watermill.NopLogger{}
	}
	sub, err := wamqp.NewSubscriber(watermillConfig(url, group), logger)
	if err != nil {
		return nil, fmt.Errorf("amqp: connect subscriber of %s: %w", group, err)
	}
	return sub, nil
}
