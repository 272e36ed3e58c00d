package postgres

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/pgerr"
)

// columns are the events columns a [eventstore.Record] is scanned from, in
// the order recordScanner expects.
const columns = `position, stream, version, id, type, schema_version, data, occurred_at, recorded_at,
	actor, command_id, correlation_id, causation_id, hash`

// queries holds the statements of one schema, built once at Open.
type queries struct {
	heads, insert, lock, byIDs                 string
	streamForwards, streamBackwards, streamHas string
	readAll, horizon                           string
	values                                     []string
}

func newQueries(schema string) queries {
	q := func(sql string) string { return qualify(schema, sql) }
	return queries{
		heads:           q(headsSQL),
		insert:          q(insertSQL),
		lock:            lockSQL,
		byIDs:           q("SELECT " + columns + " FROM {{s}}.events WHERE id = ANY($1::uuid[])"),
		streamForwards:  q("SELECT " + columns + " FROM {{s}}.events WHERE stream = $1 AND version >= $2 ORDER BY version LIMIT $3"),
		streamBackwards: q("SELECT " + columns + " FROM {{s}}.events WHERE stream = $1 AND version <= $2 ORDER BY version DESC LIMIT $3"),
		streamHas:       q("SELECT EXISTS (SELECT 1 FROM {{s}}.events WHERE stream = $1)"),
		readAll:         q(readAllSQL),
		horizon:         q(horizonSQL),
		values:          valuesSQLs(schema),
	}
}

// readAllSQL reads the log after $1 and marks each row released when its
// position lies below the horizon: the oldest in-flight transaction id
// shifted into position space. Released rows form a gap-free prefix (see
// doc.go); the others are committed but held back.
const readAllSQL = `SELECT ` + columns + `, position < h.horizon
FROM {{s}}.events, (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16 AS horizon) AS h
WHERE position > $1
	AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($2::text[]) AS p(prefix) WHERE starts_with(stream, p.prefix)))
	AND ($3::text[] IS NULL OR type = ANY($3::text[]))
ORDER BY position
LIMIT $4`

// horizonSQL reports the highest committed position and the horizon below
// which ReadAll returns events; the listener polls it while events are
// held back.
const horizonSQL = `SELECT coalesce((SELECT position FROM {{s}}.events ORDER BY position DESC LIMIT 1), 0),
	pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16`

// ReadStream implements [eventstore.Store]. It reads committed events
// without the feed's in-flight guard: a stream's versions are dense, so a
// reader of one stream cannot skip an event.
func (s *Store) ReadStream(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) ([]eventstore.Record, error) {
	if s.closed.Load() {
		return nil, eventstore.ErrClosed
	}
	var out []eventstore.Record
	err := s.retry(ctx, func() (err error) {
		out, err = s.readStream(ctx, stream, opts)
		return err
	})
	return out, err
}

func (s *Store) readStream(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) ([]eventstore.Record, error) {
	sql, from := s.q.streamForwards, clampInt64(opts.From)
	if opts.Direction == eventstore.Backwards {
		sql = s.q.streamBackwards
		if opts.From == 0 {
			from = math.MaxInt64
		}
	}
	var limit *int
	if opts.Limit > 0 {
		limit = &opts.Limit
	}
	recs, err := s.query(ctx, s.sizeHint(stream, opts), sql, stream, from, limit)
	if err != nil {
		return nil, pgerr.Translate(ctx, "read "+stream, err)
	}
	if len(recs) > 0 {
		s.rememberHead(recs, opts)
		return recs, nil
	}
	var found bool
	if err := s.pool.QueryRow(ctx, s.q.streamHas, stream).Scan(&found); err != nil {
		return nil, pgerr.Translate(ctx, "read "+stream, err)
	}
	if !found {
		return nil, fmt.Errorf("read %s: %w", stream, eventstore.ErrStreamNotFound)
	}
	return recs, nil
}

// sizeHint guesses how many events a read of stream returns, from the
// stream's remembered head, so that a long stream is read without
// regrowing its slice.
func (s *Store) sizeHint(stream string, opts eventstore.ReadStreamOptions) int {
	h, _ := s.heads.get(stream)
	n := h.version
	switch {
	case opts.Direction == eventstore.Backwards && opts.From > 0:
		n = min(n, opts.From)
	case opts.Direction == eventstore.Forwards && opts.From > 1:
		n -= min(n, opts.From-1)
	}
	if opts.Limit > 0 {
		n = min(n, uint64(opts.Limit))
	}
	return int(min(n, maxCapacityHint))
}

