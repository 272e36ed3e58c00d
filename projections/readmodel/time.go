package readmodel

import (
	"fmt"
	"time"
)

// TimeLayout is how read models store instants in SQLite: UTC, fixed
// width, so that text order is time order. PostgreSQL parses the same text
// into timestamptz columns.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Timestamp formats t for a read-model statement; the zero time becomes
// NULL.
func Timestamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(TimeLayout)
}

// Time scans a timestamp column of either dialect (time.Time from
// PostgreSQL, text from SQLite); NULL scans as the zero time.
type Time struct{ time.Time }

// Scan implements database/sql.Scanner.
func (t *Time) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = v.UTC()
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	default:
		return fmt.Errorf("scan time: unsupported %T", src)
	}
	return nil
}

func (t *Time) parse(s string) error {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", s, err)
	}
	t.Time = v.UTC()
	return nil
}
