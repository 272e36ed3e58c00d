package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ledgerline/ledgerline/eventstore"
)

// translate turns a driver error into the port's vocabulary: ctx errors
// stay wrapped, a lost or refused connection wraps
// [eventstore.ErrUnavailable], and anything else keeps the driver's text
// in the message only, so that callers never depend on pgx types.
func translate(ctx context.Context, op string, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", op, ctx.Err())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", op, err)
	case unavailable(err):
		return fmt.Errorf("%s: %w: %s", op, eventstore.ErrUnavailable, err.Error())
	default:
		return fmt.Errorf("%s: %s", op, err.Error())
	}
}

// unavailable reports whether err means the server could not be reached
// or dropped the connection, so that the call may succeed when retried.
func unavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableCode(pgErr.Code)
	}
	var connErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connErr) || errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || pgconn.SafeToRetry(err)
}

// unavailableCode reports whether a SQLSTATE says the connection or the
// server is going away: class 08 (connection exception), admin or crash
// shutdown, the server starting up, or too many connections.
func unavailableCode(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}

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
