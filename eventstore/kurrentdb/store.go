package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// probeStream is the stream Open reads to check that the cluster answers;
// it need not exist.
const probeStream = "ledgerline-probe"

// Store is the event store on a KurrentDB cluster. It is safe for
// concurrent use.
type Store struct {
	cfg     Config
	esdbCfg *esdb.Configuration

	heads heads
	locks *locks

	mu     sync.Mutex
	client *esdb.Client
	closed bool
	subs   map[*subscription]struct{}

	// inflight counts round trips still running on the client, which
	// Close must not close under them (see Close).
	inflight sync.WaitGroup
}

var (
	_ eventstore.Store      = (*Store)(nil)
	_ eventstore.HeadReader = (*Store)(nil)
)

// Open connects to the cluster that url names (esdb://, esdb+discover://,
// kurrentdb:// or kurrentdb+discover://, one host or several seeds) and
// checks that it answers within ctx and cfg.Timeout.
func Open(ctx context.Context, url string, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open kurrentdb: %w", err)
	}
	cfg = cfg.withDefaults()
	esdbCfg, err := parseConnString(url, cfg.Logger)
	if err != nil {
		return nil, fmt.Errorf("open kurrentdb: %w", err)
	}
	client, err := esdb.NewClient(esdbCfg)
	if err != nil {
		return nil, fmt.Errorf("open kurrentdb: %w", err)
	}
	s := &Store{cfg: cfg, esdbCfg: esdbCfg, locks: newLocks(), client: client, subs: map[*subscription]struct{}{}}
	if err := s.probe(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("open kurrentdb: %w", err)
	}
	return s, nil
}

// probe reads a stream that need not exist: an answer, even "not found",
// proves that the cluster is reachable and lets the store in.
func (s *Store) probe(ctx context.Context) error {
	err := s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		_, err := drain(c.ReadStream(ctx, s.cfg.Namespace+probeStream, esdb.ReadStreamOptions{}, 1))
		return err
	})
	if err == nil || isCode(err, esdb.ErrorCodeResourceNotFound) {
		return nil
	}
	return translate(ctx, "probe", err)
}

// Close stops the store's subscriptions and closes the client. It is
// idempotent.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	subs, client := s.subs, s.client
	s.subs = nil
	s.mu.Unlock()
	for sub := range subs {
		_ = sub.Close()
	}
	if !s.settled() {
		// The v4 client closes its request channel while a round trip
		// may still be sending on it (a data race, and a panic), so a
		// client with round trips stuck in discovery is left to them.
		s.cfg.Logger.Warn("kurrentdb: closing with round trips still waiting for the cluster; the client is abandoned")
		return nil
	}
	return client.Close()
}

// settled waits, at most Config.Timeout, for the round trips in flight.
func (s *Store) settled() bool {
	done := make(chan struct{})
	go func() {
		s.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(s.cfg.Timeout):
		return false
	}
}

// current returns the client, or ErrClosed.
func (s *Store) current() (*esdb.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	return s.client, nil
}

// renew replaces a client that closed itself. The v4 client does so when
// discovery gives up (maxDiscoverAttempts), and then refuses every call.
func (s *Store) renew(old *esdb.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.client != old {
		return
	}
	c, err := esdb.NewClient(s.esdbCfg)
	if err != nil {
		return // cannot happen: the configuration passed validation in Open
	}
	s.client = c
	_ = old.Close()
	s.cfg.Logger.Warn("kurrentdb: the esdb client gave up discovery and closed itself; replaced it")
}

// call makes one round trip to KurrentDB through run, bounded by
// Config.Timeout: when that expires first it returns a timeoutError.
func (s *Store) call(ctx context.Context, op func(ctx context.Context, c *esdb.Client) error) error {
	bounded, cancel := context.WithTimeoutCause(ctx, s.cfg.Timeout, timeoutError{s.cfg.Timeout})
	defer cancel()
	err := s.run(bounded, op)
	if ctx.Err() == nil && bounded.Err() != nil {
		return context.Cause(bounded)
	}
	return err
}

// run runs op with the current client on a goroutine of its own. While
// the client rediscovers the cluster it blocks its callers without looking
// at their context, so ctx, not op, bounds the wait; and a call racing
// with the client's Close can hit a send on its closed channel, which the
// goroutine recovers as an error instead of crashing the process.
func (s *Store) run(ctx context.Context, op func(ctx context.Context, c *esdb.Client) error) error {
	c, err := s.current()
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("%w: %v", errClientGone, r)
			}
		}()
		done <- op(ctx, c)
	}()
	select {
	case err := <-done:
		if isCode(err, esdb.ErrorCodeConnectionClosed) {
			s.renew(c)
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// timeoutError is what a round trip returns when Config.Timeout expires:
// KurrentDB did not answer.
type timeoutError struct{ after time.Duration }

func (e timeoutError) Error() string {
	return fmt.Sprintf("no answer from KurrentDB within %s", e.after)
}

// name is the KurrentDB name of a stream of the store.
func (s *Store) name(stream string) string { return s.cfg.Namespace + stream }

// claimStream is the KurrentDB name of the stream that claims id.
func (s *Store) claimStream(id uuid.UUID) string {
	return s.cfg.IDIndexPrefix + s.cfg.Namespace + id.String()
}

// own returns the store's name of a KurrentDB stream, and whether the
// store sees it: inside the namespace, neither a system stream nor an id
// claim, and within Config.StreamPrefixes.
func (s *Store) own(name, typ string) (string, bool) {
	if strings.HasPrefix(name, "$") || strings.HasPrefix(typ, "$") || strings.HasPrefix(name, s.cfg.IDIndexPrefix) {
		return "", false
	}
	stream, ok := strings.CutPrefix(name, s.cfg.Namespace)
	if !ok || !(eventstore.Filter{StreamPrefixes: s.cfg.StreamPrefixes}).Match(stream, typ) {
		return "", false
	}
	return stream, true
}

// checkNames refuses names KurrentDB or the store reserve: a stream or an
// event type starting with "$", a stream starting with the id-claim
// prefix.
func (s *Store) checkNames(stream string, events []eventstore.EventData) error {
	if strings.HasPrefix(stream, "$") || strings.HasPrefix(s.name(stream), s.cfg.IDIndexPrefix) {
		return fmt.Errorf("%w: append to %s: the name is reserved for system streams", eventstore.ErrInvalidEvent, stream)
	}
	for i, ev := range events {
		if strings.HasPrefix(ev.Type, "$") {
			return fmt.Errorf("%w: append to %s: event %d: type %q is reserved for system events", eventstore.ErrInvalidEvent, stream, i, ev.Type)
		}
	}
	return nil
}

// isCode reports whether err is an esdb error with code.
func isCode(err error, code esdb.ErrorCode) bool {
	var e *esdb.Error
	return errors.As(err, &e) && e.Code() == code
}
