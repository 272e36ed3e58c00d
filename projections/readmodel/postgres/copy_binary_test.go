package postgres

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAppendFieldEncodesAsPgx compares each field this package encodes
// itself with pgx's binary encoding of the same value for the same type.
func TestAppendFieldEncodesAsPgx(t *testing.T) {
	id := uuid.MustParse("0b477a08-f3d7-5a0c-a6fe-2142df632a60")
	old := time.Date(1969, 7, 20, 20, 17, 40, 123456789, time.FixedZone("", -5*3600))
	for _, c := range []struct {
		oid       uint32
		value     any
		pgxValue  any // what pgx is given for the same column, if not value
		wantBytes int
	}{
		{pgtype.Int8OID, int64(math.MinInt64), nil, 8},
		{pgtype.Int8OID, 42, int64(42), 8},
		{pgtype.Int4OID, int64(-7), int32(-7), 4},
		{pgtype.Int2OID, int64(5), int16(5), 2},
		{pgtype.Int2OID, int16(-3), nil, 2},
		{pgtype.TextOID, "tab\there, Zoë", nil, 14},
		{pgtype.VarcharOID, "", nil, 0},
		{pgtype.UUIDOID, id, [16]byte(id), 16},
		{pgtype.TimestamptzOID, time.Date(2026, 11, 24, 8, 0, 0, 999999999, time.UTC), nil, 8},
		{pgtype.TimestamptzOID, old, nil, 8},
		{pgtype.Float8OID, math.Inf(1), nil, 8},
		{pgtype.Float8OID, 0.1, nil, 8},
		{pgtype.BoolOID, true, nil, 1},
		{pgtype.BoolOID, false, nil, 1},
		{pgtype.DateOID, "1997-03-25", time.Date(1997, 3, 25, 0, 0, 0, 0, time.UTC), 4},
		{pgtype.DateOID, "1969-12-31", time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), 4},
	} {
		got, ok := appendField(nil, c.oid, c.value)
		require.True(t, ok, "%d %#v", c.oid, c.value)
		pv := c.value
		if c.pgxValue != nil {
			pv = c.pgxValue
		}
		want, err := pgtype.NewMap().Encode(c.oid, pgtype.BinaryFormatCode, pv, nil)
		require.NoError(t, err, "%d %#v", c.oid, pv)
		assert.Equal(t, uint32(c.wantBytes), binary.BigEndian.Uint32(got), "%d %#v", c.oid, c.value)
		assert.True(t, bytes.Equal(want, got[4:]), "%d %#v: %x, pgx %x", c.oid, c.value, got[4:], want)
	}
}

// TestAppendFieldLeavesTheRestToPgx lists values it does not encode: the
// copy then goes through pgx, which encodes or refuses them.
func TestAppendFieldLeavesTheRestToPgx(t *testing.T) {
	for _, c := range []struct {
		oid   uint32
		value any
	}{
		{pgtype.Int2OID, int64(40000)},
		{pgtype.Int4OID, int64(math.MaxInt64)},
		{pgtype.UUIDOID, "0b477a08-f3d7-5a0c-a6fe-2142df632a60"},
		{pgtype.TimestamptzOID, "2026-11-24T08:00:00.000000Z"},
		{pgtype.JSONBOID, `{"a":1}`},
		{pgtype.DateOID, "24/11/2026"},
		{pgtype.TextOID, 42},
	} {
		_, ok := appendField(nil, c.oid, c.value)
		assert.False(t, ok, "%d %#v", c.oid, c.value)
	}
	null, ok := appendField(nil, pgtype.JSONBOID, nil)
	assert.True(t, ok)
	assert.Equal(t, []byte{0xff, 0xff, 0xff, 0xff}, null)
}
