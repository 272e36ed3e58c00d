package postgres

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/eventstore/pgerr"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// txn is the [readmodel.Tx] handed to a projector: a thin wrapper of
// pgx.Tx. pgx's default exec mode (QueryExecModeCacheStatement) prepares
// each distinct statement once per connection and keeps it (up to 512),
// so a projector's few statements are parsed once per connection, not
// once per transaction as the port asks at least.
type txn struct {
	tx pgx.Tx
}

// Exec implements [readmodel.Tx].
func (t txn) Exec(ctx context.Context, query string, args ...any) error {
	_, err := t.tx.Exec(ctx, query, args...)
	return pgerr.Translate(ctx, "exec "+brief(query), err)
}

// Query implements [readmodel.Querier]. Close the rows before the next
// statement: a transaction has one connection, busy until then.
func (t txn) Query(ctx context.Context, query string, args ...any) (readmodel.Rows, error) {
	r, err := t.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, pgerr.Translate(ctx, "query "+brief(query), err)
	}
	return rows{rows: r, ctx: ctx}, nil
}

// rows adapts pgx.Rows to [readmodel.Rows] with database/sql's Scan
// semantics where they differ: an *any destination receives what a
// database/sql driver would give it (a UUID as its text, not [16]byte).
// Other destinations go to pgx, which fills sql.Scanner implementations
// ([readmodel.Time], sql.NullString, …) with database/sql values and
// NULL as nil.
type rows struct {
	rows pgx.Rows
	ctx  context.Context
}

// Next implements [readmodel.Rows].
func (r rows) Next() bool { return r.rows.Next() }

// Scan implements [readmodel.Rows].
func (r rows) Scan(dest ...any) error {
	if err := r.rows.Scan(sqlTargets(dest)...); err != nil {
		return fmt.Errorf("scan read-model row: %w", err)
	}
	return nil
}

// sqlTargets returns dest with every *any replaced by an anyScanner, in a
// copy, so that the caller's slice stays as it was.
func sqlTargets(dest []any) []any {
	if !slices.ContainsFunc(dest, isAny) {
		return dest
	}
	out := slices.Clone(dest)
	for i, d := range out {
		if p, ok := d.(*any); ok {
			out[i] = anyScanner{dst: p}
		}
	}
	return out
}

func isAny(d any) bool {
	_, ok := d.(*any)
	return ok
}

// Err implements [readmodel.Rows].
func (r rows) Err() error { return pgerr.Translate(r.ctx, "read read-model rows", r.rows.Err()) }

// Close implements [readmodel.Rows]; it returns the error that ended the
// iteration, if any.
func (r rows) Close() error {
	r.rows.Close()
	return r.Err()
}

// anyScanner receives a column as a database/sql driver value.
type anyScanner struct{ dst *any }

// Scan implements database/sql.Scanner; it copies bytes, which pgx may
// reuse for the next row.
func (a anyScanner) Scan(src any) error {
	if b, ok := src.([]byte); ok {
		src = bytes.Clone(b)
	}
	*a.dst = src
	return nil
}
