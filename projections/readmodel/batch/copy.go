package batch

import (
	"context"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Copy writes rows, new for certain, into table's columns: with tx's
// [readmodel.Copier] when it has one, else with INSERTs of
// RowsPerStatement rows. A row that breaks a constraint fails it.
func Copy(ctx context.Context, tx readmodel.Tx, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if c, ok := tx.(readmodel.Copier); ok {
		return c.CopyFrom(ctx, table, columns, rows)
	}
	in := NewInsert(table, columns, "")
	for _, r := range rows {
		if err := in.Add(ctx, tx, r...); err != nil {
			return err
		}
	}
	return in.Flush(ctx, tx)
}

// CopyColumns writes rows held column by column, new for certain, into
// table: with tx's [readmodel.ColumnCopier] when it has one, else row by
// row through [Copy].
func CopyColumns(ctx context.Context, tx readmodel.Tx, table string, columns []readmodel.Column) error {
	if len(columns) == 0 || columns[0].Values.Len() == 0 {
		return nil
	}
	if c, ok := tx.(readmodel.ColumnCopier); ok {
		return c.CopyColumns(ctx, table, columns)
	}
	names := make([]string, len(columns))
	for j, c := range columns {
		names[j] = c.Name
	}
	rows := make([][]any, columns[0].Values.Len())
	for i := range rows {
		rows[i] = readmodel.Row(columns, i)
	}
	return Copy(ctx, tx, table, names, rows)
}
