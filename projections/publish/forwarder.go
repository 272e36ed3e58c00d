package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Defaults of [Config].
const (
	DefaultMaxBatch       = 1024
	DefaultPublishTimeout = 10 * time.Second
	DefaultRetryDelay     = 200 * time.Millisecond
	// MaxRetryDelay caps the pause that doubles while the broker or the
	// store keeps failing.
	MaxRetryDelay = 5 * time.Second
)

// CheckpointPrefix leads the name of a publisher's checkpoint in the
// read-model store: "publisher:" + Config.Name.
const CheckpointPrefix = "publisher:"

// Config wires a [Forwarder]. Events, Checkpoints, Publisher and Name are
// required.
type Config struct {
	// Events is the log to forward.
	Events eventstore.Store
	// Checkpoints keeps the publish checkpoint, as projection
	// CheckpointPrefix+Name.
	Checkpoints readmodel.Store
	// Publisher sends the messages.
	Publisher Publisher
	// Name identifies the publisher's checkpoint, e.g. "nats"; two
	// forwarders with one name refuse to run together.
	Name string
	// Sharding maps streams to topics.
	Sharding Sharding
	// MaxBatch caps the events per batch; 0 means DefaultMaxBatch.
	MaxBatch int
	// PublishTimeout bounds the wait for a batch's acknowledgements; 0
	// means DefaultPublishTimeout.
	PublishTimeout time.Duration
	// RetryDelay is the first pause after a failure, doubling up to
	// MaxRetryDelay; 0 means DefaultRetryDelay.
	RetryDelay time.Duration
	// Logger receives failures and recoveries; nil means slog.Default().
	Logger *slog.Logger
}

// Validate reports every missing or bad field of c.
func (c Config) Validate() error {
	var errs []error
	if c.Events == nil {
		errs = append(errs, errors.New("publish: Events is required"))
	}
	if c.Checkpoints == nil {
		errs = append(errs, errors.New("publish: Checkpoints is required"))
	}
	if c.Publisher == nil {
		errs = append(errs, errors.New("publish: Publisher is required"))
	}
	if c.Name == "" {
		errs = append(errs, errors.New("publish: Name is required"))
	}
	return errors.Join(append(errs, c.Sharding.Validate())...)
}

