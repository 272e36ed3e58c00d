package batch

import (
	"context"
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// RowsPerStatement is how many rows one INSERT carries at most.
const RowsPerStatement = 64

// Insert collects rows of one table and writes them RowsPerStatement at
// a time. It is not safe for concurrent use; use one per transaction.
type Insert struct {
	table    string
	columns  []string
	conflict string
	full     string
	args     []any
}

// NewInsert returns an Insert into table's columns whose statements end
// with conflict (which may be empty).
func NewInsert(table string, columns []string, conflict string) *Insert {
	in := &Insert{table: table, columns: columns, conflict: conflict}
	in.full = in.statement(RowsPerStatement)
	in.args = make([]any, 0, RowsPerStatement*len(columns))
	return in
}

// Add queues one row, whose values follow the columns' order, and writes
// a full statement's worth of rows.
func (in *Insert) Add(ctx context.Context, tx readmodel.Tx, values ...any) error {
	if len(values) != len(in.columns) {
		return fmt.Errorf("insert into %s: %d values for %d columns", in.table, len(values), len(in.columns))
	}
	for _, v := range values {
		in.args = append(in.args, readmodel.ExecValue(v))
	}
	if len(in.args) < cap(in.args) {
		return nil
	}
	return in.exec(ctx, tx, in.full)
}

// Flush writes the rows still queued.
func (in *Insert) Flush(ctx context.Context, tx readmodel.Tx) error {
	if len(in.args) == 0 {
		return nil
	}
	return in.exec(ctx, tx, in.statement(len(in.args)/len(in.columns)))
}

func (in *Insert) exec(ctx context.Context, tx readmodel.Tx, query string) error {
	err := tx.Exec(ctx, query, in.args...)
	in.args = in.args[:0]
	if err != nil {
		return fmt.Errorf("insert into %s: %w", in.table, err)
	}
	return nil
}

// statement returns the INSERT of n rows.
func (in *Insert) statement(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", in.table, strings.Join(in.columns, ", "))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range in.columns {
			if c > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", i*len(in.columns)+c+1)
		}
		b.WriteByte(')')
	}
	if in.conflict != "" {
		b.WriteString(" " + in.conflict)
	}
	return b.String()
}
