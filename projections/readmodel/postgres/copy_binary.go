package postgres

import (
	"context"
	"encoding/binary"
	"math"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ledgerline/ledgerline/eventstore/pgerr"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// copyHeader opens COPY's binary format: the signature, no flags, no
// header extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// pgEpoch is where PostgreSQL counts timestamps and dates from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// columnTypes returns the type OIDs of table's columns, in their order,
// as the transaction's search_path resolves the table.
func (t txn) columnTypes(ctx context.Context, table string, columns []string) ([]uint32, error) {
	var oids []uint32
	err := t.tx.QueryRow(ctx, `SELECT array_agg(coalesce(a.atttypid, 0) ORDER BY c.n)
		FROM unnest($2::text[]) WITH ORDINALITY AS c(name, n)
		LEFT JOIN pg_attribute a ON a.attrelid = to_regclass($1) AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped`,
		pgx.Identifier{table}.Sanitize(), columns).Scan(&oids)
	return oids, pgerr.Translate(ctx, "read the columns of "+table, err)
}

// encodeRows writes rows in COPY's binary format for columns of types
// oids, and reports false if a value is not one it encodes itself (pgx
// then encodes the rows): the few pairs of a Copier value and a column
// type the read models use, several times faster than pgx's general
// encoding, which was the largest part of a rebuild's client-side copy.
func encodeRows(oids []uint32, rows [][]any) ([]byte, bool) {
	buf := append(make([]byte, 0, 64*len(rows)*len(oids)), copyHeader...)
	for _, row := range rows {
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(row)))
		for i, v := range row {
			var ok bool
			if buf, ok = appendField(buf, oids[i], v); !ok {
				return nil, false
			}
		}
	}
	return binary.BigEndian.AppendUint16(buf, 0xffff), true
}

// encodeColumns is encodeRows for rows held column by column.
func encodeColumns(oids []uint32, columns []readmodel.Column) ([]byte, bool) {
	n := columns[0].Values.Len()
	buf := append(make([]byte, 0, 64*n*len(oids)), copyHeader...)
	for i := range n {
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(columns)))
		for j, c := range columns {
			var ok bool
			if buf, ok = appendColumnField(buf, oids[j], c.Values, i); !ok {
				return nil, false
			}
		}
	}
	return binary.BigEndian.AppendUint16(buf, 0xffff), true
}

// appendField appends one field: its length (-1 for NULL) and bytes.
func appendField(buf []byte, oid uint32, v any) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return appendNull(buf), true
	case int64:
		return appendInt(buf, oid, x)
	case int:
		return appendInt(buf, oid, int64(x))
	case int32:
		return appendInt(buf, oid, int64(x))
	case int16:
		return appendInt(buf, oid, int64(x))
	case string:
		return appendText(buf, oid, x)
	case uuid.UUID:
		return appendBytes(buf, x[:]), oid == pgtype.UUIDOID
	case time.Time:
		return appendTime(buf, x), oid == pgtype.TimestamptzOID
	case float64:
		return appendUint64(buf, math.Float64bits(x)), oid == pgtype.Float8OID
	case bool:
		return append(binary.BigEndian.AppendUint32(buf, 1), boolByte(x)), oid == pgtype.BoolOID
	}
	return buf, false
}

// appendColumnField appends row i of v: straight from the typed slice of
// an [readmodel.Of], through appendField otherwise.
func appendColumnField(buf []byte, oid uint32, v readmodel.Values, i int) ([]byte, bool) {
	switch c := v.(type) {
	case *readmodel.Of[int64]:
		if !c.IsNull(i) {
			return appendInt(buf, oid, c.Values[i])
		}
	case *readmodel.Of[string]:
		if !c.IsNull(i) {
			return appendText(buf, oid, c.Values[i])
		}
	case *readmodel.Of[uuid.UUID]:
		if !c.IsNull(i) {
			return appendBytes(buf, c.Values[i][:]), oid == pgtype.UUIDOID
		}
	case *readmodel.Of[time.Time]:
		if !c.IsNull(i) {
			return appendTime(buf, c.Values[i]), oid == pgtype.TimestamptzOID
		}
	default:
		return appendField(buf, oid, v.At(i))
	}
	return appendNull(buf), true
}

func appendNull(buf []byte) []byte { return binary.BigEndian.AppendUint32(buf, math.MaxUint32) }

// appendInt appends n to an integer column that can hold it.
func appendInt(buf []byte, oid uint32, n int64) ([]byte, bool) {
	switch {
	case oid == pgtype.Int8OID:
		return appendUint64(buf, uint64(n)), true
	case oid == pgtype.Int4OID && n == int64(int32(n)):
		return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(buf, 4), uint32(n)), true
	case oid == pgtype.Int2OID && n == int64(int16(n)):
		return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint32(buf, 2), uint16(n)), true
	}
	return buf, false // another type, or out of the column's range: pgx reports it
}

// appendText appends s to a text column, or to a date column as
// YYYY-MM-DD text.
func appendText(buf []byte, oid uint32, s string) ([]byte, bool) {
	switch oid {
	case pgtype.TextOID, pgtype.VarcharOID:
		return appendBytes(buf, s), true
	case pgtype.DateOID:
		return appendDate(buf, s)
	}
	return buf, false
}

// appendTime appends an instant as microseconds since pgEpoch, truncated
// as readmodel.Timestamp truncates; the zero time is NULL.
func appendTime(buf []byte, t time.Time) []byte {
	if t.IsZero() {
		return appendNull(buf)
	}
	micros := t.Unix()*1_000_000 + int64(t.Nanosecond()/1000) - pgEpoch.UnixMicro()
	return appendUint64(buf, uint64(micros))
}

// appendDate appends a date given as YYYY-MM-DD text, as days since
// pgEpoch.
func appendDate(buf []byte, s string) ([]byte, bool) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return buf, false
	}
	days := d.Sub(pgEpoch).Hours() / 24
	return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(buf, 4), uint32(int32(days))), true
}

func appendUint64(buf []byte, n uint64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(buf, 8), n)
}

func appendBytes[B string | []byte](buf []byte, b B) []byte {
	return append(binary.BigEndian.AppendUint32(buf, uint32(len(b))), b...)
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
