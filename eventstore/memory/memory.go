package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Store keeps the event log in memory. It is safe for concurrent use.
type Store struct {
	mu      sync.RWMutex
	log     []eventstore.Record
	streams map[string][]int
	byID    map[uuid.UUID]int
	closed  bool
	wake    eventstore.Signal
	now     func() time.Time
}

var _ eventstore.Store = (*Store)(nil)

// New returns an empty store whose records are stamped by now (time.Now
// when nil).
func New(now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{streams: map[string][]int{}, byID: map[uuid.UUID]int{}, now: now}
}

// Append implements [eventstore.Store].
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	if err := eventstore.ValidateAppend(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return eventstore.AppendResult{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return eventstore.AppendResult{}, eventstore.ErrClosed
	}
	res, err := s.appendLocked(stream, expected, events)
	if err == nil {
		s.wake.Notify()
	}
	return res, err
}

// replayed reports whether events are an exact repeat of events stored
// one after the other in stream (done), or reuse a stored id with other
// content, in another stream or out of order (err). The stored events
// need not be adjacent in the global log: separate appends may have put
// other streams' events between them.
func (s *Store) replayed(stream string, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	first, found := s.byID[events[0].ID]
	if !found {
		for _, ev := range events[1:] {
			if _, dup := s.byID[ev.ID]; dup {
				return eventstore.AppendResult{}, false, fmt.Errorf("append to %s: event %s: %w", stream, ev.ID, eventstore.ErrDuplicateEventID)
			}
		}
		return eventstore.AppendResult{}, false, nil
	}
	var last eventstore.Record
	for i, ev := range events {
		idx, ok := s.byID[ev.ID]
		if !ok || !eventstore.SameEvent(s.log[idx], stream, ev) || s.log[idx].Version != s.log[first].Version+uint64(i) {
			return eventstore.AppendResult{}, false, fmt.Errorf("append to %s: event %s: %w", stream, ev.ID, eventstore.ErrDuplicateEventID)
		}
		last = s.log[idx]
	}
	return eventstore.AppendResult{FirstVersion: s.log[first].Version, LastVersion: last.Version, LastPosition: last.Position}, true, nil
}

func (s *Store) write(stream string, current uint64, events []eventstore.EventData) eventstore.AppendResult {
	var prev []byte
	if idx := s.streams[stream]; len(idx) > 0 {
		prev = s.log[idx[len(idx)-1]].Hash
	}
	now := s.now()
	for i, ev := range events {
		ev.Data = slices.Clone(ev.Data) // the caller may reuse its buffer
		rec := eventstore.Seal(prev, eventstore.Record{EventData: ev, Stream: stream,
			Version: current + uint64(i) + 1, Position: uint64(len(s.log)) + 1, RecordedAt: now})
		prev = rec.Hash
		s.byID[ev.ID] = len(s.log)
		s.streams[stream] = append(s.streams[stream], len(s.log))
		s.log = append(s.log, rec)
	}
	return eventstore.AppendResult{FirstVersion: current + 1, LastVersion: current + uint64(len(events)),
		LastPosition: uint64(len(s.log))}
}