// rememberHead caches the stream's head when recs reach the end of the
// stream: a command that reads a stream and then appends to it usually
// finds its expected version there.
func (s *Store) rememberHead(recs []eventstore.Record, opts eventstore.ReadStreamOptions) {
	switch {
	case opts.Direction == eventstore.Backwards && opts.From == 0:
		s.heads.remember(recs[0])
	case opts.Direction == eventstore.Forwards && (opts.Limit == 0 || len(recs) < opts.Limit):
		s.heads.remember(recs[len(recs)-1])
	}
}

// ReadAll implements [eventstore.Store]: it returns only events below the
// in-flight horizon, a gap-free prefix of the log (see doc.go). When
// events it found committed are held back behind in-flight transactions,
// it waits up to [Config.HoldBackWait] for those to end, so that a read
// returns what was appended before it whenever the transactions in the
// way are short.
func (s *Store) ReadAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	if opts.Limit <= 0 {
		return nil, fmt.Errorf("read all: limit %d: %w", opts.Limit, eventstore.ErrInvalidEvent)
	}
	if s.closed.Load() {
		return nil, eventstore.ErrClosed
	}
	op := fmt.Sprintf("read all after %d", opts.After)
	var page feedPage
	err := s.retry(ctx, func() (err error) {
		page, err = s.readAll(ctx, opts)
		return pgerr.Translate(ctx, op, err)
	})
	if err != nil || page.held == 0 {
		return page.released, err
	}
	if !s.awaitHorizon(ctx, page.held) {
		return page.released, nil
	}
	err = s.retry(ctx, func() (err error) {
		page, err = s.readAll(ctx, opts)
		return pgerr.Translate(ctx, op, err)
	})
	return page.released, err
}

// feedPage is one read of the log: the released prefix and, if committed
// events were held back behind it, the highest position among them.
type feedPage struct {
	released []eventstore.Record
	held     uint64
}

func (s *Store) readAll(ctx context.Context, opts eventstore.ReadAllOptions) (feedPage, error) {
	rows, err := s.pool.Query(ctx, s.q.readAll, clampInt64(opts.After),
		nilIfEmpty(opts.Filter.StreamPrefixes), nilIfEmpty(opts.Filter.Types), opts.Limit)
	if err != nil {
		return feedPage{}, err
	}
	defer rows.Close()
	var released bool
	sc := newRecordScanner(&released)
	var page feedPage
	for rows.Next() {
		r, err := sc.scan(rows)
		switch {
		case err != nil:
			return feedPage{}, err
		case released && page.held == 0:
			page.released = append(page.released, r)
		default:
			page.held = r.Position
		}
	}
	return page, rows.Err()
}

// awaitHorizon polls the horizon until it passes position, for at most
// Config.HoldBackWait; it reports whether it did.
func (s *Store) awaitHorizon(ctx context.Context, position uint64) bool {
	deadline := time.Now().Add(s.cfg.HoldBackWait)
	for delay := time.Millisecond; time.Now().Before(deadline); delay = min(2*delay, holdMax) {
		sleep(ctx, min(delay, time.Until(deadline)))
		var last, horizon int64
		if err := s.pool.QueryRow(ctx, s.q.horizon).Scan(&last, &horizon); err != nil {
			return false
		}
		if uint64(horizon) > position {
			return true
		}
	}
	return false
}

// maxCapacityHint caps the records a read allocates room for up front.
const maxCapacityHint = 1 << 14

// query runs a statement that selects columns and scans its records,
// allocating room for about hint of them.
func (s *Store) query(ctx context.Context, hint int, sql string, args ...any) ([]eventstore.Record, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sc := newRecordScanner(nil)
	out := make([]eventstore.Record, 0, min(hint, maxCapacityHint))
	for rows.Next() {
		r, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func clampInt64(v uint64) int64 { return int64(min(v, math.MaxInt64)) }

// nilIfEmpty maps an empty filter list to SQL NULL, which passes every
// event.
func nilIfEmpty(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return list
}
