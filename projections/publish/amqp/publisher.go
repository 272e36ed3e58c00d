package amqp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	wamqp "github.com/ThreeDotsLabs/watermill-amqp/v3/pkg/amqp"
	"github.com/ThreeDotsLabs/watermill/message"
	amqp091 "github.com/rabbitmq/amqp091-go"
)

// DefaultTimeout bounds the wait for confirmations when the messages'
// context has no deadline.
const DefaultTimeout = 10 * time.Second

// Publisher is a Watermill publisher to RabbitMQ with publisher confirms:
// each message is published mandatory to its topic's exchange, and
// Publish returns nil only when the broker confirmed every one and
// returned none as unroutable. Messages are encoded by watermill-amqp's
// marshaler, so watermill-amqp subscribers read them.
//
// It is not watermill-amqp's publisher because that one (v3.0.2) ignores
// returned messages, so that a message no queue is bound to receive is
// silently dropped, and its reconnection races with Publish. This one
// drops its connection on any failure and dials again on the next
// Publish. It is safe for concurrent use; each call uses its own channel.
type Publisher struct {
	url       string
	marshaler wamqp.DefaultMarshaler
	mu        sync.Mutex
	conn      *amqp091.Connection
	closed    bool
}

var _ message.Publisher = (*Publisher)(nil)

func (p *Publisher) connection() (*amqp091.Connection, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errors.New("amqp: publisher closed")
	}
	if p.conn != nil && !p.conn.IsClosed() {
		return p.conn, nil
	}
	conn, err := amqp091.DialConfig(p.url, amqp091.Config{Dial: amqp091.DefaultDial(5 * time.Second)})
	if err != nil {
		return nil, fmt.Errorf("connect to the broker: %w", err)
	}
	p.conn = conn
	return conn, nil
}

// drop closes conn if it is still the publisher's.
func (p *Publisher) drop(conn *amqp091.Connection) {
	p.mu.Lock()
	if p.conn == conn {
		p.conn = nil
	}
	p.mu.Unlock()
	_ = conn.Close()
}

// Publish implements [message.Publisher] within the first message's
// context and DefaultTimeout.
func (p *Publisher) Publish(topic string, msgs ...*message.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	conn, err := p.connection()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(msgs[0].Context(), DefaultTimeout)
	defer cancel()
	if err := p.publish(ctx, conn, topic, msgs); err != nil {
		p.drop(conn)
		return fmt.Errorf("publish to %s: %w", topic, err)
	}
	return nil
}

func (p *Publisher) publish(ctx context.Context, conn *amqp091.Connection, topic string, msgs []*message.Message) error {
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	defer ch.Close()
	if err := ch.Confirm(false); err != nil {
		return fmt.Errorf("enable confirms: %w", err)
	}
	returned := ch.NotifyReturn(make(chan amqp091.Return, len(msgs)))
	confirms, err := p.send(ctx, ch, topic, msgs)
	if err != nil {
		return err
	}
	if err := await(ctx, confirms); err != nil {
		return err
	}
	select {
	case r := <-returned:
		return fmt.Errorf("message %s unroutable (%d %s): no queue bound to %s", r.MessageId, r.ReplyCode, r.ReplyText, topic)
	default:
		return nil
	}
}

func (p *Publisher) send(ctx context.Context, ch *amqp091.Channel, topic string, msgs []*message.Message) ([]*amqp091.DeferredConfirmation, error) {
	out := make([]*amqp091.DeferredConfirmation, 0, len(msgs))
	for _, m := range msgs {
		pub, err := p.marshaler.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("marshal message %s: %w", m.UUID, err)
		}
		pub.MessageId = m.UUID
		dc, err := ch.PublishWithDeferredConfirmWithContext(ctx, topic, "", true, false, pub)
		if err != nil {
			return nil, fmt.Errorf("publish message %s: %w", m.UUID, err)
		}
		out = append(out, dc)
	}
	return out, nil
}

func await(ctx context.Context, confirms []*amqp091.DeferredConfirmation) error {
	for i, dc := range confirms {
		ok, err := dc.WaitContext(ctx)
		if err != nil {
			return fmt.Errorf("message %d of %d not confirmed: %w", i+1, len(confirms), err)
		}
		if !ok {
			return fmt.Errorf("message %d of %d refused by the broker", i+1, len(confirms))
		}
	}
	return nil
}

// Close implements [message.Publisher]; it is idempotent.
func (p *Publisher) Close() error {
	p.mu.Lock()
	conn := p.conn
	p.conn, p.closed = nil, true
	p.mu.Unlock()
	if conn != nil && !conn.IsClosed() {
		return conn.Close()
	}
	return nil
}
