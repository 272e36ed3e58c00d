package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/pgerr"
)

// maxRaces bounds how often one append retries after losing a race for a
// stream version to a concurrent appender.
const maxRaces = 32

// errRace means the insert hit a unique constraint: a concurrent appender
// took a version first, or the events are a replay.
var errRace = errors.New("insert lost a race")

// Append implements [eventstore.Store].
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	if err := eventstore.ValidateAppend(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	out, err := s.append(ctx, "append to "+stream, []eventstore.AppendRequest{{Stream: stream, Expected: expected, Events: events}})
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	return out[0], nil
}

// AppendBatch implements [eventstore.BatchAppender]: all requests are
// stored by one statement, in one transaction.
func (s *Store) AppendBatch(ctx context.Context, reqs []eventstore.AppendRequest) ([]eventstore.AppendResult, error) {
	for _, r := range reqs {
		if err := eventstore.ValidateAppend(r.Stream, r.Events); err != nil {
			return nil, err
		}
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	out, err := s.append(ctx, fmt.Sprintf("%d requests", len(reqs)), reqs)
	if err != nil {
		return nil, fmt.Errorf("append batch: %w", err)
	}
	return out, nil
}

func (s *Store) append(ctx context.Context, op string, reqs []eventstore.AppendRequest) ([]eventstore.AppendResult, error) {
	if n := countEvents(reqs); n > MaxEventsPerTx {
		return nil, fmt.Errorf("%w: %s: %d events in one transaction, at most %d", eventstore.ErrInvalidEvent, op, n, MaxEventsPerTx)
	}
	if s.closed.Load() {
		return nil, eventstore.ErrClosed
	}
	var out []eventstore.AppendResult
	err := s.retry(ctx, func() (err error) {
		out, err = s.write(ctx, op, reqs)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.poke()
	return out, nil
}

// write stores reqs. When an attempt fails its expected-version check or
// loses a race, write looks the events up: requests already stored are
// replays and report where they are, an id stored otherwise fails, and
// the rest are tried again, or fail with the conflict.
func (s *Store) write(ctx context.Context, op string, reqs []eventstore.AppendRequest) ([]eventstore.AppendResult, error) {
	out := make([]eventstore.AppendResult, len(reqs))
	todo := make([]int, len(reqs))
	for i := range todo {
		todo[i] = i
	}
	// A batch over several streams locks them (in sorted order) from the
	// first attempt: two batches crossing the same streams would otherwise
	// deadlock on each other's index entries.
	crossing := len(streamsOf(reqs, todo)) > 1
	for race := 0; ; race++ {
		err := s.attempt(ctx, op, reqs, todo, out, race > 0 || crossing)
		var mm *mismatch
		switch {
		case err == nil:
			return out, nil
		case !errors.As(err, &mm) && !errors.Is(err, errRace):
			return nil, err
		}
		if todo, err = s.replays(ctx, op, reqs, todo, out); err != nil {
			return nil, err
		}
		if len(todo) == 0 {
			return out, nil
		}
		switch {
		case mm != nil && slices.Contains(todo, mm.req):
			return nil, mm.conflict
		case race == maxRaces:
			return nil, fmt.Errorf("%s: %d races lost to concurrent appenders: %w", op, race, eventstore.ErrWrongExpectedVersion)
		}
	}
}

// attempt reads the heads of reqs[todo], plans their rows and inserts them
// in one statement, filling out. After a lost race (locked) it does so in
// a transaction that first takes an advisory lock on each stream, so that
// appenders contending for one stream take turns instead of starving; the
// lock assigns no transaction id, so the heads are still read before the
// insert takes one.
func (s *Store) attempt(ctx context.Context, op string, reqs []eventstore.AppendRequest, todo []int, out []eventstore.AppendResult, locked bool) error {
	var p *plan
	var heads map[string]head
	var base uint64
	err := s.inTx(ctx, locked, func(q querier) (err error) {
		if heads, err = s.readHeads(ctx, q, reqs, todo, locked); err != nil {
			return err
		}
		if p, err = newPlan(reqs, todo, heads, s.cfg.Clock()); err != nil {
			return err
		}
		sql, args := s.q.insertRows(&p.rows)
		return q.QueryRow(ctx, sql, args...).Scan(&base)
	})
	var mm *mismatch
	switch {
	case uniqueViolation(err), deadlocked(err):
		return errRace
	case errors.As(err, &mm), errors.Is(err, eventstore.ErrDuplicateEventID):
		return err
	case err != nil:
		return pgerr.Translate(ctx, op, err)
	}
	for stream, h := range heads { // committed: newPlan left the new heads
		s.heads.put(stream, h)
	}
	for k, i := range p.reqs {
		out[i] = p.results[k]
		out[i].LastPosition += base
	}
	return nil
}

// readHeads returns the heads of the streams of reqs[todo]: those it can
// guess from the cache without a read, the others read in one query.
// Locked, it takes the streams' locks first and reads every head.
func (s *Store) readHeads(ctx context.Context, q querier, reqs []eventstore.AppendRequest, todo []int, locked bool) (map[string]head, error) {
	heads, unknown := s.heads.guess(reqs, todo)
	if locked {
		heads, unknown = map[string]head{}, streamsOf(reqs, todo)
		if _, err := q.Exec(ctx, s.q.lock, unknown); err != nil {
			return nil, err
		}
	}
	if len(unknown) == 0 {
		return heads, nil
	}
	rows, err := q.Query(ctx, s.q.heads, unknown)
	if err != nil {
		return nil, err
	}
	var name string
	var h head
	_, err = pgx.ForEachRow(rows, []any{&name, &h.version, &h.hash}, func() error {
		heads[name] = h
		return nil
	})
	return heads, err
}

// querier is what attempt needs of a pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// inTx runs fn in a transaction when tx is set, else straight on the pool
// (where the insert is a transaction of its own).
func (s *Store) inTx(ctx context.Context, tx bool, fn func(q querier) error) error {
	if !tx {
		return fn(s.pool)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return fn(tx) })
}

// streamsOf returns the distinct streams of reqs[todo], sorted, the order
// in which locks are taken.
func streamsOf(reqs []eventstore.AppendRequest, todo []int) []string {
	streams := make([]string, 0, len(todo))
	for _, i := range todo {
		streams = append(streams, reqs[i].Stream)
	}
	slices.Sort(streams)
	return slices.Compact(streams)
}

// replays looks up the events of reqs[todo]; it fills out for the
// requests that are already stored and returns the others.
func (s *Store) replays(ctx context.Context, op string, reqs []eventstore.AppendRequest, todo []int, out []eventstore.AppendResult) ([]int, error) {
	var ids [][16]byte
	for _, i := range todo {
		for _, ev := range reqs[i].Events {
			ids = append(ids, ev.ID)
		}
	}
	recs, err := s.query(ctx, len(ids), s.q.byIDs, ids)
	if err != nil {
		return nil, pgerr.Translate(ctx, op, err)
	}
	stored := make(map[uuid.UUID]eventstore.Record, len(recs))
	for _, r := range recs {
		stored[r.ID] = r
	}
	var rest []int
	for _, i := range todo {
		res, replay, err := classify(reqs[i].Stream, reqs[i].Events, stored)
		switch {
		case err != nil:
			return nil, err
		case replay:
			out[i] = res
		default:
			rest = append(rest, i)
		}
	}
	return rest, nil
}

func countEvents(reqs []eventstore.AppendRequest) int {
	n := 0
	for _, r := range reqs {
		n += len(r.Events)
	}
	return n
}
