package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

var (
	_ readmodel.Copier       = (*txn)(nil)
	_ readmodel.ColumnCopier = (*txn)(nil)
)

const (
	// copyRowsPerStatement is how many rows one INSERT of CopyFrom holds:
	// past a few dozen rows a bigger statement saves little more.
	copyRowsPerStatement = 64
	// maxVariables is SQLite's default SQLITE_MAX_VARIABLE_NUMBER since
	// 3.32, which modernc.org/sqlite keeps: the most parameters one
	// statement may have.
	maxVariables = 32766
)

// CopyFrom implements [readmodel.Copier]: SQLite has no COPY, so rows go
// in INSERTs of up to copyRowsPerStatement rows (fewer for tables so wide
// that they would pass maxVariables), then one INSERT for the remainder,
// each prepared once per transaction through the statement cache that
// Exec uses. Values are stored as Exec stores them: time.Time as
// [readmodel.Timestamp] text (the zero time as NULL), uuid.UUID as its
// canonical text, and everything else as given (a bool as the integer 1
// or 0).
func (t *txn) CopyFrom(ctx context.Context, table string, columns []string, rows [][]any) error {
	for i, row := range rows {
		if len(row) != len(columns) {
			return fmt.Errorf("copy into %s: row %d has %d values for %d columns", table, i, len(row), len(columns))
		}
	}
	return t.insertAll(ctx, table, columns, len(rows), func(i, j int) any { return readmodel.ExecValue(rows[i][j]) })
}

// CopyColumns implements [readmodel.ColumnCopier] as CopyFrom does,
// binding each value straight from its column.
func (t *txn) CopyColumns(ctx context.Context, table string, columns []readmodel.Column) error {
	names, err := readmodel.Names(table, columns)
	if err != nil {
		return err
	}
	return t.insertAll(ctx, table, names, columns[0].Values.Len(), func(i, j int) any { return execValueAt(columns[j].Values, i) })
}

// execValueAt returns row i of v as Exec takes it, converting an instant
// or a uuid.UUID of a typed column without boxing it first.
func execValueAt(v readmodel.Values, i int) any {
	switch c := v.(type) {
	case *readmodel.Of[time.Time]:
		if !c.IsNull(i) {
			return readmodel.Timestamp(c.Values[i])
		}
		return nil
	case *readmodel.Of[uuid.UUID]:
		if !c.IsNull(i) {
			return c.Values[i].String()
		}
		return nil
	}
	return readmodel.ExecValue(v.At(i))
}

// insertAll inserts n rows of columns, value(i, j) giving row i's value
// of column j, in the INSERTs CopyFrom describes.
func (t *txn) insertAll(ctx context.Context, table string, columns []string, n int, value func(i, j int) any) error {
	if n == 0 {
		return nil
	}
	if len(columns) == 0 || len(columns) > maxVariables {
		return fmt.Errorf("copy into %s: %d columns", table, len(columns))
	}
	per := min(copyRowsPerStatement, maxVariables/len(columns))
	args := make([]any, 0, min(per, n)*len(columns))
	full := ""
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		if full == "" && end-start == per {
			full = insertRows(table, columns, per)
		}
		query := full
		if end-start < per {
			query = insertRows(table, columns, end-start)
		}
		st, err := t.stmt(ctx, query)
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		args = args[:0]
		for i := start; i < end; i++ {
			for j := range columns {
				args = append(args, value(i, j))
			}
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("copy into %s: rows %d-%d: %w", table, start, end-1, err)
		}
	}
	return nil
}

// insertRows returns INSERT INTO table (columns) VALUES with n rows of
// $k placeholders, numbered in order so that [positional] turns them
// into ? (a $ inside a quoted name makes it leave the query as it is,
// which SQLite binds correctly, only slower).
func insertRows(table string, columns []string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(quote(table))
	b.WriteString(" (")
	for i, c := range columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(c))
	}
	b.WriteString(") VALUES ")
	k := 1
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range columns {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(k))
			k++
		}
		b.WriteByte(')')
	}
	return b.String()
}
