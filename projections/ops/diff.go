package ops

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
)

// difference describes the first pair of rows that differ: an extra row
// on one side, two rows with the same key and different values, or two
// different keys at the same place in key order.
func difference(sh shape, l, r *cursor, lok, rok bool) string {
	switch {
	case !rok:
		return fmt.Sprintf("row %d: only the live table has %s", l.n, keyOf(sh, l.vals))
	case !lok:
		return fmt.Sprintf("row %d: only the rebuilt table has %s", r.n, keyOf(sh, r.vals))
	}
	lk, rk := keyOf(sh, l.vals), keyOf(sh, r.vals)
	if lk != rk {
		return fmt.Sprintf("row %d in key order: live has %s, rebuilt has %s", l.n, lk, rk)
	}
	for i, c := range sh.columns {
		if !bytes.Equal(encode(nil, l.vals[i]), encode(nil, r.vals[i])) {
			return fmt.Sprintf("%s: column %s is %s live, %s rebuilt", lk, c, display(l.vals[i]), display(r.vals[i]))
		}
	}
	return lk + ": the rows differ"
}

// keyOf formats a row's primary key, or the whole row if the table has
// no key.
func keyOf(sh shape, vals []any) string {
	cols := sh.key
	if len(cols) == 0 {
		cols = sh.columns
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + "=" + display(vals[slices.Index(sh.columns, c)])
	}
	return "key (" + strings.Join(parts, ", ") + ")"
}

// display formats a value for a person.
func display(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return fmt.Sprintf("%q", x)
	case []byte:
		return fmt.Sprintf("x'%x'", x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(x)
	}
}
