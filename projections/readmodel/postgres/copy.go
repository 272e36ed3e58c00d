package postgres

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/eventstore/pgerr"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

var _ readmodel.Copier = txn{}

// CopyFrom implements [readmodel.Copier] with COPY … FROM STDIN in binary
// format on the transaction's connection: the server stores each value
// without parsing text. The rows are encoded by encodeRows when it knows
// every value's pairing with its column's type, else by pgx's CopyFrom. A
// zero time.Time is NULL, and a uuid.UUID goes as its 16 bytes (pgx would
// otherwise take it through its driver.Valuer text and parse that back).
func (t txn) CopyFrom(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	for i, row := range rows {
		if len(row) != len(columns) {
			return fmt.Errorf("copy into %s: row %d has %d values for %d columns", table, i, len(row), len(columns))
		}
	}
	oids, err := t.columnTypes(ctx, table, columns)
	if err != nil {
		return err
	}
	if data, ok := encodeRows(oids, rows); ok {
		return t.copyBinary(ctx, table, columns, data)
	}
	src := &copySource{rows: rows, row: make([]any, len(columns)), next: -1}
	_, err = t.tx.CopyFrom(ctx, pgx.Identifier{table}, columns, src)
	return pgerr.Translate(ctx, "copy into "+table, err)
}

var _ readmodel.ColumnCopier = txn{}

// CopyColumns implements [readmodel.ColumnCopier] as CopyFrom does, the
// values of [readmodel.Of] columns encoded from their typed slices.
func (t txn) CopyColumns(ctx context.Context, table string, columns []readmodel.Column) error {
	names, err := readmodel.Names(table, columns)
	if err != nil || columns[0].Values.Len() == 0 {
		return err
	}
	oids, err := t.columnTypes(ctx, table, names)
	if err != nil {
		return err
	}
	if data, ok := encodeColumns(oids, columns); ok {
		return t.copyBinary(ctx, table, names, data)
	}
	rows := make([][]any, columns[0].Values.Len())
	for i := range rows {
		rows[i] = readmodel.Row(columns, i)
	}
	return t.CopyFrom(ctx, table, names, rows)
}

// copyBinary sends data, rows in COPY's binary format, into table's
// columns.
func (t txn) copyBinary(ctx context.Context, table string, columns []string, data []byte) error {
	_, err := t.tx.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(data), copyStatement(table, columns))
	return pgerr.Translate(ctx, "copy into "+table, err)
}

func copyStatement(table string, columns []string) string {
	cols := make([]string, len(columns))
	for i, c := range columns {
		cols[i] = pgx.Identifier{c}.Sanitize()
	}
	return `COPY ` + pgx.Identifier{table}.Sanitize() + ` (` + strings.Join(cols, ", ") + `) FROM STDIN (FORMAT binary)`
}

// copySource is pgx.CopyFromRows with the port's values mapped to what
// pgx encodes directly, row by row into one reused slice (pgx encodes a
// row before it asks for the next), so the caller's rows stay untouched.
type copySource struct {
	rows [][]any
	row  []any
	next int
}

func (s *copySource) Next() bool {
	s.next++
	return s.next < len(s.rows)
}

func (s *copySource) Values() ([]any, error) {
	for i, v := range s.rows[s.next] {
		switch x := v.(type) {
		case time.Time:
			if x.IsZero() {
				v = nil
			}
		case uuid.UUID:
			v = [16]byte(x)
		}
		s.row[i] = v
	}
	return s.row, nil
}

func (s *copySource) Err() error { return nil }