func (c *Config) setDefaults() {
	c.Sharding = c.Sharding.WithDefaults()
	if c.MaxBatch <= 0 {
		c.MaxBatch = DefaultMaxBatch
	}
	if c.PublishTimeout <= 0 {
		c.PublishTimeout = DefaultPublishTimeout
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = DefaultRetryDelay
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Status reports what a [Forwarder] has done since it was created.
type Status struct {
	// Name is the checkpoint's name in the read-model store.
	Name string `json:"name"`
	// Checkpoint is the position of the last event acknowledged by the
	// broker and checkpointed.
	Checkpoint uint64 `json:"checkpoint"`
	// Published counts events acknowledged by the broker, re-publishes
	// after a failure included; Batches counts their batches.
	Published uint64 `json:"published"`
	Batches   uint64 `json:"batches"`
	// Failures counts failed attempts; LastError is the latest one's
	// message ("" once a batch succeeded after it).
	Failures  uint64 `json:"failures"`
	LastError string `json:"last_error,omitempty"`
}

// Forwarder publishes the global log from its checkpoint on, batch by
// batch. Create it with [New]; it is safe for concurrent use.
type Forwarder struct {
	cfg   Config
	log   *slog.Logger
	mu    sync.Mutex
	st    Status
	moved eventstore.Signal
}

// New validates cfg and returns a forwarder.
func New(cfg Config) (*Forwarder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	return &Forwarder{cfg: cfg, log: cfg.Logger, st: Status{Name: CheckpointPrefix + cfg.Name}}, nil
}

// Status returns a snapshot of f's progress.
func (f *Forwarder) Status() Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

// Run forwards the log until ctx ends, then returns nil. Broker and store
// failures are logged and retried with backoff from the stored
// checkpoint; Run returns an error only when the checkpoint moved under it
// (another forwarder of the same name runs: [readmodel.ErrCheckpointMoved]).
func (f *Forwarder) Run(ctx context.Context) error {
	delay := f.cfg.RetryDelay
	for {
		before := f.Status().Batches
		err := f.session(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, readmodel.ErrCheckpointMoved):
			return fmt.Errorf("forward to %s: %w", f.cfg.Name, err)
		case f.Status().Batches > before:
			delay = f.cfg.RetryDelay
		}
		f.failed(err)
		pause(ctx, delay)
		delay = min(2*delay, MaxRetryDelay)
	}
}

// session reads the checkpoint, subscribes after it and forwards batches
// until the first error.
func (f *Forwarder) session(ctx context.Context) error {
	cp, err := f.cfg.Checkpoints.Checkpoint(ctx, f.st.Name)
	if err != nil {
		return fmt.Errorf("read publish checkpoint: %w", err)
	}
	f.advanced(cp.Position, 0)
	f.log.Info("forwarding the log from the checkpoint", "publisher", f.st.Name, "after", cp.Position)
	sub, err := f.cfg.Events.Subscribe(ctx, eventstore.SubscribeOptions{After: cp.Position, MaxBatch: f.cfg.MaxBatch})
	if err != nil {
		return fmt.Errorf("subscribe to the log after %d: %w", cp.Position, err)
	}
	defer sub.Close()
	after := cp.Position
	for {
		recs, err := sub.Next(ctx)
		if err != nil {
			return fmt.Errorf("read the log after %d: %w", after, err)
		}
		if err := f.forward(ctx, after, recs); err != nil {
			return err
		}
		after = recs[len(recs)-1].Position
	}
}

// forward publishes recs, which follow position after, and moves the
// checkpoint once the broker acknowledged them all.
func (f *Forwarder) forward(ctx context.Context, after uint64, recs []eventstore.Record) error {
	if err := f.Publish(ctx, recs); err != nil {
		return err
	}
	last := recs[len(recs)-1]
	to := readmodel.Checkpoint{Position: last.Position, RecordedAt: last.RecordedAt}
	err := f.cfg.Checkpoints.Apply(ctx, f.st.Name, after, to, func(context.Context, readmodel.Tx) error { return nil })
	if err != nil {
		return fmt.Errorf("move publish checkpoint from %d to %d: %w", after, last.Position, err)
	}
	f.advanced(last.Position, len(recs))
	return nil
}

// Publish sends recs, consecutive events of the log, to their topics: one
// goroutine per topic encodes and publishes that topic's messages in log
// order. It returns once the broker acknowledged them all, or with the
// failures joined (each matching [ErrUnavailable] or ctx's error). It does
// not move the checkpoint.
func (f *Forwarder) Publish(ctx context.Context, recs []eventstore.Record) error {
	byTopic := f.group(recs)
	ctx, cancel := context.WithTimeoutCause(ctx, f.cfg.PublishTimeout,
		fmt.Errorf("%w: no acknowledgement within %s", ErrUnavailable, f.cfg.PublishTimeout))
	defer cancel()
	errs := make(chan error, len(byTopic))
	for topic, recs := range byTopic {
		go func() { errs <- f.publishTopic(ctx, topic, recs) }()
	}
	var all []error
	for range byTopic {
		all = append(all, <-errs)
	}
	if err := errors.Join(all...); err != nil {
		return fmt.Errorf("publish events %d to %d: %w", recs[0].Position, recs[len(recs)-1].Position, err)
	}
	return nil
}

func (f *Forwarder) publishTopic(ctx context.Context, topic string, recs []eventstore.Record) error {
	msgs := make([]*message.Message, len(recs))
	for i, r := range recs {
		msg, err := NewMessage(r)
		if err != nil {
			return err
		}
		msgs[i] = msg
	}
	return f.cfg.Publisher.Publish(ctx, topic, msgs)
}

// group splits recs by topic, keeping their order.
func (f *Forwarder) group(recs []eventstore.Record) map[string][]eventstore.Record {
	out := map[string][]eventstore.Record{}
	for _, r := range recs {
		topic := f.cfg.Sharding.TopicOf(r.Stream)
		out[topic] = append(out[topic], r)
	}
	return out
}
