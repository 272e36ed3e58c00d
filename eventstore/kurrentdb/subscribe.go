package kurrentdb

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Delays before a lost subscription is opened again: doubling from
// minRetry up to maxRetry, back to minRetry once events flow again.
const (
	minRetry = 50 * time.Millisecond
	maxRetry = 2 * time.Second
)

// Subscribe implements [eventstore.Store] with a catch-up subscription to
// $all, filtered server-side (see serverFilter), that KurrentDB switches
// from history to live events itself. When the connection is lost the
// subscription is opened again after the last event it received, so that
// Next sees neither a gap nor a duplicate.
func (s *Store) Subscribe(ctx context.Context, opts eventstore.SubscribeOptions) (eventstore.Subscription, error) {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = eventstore.DefaultMaxBatch
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	ctx, cancel := context.WithCancel(ctx)
	sub := &subscription{store: s, filter: opts.Filter, maxBatch: opts.MaxBatch, cancel: cancel,
		records: make(chan eventstore.Record, opts.MaxBatch), done: make(chan struct{})}
	s.subs[sub] = struct{}{}
	go sub.run(ctx, opts.After)
	return sub, nil
}

// serverFilter is the KurrentDB filter closest to what the store shows
// through f: the stream prefixes (f's, else Config's), else the event
// types (an anchored regular expression), else the namespace, else every
// stream but system streams. show checks every event received again.
func (s *Store) serverFilter(f eventstore.Filter) *esdb.SubscriptionFilter {
	prefixes := f.StreamPrefixes
	if len(prefixes) == 0 {
		prefixes = s.cfg.StreamPrefixes
	}
	switch {
	case len(prefixes) > 0:
		names := make([]string, len(prefixes))
		for i, p := range prefixes {
			names[i] = s.name(p)
		}
		return &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: names}
	case len(f.Types) > 0:
		quoted := make([]string, len(f.Types))
		for i, t := range f.Types {
			quoted[i] = regexp.QuoteMeta(t)
		}
		return &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Regex: "^(?:" + strings.Join(quoted, "|") + ")$"}
	case s.cfg.Namespace != "":
		return &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{s.cfg.Namespace}}
	}
	return &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Regex: "^[^$]"}
}

// forget drops a closed subscription from the store.
func (s *Store) forget(sub *subscription) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.subs, sub)
}

// subscription pumps a KurrentDB subscription into records, which Next
// drains in batches. It is not safe for concurrent use, but Close may be
// called from any goroutine.
type subscription struct {
	store    *Store
	filter   eventstore.Filter
	maxBatch int
	records  chan eventstore.Record
	cancel   context.CancelFunc
	done     chan struct{} // closed when the pump has returned
	fatal    error         // why the pump returned; written before done closes
	closed   atomic.Bool
	stop     sync.Once
}

// Next implements [eventstore.Subscription]: it waits for one event, then
// takes those already received, up to the batch cap.
func (p *subscription) Next(ctx context.Context) ([]eventstore.Record, error) {
	if p.closed.Load() {
		return nil, eventstore.ErrClosed
	}
	select {
	case rec := <-p.records:
		return p.batch(rec), nil
	default:
	}
	select {
	case rec := <-p.records:
		return p.batch(rec), nil
	case <-p.done:
		select {
		case rec := <-p.records:
			return p.batch(rec), nil
		default:
			return nil, p.fatal
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// batch returns first and the records already received after it.
func (p *subscription) batch(first eventstore.Record) []eventstore.Record {
	out := []eventstore.Record{first}
	for len(out) < p.maxBatch {
		select {
		case rec := <-p.records:
			out = append(out, rec)
		default:
			return out
		}
	}
	return out
}

// Close implements [eventstore.Subscription]; it returns once the pump
// has stopped.
func (p *subscription) Close() error {
	p.stop.Do(func() {
		p.closed.Store(true)
		p.cancel()
		<-p.done
		p.store.forget(p)
	})
	return nil
}

// run follows $all after position after, opening the subscription again
// whenever the connection is lost, until ctx ends or an error that a new
// attempt would not cure.
func (p *subscription) run(ctx context.Context, after uint64) {
	defer close(p.done)
	delay := minRetry
	for {
		next, err := p.follow(ctx, after)
		if next > after {
			after, delay = next, minRetry
		}
		if ctx.Err() != nil || !resubscribable(err) {
			p.fatal = p.reason(ctx, after, err)
			return
		}
		p.store.cfg.Logger.Warn("kurrentdb: subscription lost, opening it again",
			"after", after, "retry_in", delay, "error", err)
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			p.fatal = p.reason(ctx, after, err)
			return
		}
		delay = min(2*delay, maxRetry)
	}
}

// reason is what Next reports once the pump has returned.
func (p *subscription) reason(ctx context.Context, after uint64, err error) error {
	switch {
	case p.closed.Load():
		return eventstore.ErrClosed
	case ctx.Err() != nil:
		return fmt.Errorf("subscription after %d: %w", after, ctx.Err())
	}
	return translate(ctx, fmt.Sprintf("subscription after %d", after), err)
}

// follow subscribes to $all after position after and hands the events the
// store shows to Next, until the subscription drops. It returns the
// position of the last event received.
func (p *subscription) follow(ctx context.Context, after uint64) (uint64, error) {
	opts := esdb.SubscribeToAllOptions{From: esdb.Start{}, Filter: p.store.serverFilter(p.filter)}
	if after > 0 {
		opts.From = logPosition(after)
	}
	var sub *esdb.Subscription
	err := p.store.run(ctx, func(ctx context.Context, c *esdb.Client) error {
		var err error
		sub, err = c.SubscribeToAll(ctx, opts)
		return err
	})
	if err != nil {
		return after, err
	}
	defer sub.Close()
	for {
		msg := sub.Recv()
		if msg.SubscriptionDropped != nil {
			return after, msg.SubscriptionDropped.Error
		}
		if msg.EventAppeared == nil || msg.EventAppeared.Event == nil {
			continue // caught up, a checkpoint: nothing to hand over
		}
		e := msg.EventAppeared.Event
		if position(e.Position) <= after {
			continue
		}
		after = position(e.Position)
		if rec, ok := p.store.show(e, p.filter); ok {
			select {
			case p.records <- rec:
			case <-ctx.Done():
				return after, ctx.Err()
			}
		}
	}
}
