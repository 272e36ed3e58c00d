package readmodel

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Column is one column of a batch of new rows for a [ColumnCopier]: its
// name and its values, held in a typed slice, so that whoever builds the
// rows does not box every value into an interface, and PostgreSQL's binary
// COPY encodes them as they are.
type Column struct {
	Name   string
	Values Values
}

// Values are the values of one column, one per row: an [*Of] of one of
// the kinds a [Copier] takes.
type Values interface {
	// Len returns the number of rows.
	Len() int
	// At returns row i's value as a [Copier] row holds it: nil for NULL.
	At(i int) any
	// Reorder puts the values in the order of rows, which lists every
	// row once.
	Reorder(rows []int)
}

// Kind is a Go type of the values a [Copier] takes.
type Kind interface {
	int64 | string | uuid.UUID | time.Time | float64 | bool
}

// Of are values of Go type T; Null, when not nil, says which rows are
// NULL. A zero time.Time is NULL too, as Copier has it.
type Of[T Kind] struct {
	Values []T
	Null   []bool
}

// NewOf returns an empty column with room for n values.
func NewOf[T Kind](n int) *Of[T] {
	return &Of[T]{Values: make([]T, 0, n)}
}

// Add appends v.
func (c *Of[T]) Add(v T) {
	c.Values = append(c.Values, v)
	if c.Null != nil {
		c.Null = append(c.Null, false)
	}
}

// AddOrNull appends v, or NULL if null.
func (c *Of[T]) AddOrNull(v T, null bool) {
	if null && c.Null == nil {
		c.Null = make([]bool, len(c.Values), cap(c.Values))
	}
	c.Values = append(c.Values, v)
	if c.Null != nil {
		c.Null = append(c.Null, null)
	}
}

// Len implements [Values].
func (c *Of[T]) Len() int { return len(c.Values) }

// IsNull reports whether row i is NULL.
func (c *Of[T]) IsNull(i int) bool { return c.Null != nil && c.Null[i] }

// At implements [Values].
func (c *Of[T]) At(i int) any {
	if c.IsNull(i) {
		return nil
	}
	return c.Values[i]
}

// Reorder implements [Values].
func (c *Of[T]) Reorder(rows []int) {
	c.Values = reorder(c.Values, rows)
	if c.Null != nil {
		c.Null = reorder(c.Null, rows)
	}
}

func reorder[T any](s []T, rows []int) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = s[r]
	}
	return out
}

// Any are values of any kind a [Copier] takes, each boxed already: the
// columns of rows built as []any.
type Any []any

// Len implements [Values].
func (c Any) Len() int { return len(c) }

// At implements [Values].
func (c Any) At(i int) any { return c[i] }

// Reorder implements [Values].
func (c Any) Reorder(rows []int) { copy(c, reorder(c, rows)) }

// Named returns columns named names[i] holding values[i]; names lists at
// least as many names as there are values.
func Named(names []string, values ...Values) []Column {
	cols := make([]Column, len(values))
	for i, v := range values {
		cols[i] = Column{Name: names[i], Values: v}
	}
	return cols
}

// ColumnsOf returns rows, each holding one value per name, column by
// column.
func ColumnsOf(names []string, rows [][]any) []Column {
	cols := make([]Column, len(names))
	for j, name := range names {
		vals := make(Any, len(rows))
		for i, r := range rows {
			vals[i] = r[j]
		}
		cols[j] = Column{Name: name, Values: vals}
	}
	return cols
}

// Row returns row i of columns as a [Copier] row.
func Row(columns []Column, i int) []any {
	row := make([]any, len(columns))
	for j, c := range columns {
		row[j] = c.Values.At(i)
	}
	return row
}

// Names returns the names of columns for a copy into table, and an
// error if they hold different numbers of rows.
func Names(table string, columns []Column) ([]string, error) {
	if len(columns) == 0 {
		return nil, fmt.Errorf("copy into %s: no columns", table)
	}
	names := make([]string, len(columns))
	for j, c := range columns {
		if c.Values.Len() != columns[0].Values.Len() {
			return nil, fmt.Errorf("copy into %s: column %s has %d values, column %s %d",
				table, c.Name, c.Values.Len(), columns[0].Name, columns[0].Values.Len())
		}
		names[j] = c.Name
	}
	return names, nil
}

// ColumnCopier is an optional capability of a [Tx]: a [Copier] of rows
// held column by column. Every column holds the same number of rows.
type ColumnCopier interface {
	CopyColumns(ctx context.Context, table string, columns []Column) error
}
