package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// uniqueViolation reports whether err is a violation of the events
// table's (stream, version) or id constraint: a lost race or a replay.
func uniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" &&
		(pgErr.ConstraintName == "events_stream_version_key" || pgErr.ConstraintName == "events_id_key")
}

// deadlocked reports whether PostgreSQL aborted err's transaction to break
// a deadlock or a serialization conflict (SQLSTATE 40P01, 40001): two
// batches inserting into the same streams in opposite orders. Nothing was
// stored, and the retry takes the streams' locks in sorted order, so it is
// handled like a lost race.
func deadlocked(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}
