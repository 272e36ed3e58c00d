package pgerr

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

// Translate turns a driver error into the ports' vocabulary: context
// errors stay wrapped, a refused or lost connection wraps
// [eventstore.ErrUnavailable], and anything else keeps the server's text
// (with its SQLSTATE) in the message only, so that callers never depend on
// pgx types. A nil err stays nil.
func Translate(ctx context.Context, op string, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", op, ctx.Err())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", op, err)
	case Unavailable(err):
		return fmt.Errorf("%s: %w: %s", op, eventstore.ErrUnavailable, err.Error())
	default:
		return fmt.Errorf("%s: %s", op, err.Error())
	}
}

// Unavailable reports whether err means the server could not be reached
// or dropped the connection, so that the call may succeed when retried.
func Unavailable(err error) bool {
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
