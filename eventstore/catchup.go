package eventstore

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Signal wakes waiters when new events may be visible. The zero Signal is
// ready to use; it is safe for concurrent use.
type Signal struct {
	mu sync.Mutex
	ch chan struct{}
}

// C returns a channel that is closed by the next call of Notify.
func (s *Signal) C() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

// Notify wakes every waiter on the channels C returned so far.
func (s *Signal) Notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}

// ReadAllFunc reads the global log; it is a [Store]'s ReadAll.
type ReadAllFunc func(ctx context.Context, opts ReadAllOptions) ([]Record, error)

// CatchUp is a [Subscription] built on a gap-free ReadAll: it pages through
// history, then waits for wake-ups (or polls, for writers in other
// processes) and reads again after the last delivered position. Because
// ReadAll returns only a gap-free prefix, CatchUp never skips or repeats an
// event. Adapters whose ReadAll has that guarantee use it as their
// Subscribe.
type CatchUp struct {
	read   ReadAllFunc
	wake   *Signal
	poll   time.Duration
	opts   SubscribeOptions
	done   chan struct{}
	closer sync.Once
}

// NewCatchUp returns a subscription reading through read after opts.After.
// wake (may be nil) signals new events; poll (if positive) bounds how long
// Next waits without a signal before reading again.
func NewCatchUp(read ReadAllFunc, wake *Signal, poll time.Duration, opts SubscribeOptions) *CatchUp {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultMaxBatch
	}
	if wake == nil {
		wake = &Signal{}
	}
	return &CatchUp{read: read, wake: wake, poll: poll, opts: opts, done: make(chan struct{})}
}

// Next implements [Subscription].
func (c *CatchUp) Next(ctx context.Context) ([]Record, error) {
	for {
		woken := c.wake.C()
		select {
		case <-c.done:
			return nil, ErrClosed
		default:
		}
		recs, err := c.read(ctx, ReadAllOptions{After: c.opts.After, Limit: c.opts.MaxBatch, Filter: c.opts.Filter})
		if err != nil {
			return nil, fmt.Errorf("subscription after %d: %w", c.opts.After, err)
		}
		if len(recs) > 0 {
			c.opts.After = recs[len(recs)-1].Position
			return recs, nil
		}
		if err := c.wait(ctx, woken); err != nil {
			return nil, err
		}
	}
}

func (c *CatchUp) wait(ctx context.Context, woken <-chan struct{}) error {
	var tick <-chan time.Time
	if c.poll > 0 {
		t := time.NewTimer(c.poll)
		defer t.Stop()
		tick = t.C
	}
	select {
	case <-woken:
	case <-tick:
	case <-c.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// Close implements [Subscription].
func (c *CatchUp) Close() error {
	c.closer.Do(func() { close(c.done) })
	return nil
}
