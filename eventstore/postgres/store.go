package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/pgerr"
)

// Store is the PostgreSQL event store. It is safe for concurrent use.
type Store struct {
	pool   *pgxpool.Pool
	cfg    Config
	q      queries
	heads  headCache
	wake   eventstore.Signal
	notify chan struct{} // pokes the notifier after a commit
	stop   context.CancelFunc
	done   sync.WaitGroup
	closed atomic.Bool
	closer sync.Once
}

var (
	_ eventstore.Store         = (*Store)(nil)
	_ eventstore.BatchAppender = (*Store)(nil)
)

// Open connects to the database named by dsn, migrates cfg.Schema to the
// latest version and starts the listener that wakes subscriptions. It
// fails with an error matching [eventstore.ErrUnavailable] when the
// server cannot be reached.
func Open(ctx context.Context, dsn string, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open event store: %w", err)
	}
	cfg = cfg.withDefaults()
	pool, err := newPool(ctx, dsn, cfg.MaxConns)
	if err != nil {
		return nil, pgerr.Translate(ctx, "open event store", err)
	}
	if err := migrate(ctx, pool, cfg.Schema); err != nil {
		pool.Close()
		return nil, pgerr.Translate(ctx, "migrate event store", err)
	}
	s := &Store{pool: pool, cfg: cfg, q: newQueries(cfg.Schema), notify: make(chan struct{}, 1)}
	if err := s.start(ctx); err != nil {
		pool.Close()
		return nil, pgerr.Translate(ctx, "listen for events", err)
	}
	return s, nil
}

func newPool(ctx context.Context, dsn string, maxConns int32) (*pgxpool.Pool, error) {
	pcfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if maxConns > 0 {
		pcfg.MaxConns = maxConns
	}
	return pgxpool.NewWithConfig(ctx, pcfg)
}

// start connects the listener before returning, so that no append after
// Open goes unnoticed, then runs the listener and the notifier until
// Close.
func (s *Store) start(ctx context.Context) error {
	l, err := dialListener(ctx, s.pool.Config().ConnConfig, s.cfg.Schema)
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.done.Add(2)
	go func() { defer s.done.Done(); l.run(runCtx, s.q.horizon, &s.wake) }()
	go func() { defer s.done.Done(); s.runNotifier(runCtx) }()
	return nil
}

// Subscribe implements [eventstore.Store]: a catch-up subscription over
// the gap-free ReadAll, woken by the listener (see doc.go). It is closed
// when ctx is done.
func (s *Store) Subscribe(ctx context.Context, opts eventstore.SubscribeOptions) (eventstore.Subscription, error) {
	if s.closed.Load() {
		return nil, eventstore.ErrClosed
	}
	sub := eventstore.NewCatchUp(s.ReadAll, &s.wake, s.cfg.PollInterval, opts)
	context.AfterFunc(ctx, func() { _ = sub.Close() })
	return sub, nil
}

// Close implements [eventstore.Store]: it stops the listener and closes
// the pool, waiting for calls in flight to return their connections.
func (s *Store) Close() error {
	s.closer.Do(func() {
		s.closed.Store(true)
		s.stop()
		s.done.Wait()
		s.pool.Close()
		s.wake.Notify()
	})
	return nil
}

// maxAttempts bounds how often a call is tried when the server is
// unavailable; retryDelay is the pause before the second attempt, doubled
// for each further one.
const (
	maxAttempts = 3
	retryDelay  = 50 * time.Millisecond
)

// retry runs fn until it succeeds, fails with an error other than
// [eventstore.ErrUnavailable], or has been tried maxAttempts times; before
// trying again it discards the pool's connections. Every
// call it wraps is safe to repeat: reads trivially, appends because they
// are idempotent by event id.
func (s *Store) retry(ctx context.Context, fn func() error) error {
	delay := retryDelay
	for attempt := 1; ; attempt++ {
		err := fn()
		if err != nil && s.closed.Load() {
			return eventstore.ErrClosed
		}
		if err == nil || attempt == maxAttempts || !errors.Is(err, eventstore.ErrUnavailable) {
			return err
		}
		// A dropped connection usually means the server restarted and
		// every pooled connection is dead: drop them all at once rather
		// than failing on each in turn.
		s.pool.Reset()
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay *= 2
	}
}