// AppendBatch implements [eventstore.BatchAppender]: it checks every
// request before it writes any.
func (s *Store) AppendBatch(ctx context.Context, reqs []eventstore.AppendRequest) ([]eventstore.AppendResult, error) {
	for _, r := range reqs {
		if err := eventstore.ValidateAppend(r.Stream, r.Events); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	undo := len(s.log)
	out := make([]eventstore.AppendResult, 0, len(reqs))
	for _, r := range reqs {
		res, err := s.appendLocked(r.Stream, r.Expected, r.Events)
		if err != nil {
			s.truncate(undo)
			return nil, fmt.Errorf("append batch: %w", err)
		}
		out = append(out, res)
	}
	s.wake.Notify()
	return out, nil
}

func (s *Store) appendLocked(stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	if res, done, err := s.replayed(stream, events); done || err != nil {
		return res, err
	}
	current := uint64(len(s.streams[stream]))
	if !expected.Matches(current) {
		return eventstore.AppendResult{}, &eventstore.ConflictError{Stream: stream, Expected: expected, Actual: current}
	}
	return s.write(stream, current, events), nil
}

// truncate drops every record from log index n on, undoing a failed batch.
func (s *Store) truncate(n int) {
	for _, rec := range s.log[n:] {
		delete(s.byID, rec.ID)
		idx := s.streams[rec.Stream]
		if idx = idx[:len(idx)-1]; len(idx) == 0 {
			delete(s.streams, rec.Stream)
		} else {
			s.streams[rec.Stream] = idx
		}
	}
	s.log = s.log[:n]
}

// ReadStream implements [eventstore.Store].
func (s *Store) ReadStream(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) ([]eventstore.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	idx := s.streams[stream]
	if len(idx) == 0 {
		return nil, fmt.Errorf("read %s: %w", stream, eventstore.ErrStreamNotFound)
	}
	var out []eventstore.Record
	for _, i := range selectVersions(len(idx), opts) {
		out = append(out, detached(s.log[idx[i]]))
	}
	return out, nil
}

// selectVersions returns the 0-based indexes of a stream of n events that
// opts asks for, in order.
func selectVersions(n int, opts eventstore.ReadStreamOptions) []int {
	var out []int
	if opts.Direction == eventstore.Backwards {
		start := n - 1
		if opts.From > 0 && int(opts.From) <= n {
			start = int(opts.From) - 1
		}
		for i := start; i >= 0 && (opts.Limit == 0 || len(out) < opts.Limit); i-- {
			out = append(out, i)
		}
		return out
	}
	for i := max(int(opts.From)-1, 0); i < n && (opts.Limit == 0 || len(out) < opts.Limit); i++ {
		out = append(out, i)
	}
	return out
}

// detached returns rec with its own copies of the stored bytes, so that a
// reader who changes them cannot alter history.
func detached(rec eventstore.Record) eventstore.Record {
	rec.Data = slices.Clone(rec.Data)
	rec.Hash = slices.Clone(rec.Hash)
	return rec
}

// ReadAll implements [eventstore.Store].
func (s *Store) ReadAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	if opts.Limit <= 0 {
		return nil, fmt.Errorf("read all: limit %d: %w", opts.Limit, eventstore.ErrInvalidEvent)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	var out []eventstore.Record
	for _, rec := range s.log[min(opts.After, uint64(len(s.log))):] {
		if opts.Filter.Match(rec.Stream, rec.Type) {
			out = append(out, detached(rec))
			if len(out) == opts.Limit {
				break
			}
		}
	}
	return slices.Clip(out), nil
}

// Subscribe implements [eventstore.Store]. The subscription ends when ctx
// is done, as the port requires.
func (s *Store) Subscribe(ctx context.Context, opts eventstore.SubscribeOptions) (eventstore.Subscription, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	sub := eventstore.NewCatchUp(s.ReadAll, &s.wake, 0, opts)
	return &subscription{CatchUp: sub, stop: context.AfterFunc(ctx, func() { _ = sub.Close() })}, nil
}

// subscription is a catch-up subscription tied to the context it was
// started with. Like [eventstore.CatchUp], it is not safe for concurrent
// use, except that Close may be called while Next waits.
type subscription struct {
	*eventstore.CatchUp
	stop func() bool
}

// Close implements [eventstore.Subscription]; it also releases the
// context hook.
func (s *subscription) Close() error {
	s.stop()
	return s.CatchUp.Close()
}

// Close implements [eventstore.Store].
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.wake.Notify()
	return nil
}

// Head implements [eventstore.HeadReader].
func (s *Store) Head(ctx context.Context) (uint64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return 0, eventstore.ErrClosed
	}
	return uint64(len(s.log)), ctx.Err()
}
