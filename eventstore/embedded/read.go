package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/eventstore"
)

// ReadStream implements [eventstore.Store].
func (s *Store) ReadStream(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) ([]eventstore.Record, error) {
	release, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer release()
	stmt, from := s.streamQuery(opts)
	recs, err := queryRecords(ctx, stmt, opts.Limit, stream, from, sqlLimit(opts.Limit))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", stream, translate(ctx, err))
	}
	if len(recs) == 0 {
		return nil, s.checkExists(ctx, stream)
	}
	return recs, nil
}

// streamQuery returns the statement that reads a stream in opts'
// direction and the version it starts from.
func (s *Store) streamQuery(opts eventstore.ReadStreamOptions) (*sql.Stmt, int64) {
	from := int64(min(opts.From, math.MaxInt64))
	if opts.Direction != eventstore.Backwards {
		return s.stmts.forward, from
	}
	if from == 0 {
		from = math.MaxInt64
	}
	return s.stmts.backward, from
}

// checkExists returns ErrStreamNotFound if stream holds no event. A stream
// once created never disappears, so asking after an empty read is safe.
func (s *Store) checkExists(ctx context.Context, stream string) error {
	var version int64
	var hash []byte
	err := s.stmts.exists.QueryRowContext(ctx, stream).Scan(&version, &hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("read %s: %w", stream, eventstore.ErrStreamNotFound)
	case err != nil:
		return fmt.Errorf("read %s: %w", stream, translate(ctx, err))
	}
	return nil
}

// sqlLimit maps the port's "0 means no cap" to SQLite's -1.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// ReadAll implements [eventstore.Store].
//
// What ReadAll returns is a gap-free prefix of the log without any
// bookkeeping: every write to the file, from this process or another,
// holds SQLite's single write lock from BEGIN IMMEDIATE to COMMIT and
// takes its positions after the last committed one inside that lock. So
// positions are assigned in commit order, a reader's snapshot holds exactly
// the transactions committed before it, and no lower position can become
// visible after a higher one.
func (s *Store) ReadAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	if opts.Limit <= 0 {
		return nil, fmt.Errorf("read all: limit %d: %w", opts.Limit, eventstore.ErrInvalidEvent)
	}
	release, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer release()
	recs, err := s.readAll(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("read all after %d: %w", opts.After, translate(ctx, err))
	}
	return recs, nil
}

// readAll runs the prepared query of an unfiltered read, or builds one for
// the filter.
func (s *Store) readAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	if !filtered(opts.Filter) {
		return queryRecords(ctx, s.stmts.readAll, opts.Limit, int64(opts.After), opts.Limit)
	}
	query, args := filterQuery(opts)
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanRecords(rows, opts.Limit)
}

func filtered(f eventstore.Filter) bool {
	return len(f.StreamPrefixes) > 0 || len(f.Types) > 0
}

// filterQuery builds the SQL of a filtered ReadAll. Its shape depends on
// the filter, so it is not prepared; preparing costs little next to a page.
// The prefix test is instr(...) = 1 rather than a range on stream, so that
// SQLite keeps walking the log in position order and stops at the limit
// instead of sorting every matching event of the (stream, version) index.
func filterQuery(opts eventstore.ReadAllOptions) (string, []any) {
	var b strings.Builder
	b.WriteString(`SELECT ` + columns + ` FROM events WHERE position > ?`)
	args := []any{int64(opts.After)}
	if ps := opts.Filter.StreamPrefixes; len(ps) > 0 {
		b.WriteString(` AND (instr(stream, ?) = 1` + strings.Repeat(` OR instr(stream, ?) = 1`, len(ps)-1) + `)`)
		for _, p := range ps {
			args = append(args, p)
		}
	}
	if ts := opts.Filter.Types; len(ts) > 0 {
		b.WriteString(` AND type IN (?` + strings.Repeat(`, ?`, len(ts)-1) + `)`)
		for _, t := range ts {
			args = append(args, t)
		}
	}
	b.WriteString(` ORDER BY position LIMIT ?`)
	return b.String(), append(args, opts.Limit)
}

// queryRecords runs stmt, a query of columns expecting up to limit rows
// (0: unknown), and scans the rows.
func queryRecords(ctx context.Context, stmt *sql.Stmt, limit int, args ...any) ([]eventstore.Record, error) {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	return scanRecords(rows, limit)
}

// maxPrealloc bounds the records scanRecords allocates ahead of reading.
const maxPrealloc = 4096

// scanRecords reads every row of a query of columns, expecting up to limit
// of them (0: unknown), and closes rows.
func scanRecords(rows *sql.Rows, limit int) ([]eventstore.Record, error) {
	defer rows.Close()
	out := make([]eventstore.Record, 0, min(max(limit, 0), maxPrealloc))
	for rows.Next() {
		out = append(out, eventstore.Record{})
		if err := scanRecord(rows, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

func scanRecord(rows *sql.Rows, rec *eventstore.Record) error {
	var pos, version, schema, occurred, recorded int64
	md := &rec.Metadata
	err := rows.Scan(&pos, &rec.Stream, &version, &rec.ID, &rec.Type, &schema, &rec.Data,
		&occurred, &recorded, &md.Actor, &md.CommandID, &md.CorrelationID, &md.CausationID, &rec.Hash)
	if err != nil {
		return fmt.Errorf("scan event: %w", err)
	}
	rec.Position, rec.Version, rec.SchemaVersion = uint64(pos), uint64(version), int(schema)
	rec.OccurredAt, rec.RecordedAt = time.UnixMicro(occurred).UTC(), time.UnixMicro(recorded).UTC()
	return nil
}
