package eventstore

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors that callers act on. Adapters wrap them with context, so
// test with errors.Is.
var (
	// ErrWrongExpectedVersion means the stream was not at the version the
	// appender expected: reload and decide again.
	ErrWrongExpectedVersion = errors.New("eventstore: wrong expected version")
	// ErrStreamNotFound means the stream holds no event.
	ErrStreamNotFound = errors.New("eventstore: stream not found")
	// ErrDuplicateEventID means an event id is already stored with other
	// content or in another stream.
	ErrDuplicateEventID = errors.New("eventstore: duplicate event id with different content")
	// ErrInvalidEvent means an event cannot be stored as given.
	ErrInvalidEvent = errors.New("eventstore: invalid event")
	// ErrClosed means the store or subscription was closed.
	ErrClosed = errors.New("eventstore: closed")
	// ErrUnavailable means the backend could not be reached; the call may
	// be retried.
	ErrUnavailable = errors.New("eventstore: unavailable")
)

// ConflictError reports a failed optimistic-concurrency check. It matches
// ErrWrongExpectedVersion with errors.Is.
type ConflictError struct {
	Stream   string
	Expected ExpectedVersion
	// Actual is the stream's version when the check failed.
	Actual uint64
}

// Error implements error.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("eventstore: append to %s: wrong expected version (expected %s, actual %d)",
		e.Stream, e.Expected, e.Actual)
}

// Is reports whether target is ErrWrongExpectedVersion.
func (e *ConflictError) Is(target error) bool { return target == ErrWrongExpectedVersion }

// TamperError reports the first event whose stored bytes do not match its
// hash chain.
type TamperError struct {
	Stream   string `json:"stream"`
	Version  uint64 `json:"version"`
	Position uint64 `json:"position"`
	EventID  string `json:"event_id"`
	Reason   string `json:"reason"`
}

// Error implements error.
func (e *TamperError) Error() string {
	return fmt.Sprintf("eventstore: %s version %d (position %d, event %s): %s",
		e.Stream, e.Version, e.Position, e.EventID, e.Reason)
}

func formatUint(v uint64) string { return strconv.FormatUint(v, 10) }
