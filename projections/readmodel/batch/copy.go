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
