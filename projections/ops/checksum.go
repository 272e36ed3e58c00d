package ops

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// TableCheck compares one table of the live model with its rebuilt copy.
type TableCheck struct {
	Table string `json:"table"`
	// Rows and Checksum of each side. A checksum is the sum, modulo 2^64,
	// of a SHA-256-derived hash of every row's canonical encoding: it does
	// not depend on row order, and two tables of one store with the same
	// rows have the same checksum.
	LiveRows        int64  `json:"live_rows"`
	RebuiltRows     int64  `json:"rebuilt_rows"`
	LiveChecksum    string `json:"live_checksum"`
	RebuiltChecksum string `json:"rebuilt_checksum"`
	Equal           bool   `json:"equal"`
	// Difference describes the first difference in primary-key order.
	Difference string `json:"first_difference,omitempty"`
}

// shape is a table's columns and primary key as one store sees it.
type shape struct {
	columns, key []string
}

// catalogue queries per dialect: a table's columns in order, and its
// primary key's columns in key order. Both resolve the table name as the
// store's statements do (PostgreSQL's search_path).
var catalogue = map[readmodel.Dialect][2]string{
	readmodel.SQLite: {
		`SELECT name FROM pragma_table_info($1) ORDER BY cid`,
		`SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk`,
	},
	readmodel.PostgreSQL: {
		`SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(quote_ident($1)) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
		`SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
			WHERE i.indrelid = to_regclass(quote_ident($1)) AND i.indisprimary ORDER BY k.ord`,
	},
}

func describe(ctx context.Context, q readmodel.Querier, d readmodel.Dialect, table string) (shape, error) {
	var sh shape
	var err error
	if sh.columns, err = textColumn(ctx, q, catalogue[d][0], table); err != nil {
		return sh, err
	}
	sh.key, err = textColumn(ctx, q, catalogue[d][1], table)
	return sh, err
}

// textColumn returns the one text column of a query's rows.
func textColumn(ctx context.Context, q readmodel.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// selectOrdered reads every row of table, ordered by its primary key, or
// by all its columns if it has none.
func (s shape) selectOrdered(table string) string {
	order := s.key
	if len(order) == 0 {
		order = s.columns
	}
	return `SELECT ` + quoteAll(s.columns) + ` FROM ` + quoteIdent(table) + ` ORDER BY ` + quoteAll(order)
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// cursor reads a table's rows and sums their hashes.
type cursor struct {
	rows readmodel.Rows
	vals []any
	ptrs []any
	enc  []byte
	n    int64
	sum  uint64
	done bool
}

func newCursor(rows readmodel.Rows, columns int) *cursor {
	c := &cursor{rows: rows, vals: make([]any, columns), ptrs: make([]any, columns)}
	for i := range c.vals {
		c.ptrs[i] = &c.vals[i]
	}
	return c
}

// next reads a row, and reports false once there is none.
func (c *cursor) next() (bool, error) {
	if c.done || !c.rows.Next() {
		c.done = true
		return false, c.rows.Err()
	}
	if err := c.rows.Scan(c.ptrs...); err != nil {
		return false, err
	}
	c.enc = c.enc[:0]
	for _, v := range c.vals {
		c.enc = encode(c.enc, v)
	}
	h := sha256.Sum256(c.enc)
	c.n++
	c.sum += binary.LittleEndian.Uint64(h[:8])
	return true, nil
}

// encode appends v's canonical encoding to b: a type tag, then the value,
// length-prefixed where its length varies.
func encode(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'N')
	case int64:
		return binary.BigEndian.AppendUint64(append(b, 'i'), uint64(x))
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 'f'), math.Float64bits(x))
	case bool:
		if x {
			return append(b, 'T')
		}
		return append(b, 'F')
	case string:
		return append(binary.AppendUvarint(append(b, 's'), uint64(len(x))), x...)
	case []byte:
		return append(binary.AppendUvarint(append(b, 'b'), uint64(len(x))), x...)
	case time.Time:
		return binary.BigEndian.AppendUint64(append(b, 't'), uint64(x.UnixMicro()))
	default:
		s := fmt.Sprint(x)
		return append(binary.AppendUvarint(append(b, '?'), uint64(len(s))), s...)
	}
}

// compareTable reads table on both sides in primary-key order, in one
// pass: row counts, checksums, and the first row that differs.
func compareTable(ctx context.Context, live, rebuilt readmodel.Querier, d readmodel.Dialect, table string) (TableCheck, error) {
	ls, err := describe(ctx, live, d, table)
	if err != nil {
		return TableCheck{}, fmt.Errorf("describe live %s: %w", table, err)
	}
	rs, err := describe(ctx, rebuilt, d, table)
	if err != nil {
		return TableCheck{}, fmt.Errorf("describe rebuilt %s: %w", table, err)
	}
	if len(ls.columns) == 0 {
		return TableCheck{Table: table, Difference: "the live store has no such table"}, nil
	}
	if !slices.Equal(ls.columns, rs.columns) || !slices.Equal(ls.key, rs.key) {
		return TableCheck{Table: table, Difference: fmt.Sprintf("columns differ: live (%s) key (%s), rebuilt (%s) key (%s)",
			strings.Join(ls.columns, ", "), strings.Join(ls.key, ", "), strings.Join(rs.columns, ", "), strings.Join(rs.key, ", "))}, nil
	}
	return mergeTable(ctx, live, rebuilt, table, rs)
}

func mergeTable(ctx context.Context, live, rebuilt readmodel.Querier, table string, sh shape) (TableCheck, error) {
	query := sh.selectOrdered(table)
	lr, err := live.Query(ctx, query)
	if err != nil {
		return TableCheck{}, fmt.Errorf("read live %s: %w", table, err)
	}
	defer lr.Close()
	rr, err := rebuilt.Query(ctx, query)
	if err != nil {
		return TableCheck{}, fmt.Errorf("read rebuilt %s: %w", table, err)
	}
	defer rr.Close()
	l, r := newCursor(lr, len(sh.columns)), newCursor(rr, len(sh.columns))
	check := TableCheck{Table: table}
	for {
		lok, lerr := l.next()
		rok, rerr := r.next()
		if lerr != nil || rerr != nil {
			return TableCheck{}, fmt.Errorf("read %s: live: %v; rebuilt: %v", table, lerr, rerr)
		}
		if !lok && !rok {
			break
		}
		if check.Difference == "" && (lok != rok || !bytes.Equal(l.enc, r.enc)) {
			check.Difference = difference(sh, l, r, lok, rok)
		}
	}
	check.LiveRows, check.RebuiltRows = l.n, r.n
	check.LiveChecksum, check.RebuiltChecksum = fmt.Sprintf("%016x", l.sum), fmt.Sprintf("%016x", r.sum)
	check.Equal = check.Difference == "" && l.sum == r.sum && l.n == r.n
	return check, nil
}
