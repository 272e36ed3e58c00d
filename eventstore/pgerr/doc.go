// Package pgerr translates PostgreSQL driver (pgx) errors into the
// vocabulary of ledgerline's ports, for every adapter that talks to
// PostgreSQL: the event store and the read-model store. It tells a server
// that cannot be reached or dropped the connection (retryable,
// [eventstore.ErrUnavailable]) from everything else, and keeps pgx types
// out of the errors callers see.
package pgerr
