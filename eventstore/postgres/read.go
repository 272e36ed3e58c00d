package postgres

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/eventstore"
)

// columns are the events columns a [eventstore.Record] is scanned from, in
// the order scanRecord expects.
const columns = `position, stream, version, id, type, schema_version, data, occurred_at, recorded_at,
	actor, command_id, correlation_id, causation_id, hash`

// queries holds the statements of one schema, built once at Open.
type queries struct {
	heads, insert, lock, byIDs                 string
	streamForwards, streamBackwards, streamHas string
	readAll, horizon                           string
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
	}
}

// readAllSQL reads the gap-free prefix of the log after $1: only positions
// below the horizon, the oldest in-flight transaction id shifted into
// position space (see doc.go for why this never skips an event).
const readAllSQL = `SELECT ` + columns + ` FROM {{s}}.events
WHERE position > $1
	AND position < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16)
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
	recs, err := s.query(ctx, sql, stream, from, limit)
	if err != nil || len(recs) > 0 {
		return recs, translate(ctx, "read "+stream, err)
	}
	var found bool
	if err := s.pool.QueryRow(ctx, s.q.streamHas, stream).Scan(&found); err != nil {
		return nil, translate(ctx, "read "+stream, err)
	}
	if !found {
		return nil, fmt.Errorf("read %s: %w", stream, eventstore.ErrStreamNotFound)
	}
	return recs, nil
}

// ReadAll implements [eventstore.Store]: it returns only events below the
// in-flight horizon, a gap-free prefix of the log (see doc.go).
func (s *Store) ReadAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	if opts.Limit <= 0 {
		return nil, fmt.Errorf("read all: limit %d: %w", opts.Limit, eventstore.ErrInvalidEvent)
	}
	if s.closed.Load() {
		return nil, eventstore.ErrClosed
	}
	var out []eventstore.Record
	err := s.retry(ctx, func() (err error) {
		out, err = s.query(ctx, s.q.readAll, clampInt64(opts.After),
			nilIfEmpty(opts.Filter.StreamPrefixes), nilIfEmpty(opts.Filter.Types), opts.Limit)
		return translate(ctx, fmt.Sprintf("read all after %d", opts.After), err)
	})
	return out, err
}

// query runs a statement that selects columns and scans its records.
func (s *Store) query(ctx context.Context, sql string, args ...any) ([]eventstore.Record, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanRecord)
}

func scanRecord(row pgx.CollectableRow) (eventstore.Record, error) {
	var r eventstore.Record
	m := &r.Metadata
	err := row.Scan(&r.Position, &r.Stream, &r.Version, (*[16]byte)(&r.ID), &r.Type, &r.SchemaVersion,
		&r.Data, &r.OccurredAt, &r.RecordedAt, &m.Actor, (*[16]byte)(&m.CommandID),
		(*[16]byte)(&m.CorrelationID), (*[16]byte)(&m.CausationID), &r.Hash)
	r.OccurredAt, r.RecordedAt = r.OccurredAt.UTC(), r.RecordedAt.UTC()
	return r, err
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
