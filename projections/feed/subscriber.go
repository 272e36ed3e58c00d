package feed

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Metadata keys of a batch message.
const (
	// MetaAfter is the position the batch starts after (exclusive).
	MetaAfter = "ledgerline_after"
	// MetaLast is the position of the batch's last event.
	MetaLast = "ledgerline_last"
)

// StartFunc tells where a topic's subscription starts: the position after
// which to deliver (a projection's checkpoint).
type StartFunc func(ctx context.Context, topic string) (uint64, error)

// Config tunes a [Subscriber]. The zero value is usable.
type Config struct {
	// MaxBatch caps the events per message; 0 means DefaultMaxBatch.
	MaxBatch int
	// RedeliveryDelay is the pause before re-reading after a nack or a
	// store error; 0 means DefaultRedeliveryDelay.
	RedeliveryDelay time.Duration
	// Filter narrows the events delivered.
	Filter eventstore.Filter
	// Logger receives store errors; nil discards them.
	Logger watermill.LoggerAdapter
}

// Defaults of [Config].
const (
	DefaultMaxBatch        = 4096
	DefaultRedeliveryDelay = 200 * time.Millisecond
	// MaxRedeliveryDelay caps the pause that doubles while the store
	// keeps failing.
	MaxRedeliveryDelay = 5 * time.Second
)

// Subscriber is a Watermill subscriber over an event store. It is safe for
// concurrent use; each Subscribe call gets its own store subscription.
type Subscriber struct {
	store  eventstore.Store
	start  StartFunc
	cfg    Config
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup
}

var _ message.Subscriber = (*Subscriber)(nil)

// NewSubscriber returns a subscriber reading store, starting each topic
// where start says.
func NewSubscriber(store eventstore.Store, start StartFunc, cfg Config) *Subscriber {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = DefaultMaxBatch
	}
	if cfg.RedeliveryDelay <= 0 {
		cfg.RedeliveryDelay = DefaultRedeliveryDelay
	}
	if cfg.Logger == nil {
		cfg.Logger = watermill.NopLogger{}
	}
	return &Subscriber{store: store, start: start, cfg: cfg, closed: make(chan struct{})}
}

// Subscribe implements [message.Subscriber]: it delivers batches of the
// global log after the topic's start position until ctx is done or the
// subscriber is closed.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	after, err := s.start(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("subscribe %s: %w", topic, err)
	}
	out := make(chan *message.Message)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(out)
		s.run(ctx, topic, after, out)
	}()
	return out, nil
}

func (s *Subscriber) run(ctx context.Context, topic string, after uint64, out chan<- *message.Message) {
	h := &health{log: s.cfg.Logger, topic: topic, delay: s.cfg.RedeliveryDelay}
	for s.alive(ctx) {
		sub, err := s.store.Subscribe(ctx, eventstore.SubscribeOptions{After: after, Filter: s.cfg.Filter, MaxBatch: s.cfg.MaxBatch})
		if err != nil {
			h.failed("subscribe to event store", err, after)
			s.pause(ctx, h.backoff())
			continue
		}
		acked := s.deliver(ctx, h, sub, after, out)
		sub.Close()
		s.pause(ctx, h.backoff())
		after = s.restart(ctx, h, acked)
	}
}

// health tracks one topic's run of store failures: the first is logged as
// an error, the repeats at debug level, the recovery once, and the pause
// between attempts doubles up to MaxRedeliveryDelay.
type health struct {
	log      watermill.LoggerAdapter
	topic    string
	delay    time.Duration
	failures int
	base     time.Duration
}

func (h *health) failed(what string, err error, after uint64) {
	fields := watermill.LogFields{"topic": h.topic, "after": after, "failures": h.failures + 1}
	if h.failures == 0 {
		h.base = h.delay
		h.log.Error(what, err, fields)
	} else {
		h.log.Debug(what+": "+err.Error(), fields)
	}
	h.failures++
}

func (h *health) ok(after uint64) {
	if h.failures > 0 {
		h.log.Info("event store reachable again", watermill.LogFields{"topic": h.topic, "after": after, "failures": h.failures})
		h.failures, h.delay = 0, h.base
	}
}

// backoff returns the pause before the next attempt.
func (h *health) backoff() time.Duration {
	d := h.delay
	if h.failures > 0 {
		h.delay = min(2*h.delay, MaxRedeliveryDelay)
	}
	return d
}

// restart returns where to resume after a nack or an error: the topic's
// start position again (a projection may have been reset or advanced by
// another runner), or the last acked position if that cannot be read.
func (s *Subscriber) restart(ctx context.Context, h *health, acked uint64) uint64 {
	after, err := s.start(ctx, h.topic)
	if err != nil {
		if s.alive(ctx) {
			h.failed("read start position", err, acked)
		}
		return acked
	}
	return after
}

// deliver sends batches until a nack or an error, and returns the last
// acked position.
func (s *Subscriber) deliver(ctx context.Context, h *health, sub eventstore.Subscription, after uint64, out chan<- *message.Message) uint64 {
	for {
		recs, err := sub.Next(ctx)
		if err != nil {
			if s.alive(ctx) {
				h.failed("read event store", err, after)
			}
			return after
		}
		h.ok(after)
		msg, err := batchMessage(ctx, after, recs)
		if err != nil {
			h.failed("encode batch", err, after)
			return after
		}
		if !s.send(ctx, msg, out) {
			return after
		}
		after = recs[len(recs)-1].Position
	}
}

func batchMessage(ctx context.Context, after uint64, recs []eventstore.Record) (*message.Message, error) {
	payload, err := Encode(recs)
	if err != nil {
		return nil, err
	}
	last := recs[len(recs)-1].Position
	msg := message.NewMessage(fmt.Sprintf("%d-%d", after, last), payload)
	msg.Metadata.Set(MetaAfter, strconv.FormatUint(after, 10))
	msg.Metadata.Set(MetaLast, strconv.FormatUint(last, 10))
	msg.SetContext(ctx)
	return msg, nil
}

// send delivers msg and reports whether it was acked.
func (s *Subscriber) send(ctx context.Context, msg *message.Message, out chan<- *message.Message) bool {
	select {
	case out <- msg:
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
	select {
	case <-msg.Acked():
		return true
	case <-msg.Nacked():
	case <-ctx.Done():
	case <-s.closed:
	}
	return false
}

func (s *Subscriber) alive(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	default:
		return true
	}
}

func (s *Subscriber) pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-s.closed:
	}
}

// Close implements [message.Subscriber]: it stops every subscription and
// waits for their goroutines.
func (s *Subscriber) Close() error {
	s.once.Do(func() { close(s.closed) })
	s.wg.Wait()
	return nil
}

// Batch returns the positions a batch message spans.
func Batch(msg *message.Message) (after, last uint64, err error) {
	after, err1 := strconv.ParseUint(msg.Metadata.Get(MetaAfter), 10, 64)
	last, err2 := strconv.ParseUint(msg.Metadata.Get(MetaLast), 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("batch message %s: positions: %w", msg.UUID, err)
	}
	return after, last, nil
}
