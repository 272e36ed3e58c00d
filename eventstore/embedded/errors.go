package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ledgerline/ledgerline/eventstore"
)

// translate turns a driver error into a port error. Context errors stay
// wrapped; the file being locked past the busy timeout is
// [eventstore.ErrUnavailable], which a caller may retry; any other driver
// error keeps its text but not its type, so that callers depend on the
// port's errors only.
func translate(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, sql.ErrNoRows):
		return err
	case isBusy(err):
		return fmt.Errorf("%w: %s", eventstore.ErrUnavailable, err.Error())
	default:
		return errors.New(err.Error())
	}
}

// isBusy reports whether err says another connection holds a lock.
func isBusy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// isDuplicateID reports whether err is the UNIQUE(id) constraint of the
// events table, i.e. an event id that is already stored.
func isDuplicateID(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE &&
		strings.Contains(e.Error(), "events.id")
}
