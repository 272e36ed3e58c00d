package nats

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ledgerline/ledgerline/projections/publish"
)

// Defaults of [Config].
const (
	DefaultMaxPending = 4096
	DefaultTimeout    = 10 * time.Second
)

// Config configures a [Publisher].
type Config struct {
	// URL of the NATS server, e.g. "nats://127.0.0.1:4222"; required.
	URL string
	// Sharding names the topics, hence the streams Open creates.
	Sharding publish.Sharding
	// Duplicates is the deduplication window of streams Open creates; 0
	// means the server's default (two minutes).
	Duplicates time.Duration
	// MaxPending caps the asynchronous publishes in flight; 0 means
	// DefaultMaxPending.
	MaxPending int
	// Timeout bounds the wait for acknowledgements when the messages'
	// context has no deadline; 0 means DefaultTimeout.
	Timeout time.Duration
	// Options are passed to nats.Connect.
	Options []nats.Option
}

// Publisher is a Watermill publisher over JetStream's asynchronous
// publish. It is safe for concurrent use. After a failure it drops its
// connection (and the acknowledgements still awaited on it) and dials
// again on the next Publish.
type Publisher struct {
	cfg    Config
	mu     sync.Mutex
	conn   *conn
	closed bool
}

var _ message.Publisher = (*Publisher)(nil)

// conn is one connection and the JetStream context on it; dead is closed
// when the connection is dropped, releasing every waiter.
type conn struct {
	nc   *nats.Conn
	js   jetstream.JetStream
	dead chan struct{}
	once sync.Once
}

// Open connects to cfg.URL and ensures the shards' streams exist.
func Open(ctx context.Context, cfg Config) (*Publisher, error) {
	if cfg.URL == "" {
		return nil, errors.New("nats: URL is required")
	}
	if err := cfg.Sharding.Validate(); err != nil {
		return nil, err
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	p := &Publisher{cfg: cfg}
	c, err := p.connection()
	if err != nil {
		return nil, err
	}
	if err := EnsureStreams(ctx, c.js, cfg.Sharding, cfg.Duplicates); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// connection returns the live connection, dialling if there is none.
func (p *Publisher) connection() (*conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errors.New("nats: publisher closed")
	}
	if p.conn != nil {
		return p.conn, nil
	}
	nc, err := nats.Connect(p.cfg.URL, p.cfg.Options...)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", p.cfg.URL, err)
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(p.cfg.MaxPending))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream on %s: %w", p.cfg.URL, err)
	}
	p.conn = &conn{nc: nc, js: js, dead: make(chan struct{})}
	return p.conn, nil
}

// drop closes c if it is still the live connection.
func (p *Publisher) drop(c *conn) {
	p.mu.Lock()
	if p.conn == c {
		p.conn = nil
	}
	p.mu.Unlock()
	c.once.Do(func() {
		close(c.dead)
		c.nc.Close()
	})
}

// Publish implements [message.Publisher]: it publishes every message
// asynchronously to the subject topic, with the message UUID (the event
// id) as Nats-Msg-Id and the metadata as headers, then waits for all the
// acknowledgements, within the first message's context and Timeout.
func (p *Publisher) Publish(topic string, msgs ...*message.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	c, err := p.connection()
	if err != nil {
		return err
	}
	futures, err := p.send(c, topic, msgs)
	if err != nil {
		p.drop(c)
		return err
	}
	ctx, cancel := context.WithTimeout(msgs[0].Context(), p.cfg.Timeout)
	defer cancel()
	if err := p.await(ctx, c, futures); err != nil {
		return fmt.Errorf("publish to %s: %w", topic, err)
	}
	return nil
}

func (p *Publisher) send(c *conn, topic string, msgs []*message.Message) ([]jetstream.PubAckFuture, error) {
	marshaler := &wmnats.NATSMarshaler{}
	futures := make([]jetstream.PubAckFuture, 0, len(msgs))
	for _, m := range msgs {
		nm, err := marshaler.Marshal(topic, m)
		if err != nil {
			return nil, fmt.Errorf("marshal message %s: %w", m.UUID, err)
		}
		f, err := c.js.PublishMsgAsync(nm, jetstream.WithMsgID(m.UUID))
		if err != nil {
			return nil, fmt.Errorf("publish message %s to %s: %w", m.UUID, topic, err)
		}
		futures = append(futures, f)
	}
	return futures, nil
}

// await waits for every future; a timeout or a lost connection drops c,
// so that acknowledgements that will never come do not pile up.
func (p *Publisher) await(ctx context.Context, c *conn, futures []jetstream.PubAckFuture) error {
	for i, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("message %d of %d refused: %w", i+1, len(futures), err)
		case <-c.dead:
			return fmt.Errorf("message %d of %d: connection dropped", i+1, len(futures))
		case <-ctx.Done():
			p.drop(c)
			return fmt.Errorf("message %d of %d not acknowledged: %w", i+1, len(futures), ctx.Err())
		}
	}
	return nil
}

// Close implements [message.Publisher]; it is idempotent.
func (p *Publisher) Close() error {
	p.mu.Lock()
	c := p.conn
	p.closed = true
	p.mu.Unlock()
	if c != nil {
		p.drop(c)
	}
	return nil
}
