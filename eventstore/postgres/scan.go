package postgres

import (
	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/eventstore"
)

// recordScanner scans rows of columns (and, when released is set, a final
// boolean column) into records through one set of destinations, reused
// row after row; pgx allocates every string and byte slice it scans
// afresh, so records never share memory.
type recordScanner struct {
	rec  eventstore.Record
	dest []any
}

func newRecordScanner(released *bool) *recordScanner {
	sc := &recordScanner{}
	r, m := &sc.rec, &sc.rec.Metadata
	sc.dest = []any{&r.Position, &r.Stream, &r.Version, (*[16]byte)(&r.ID), &r.Type,
		&r.SchemaVersion, &r.Data, &r.OccurredAt, &r.RecordedAt, &m.Actor, (*[16]byte)(&m.CommandID),
		(*[16]byte)(&m.CorrelationID), (*[16]byte)(&m.CausationID), &r.Hash}
	if released != nil {
		sc.dest = append(sc.dest, released)
	}
	return sc
}

func (sc *recordScanner) scan(rows pgx.Rows) (eventstore.Record, error) {
	err := rows.Scan(sc.dest...)
	r := sc.rec
	r.OccurredAt, r.RecordedAt = r.OccurredAt.UTC(), r.RecordedAt.UTC()
	return r, err
}
