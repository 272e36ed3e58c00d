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

// appendField appends one field: its length (-1 for NULL) and bytes.
func appendField(buf []byte, oid uint32, v any) ([]byte, bool) {
	if v == nil {
		return binary.BigEndian.AppendUint32(buf, math.MaxUint32), true
	}
	switch oid {
	case pgtype.Int8OID, pgtype.Int4OID, pgtype.Int2OID:
		return appendInt(buf, oid, v)
	case pgtype.TextOID, pgtype.VarcharOID:
		s, ok := v.(string)
		return appendBytes(buf, s), ok
	case pgtype.UUIDOID:
		id, ok := v.(uuid.UUID)
		return appendBytes(buf, string(id[:])), ok
	case pgtype.TimestamptzOID:
		return appendTime(buf, v)
	case pgtype.Float8OID:
		f, ok := v.(float64)
		return appendUint64(buf, math.Float64bits(f)), ok
	case pgtype.BoolOID:
		b, ok := v.(bool)
		return append(binary.BigEndian.AppendUint32(buf, 1), boolByte(b)), ok
	case pgtype.DateOID:
		return appendDate(buf, v)
	}
	return buf, false
}

func appendInt(buf []byte, oid uint32, v any) ([]byte, bool) {
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case int:
		n = int64(x)
	case int32:
		n = int64(x)
	case int16:
		n = int64(x)
	default:
		return buf, false
	}
	switch {
	case oid == pgtype.Int8OID:
		return appendUint64(buf, uint64(n)), true
	case oid == pgtype.Int4OID && n == int64(int32(n)):
		return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(buf, 4), uint32(n)), true
	case oid == pgtype.Int2OID && n == int64(int16(n)):
		return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint32(buf, 2), uint16(n)), true
	}
	return buf, false // out of the column's range: pgx reports it
}

// appendTime appends an instant as microseconds since pgEpoch, truncated
// as readmodel.Timestamp truncates; the zero time is NULL.
func appendTime(buf []byte, v any) ([]byte, bool) {
	t, ok := v.(time.Time)
	if !ok {
		return buf, false
	}
	if t.IsZero() {
		return binary.BigEndian.AppendUint32(buf, math.MaxUint32), true
	}
	micros := t.Unix()*1_000_000 + int64(t.Nanosecond()/1000) - pgEpoch.UnixMicro()
	return appendUint64(buf, uint64(micros)), true
}

// appendDate appends a date given as YYYY-MM-DD text, as days since
// pgEpoch.
func appendDate(buf []byte, v any) ([]byte, bool) {
	s, ok := v.(string)
	if !ok {
		return buf, false
	}
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

func appendBytes(buf []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint32(buf, uint32(len(s))), s...)
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
