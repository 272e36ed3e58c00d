package eventstore

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Metadata says who caused an event and why. It is stored with every event
// and covered by the event's hash.
type Metadata struct {
	// Actor is the person or service on whose behalf the event was
	// recorded, e.g. "user:alice" or "import:cdnow".
	Actor string `json:"actor,omitempty"`
	// CommandID identifies the command that produced the event; a retried
	// command carries the same id.
	CommandID uuid.UUID `json:"command_id"`
	// CorrelationID ties together everything caused by one request.
	CorrelationID uuid.UUID `json:"correlation_id"`
	// CausationID is the id of the command or event that directly caused
	// this one.
	CausationID uuid.UUID `json:"causation_id"`
}

// EventData is an event to append.
type EventData struct {
	// ID is chosen by the caller, so that a retried append is recognised
	// as the same event. It must not be uuid.Nil.
	ID uuid.UUID
	// Type names the event in the catalogue, e.g. "customer.registered".
	Type string
	// SchemaVersion is the version of Type's payload schema, from 1.
	SchemaVersion int
	// Data is the payload, a JSON document.
	Data []byte
	// OccurredAt is business time: when the fact happened.
	OccurredAt time.Time
	// Metadata says who and why.
	Metadata Metadata
}

// Record is a stored event as a reader sees it.
type Record struct {
	EventData
	// Stream is the stream the event belongs to, e.g. "customer-<uuid>".
	Stream string
	// Version is the event's place in its stream, from 1.
	Version uint64
	// Position is the event's place in the global log, from 1.
	Position uint64
	// RecordedAt is when the store accepted the event, in UTC with
	// microsecond precision.
	RecordedAt time.Time
	// Hash is [ChainHash] of the event and its predecessor's Hash.
	Hash []byte
}

// ExpectedVersion is what an appender expects a stream's version to be.
// Use [Any], [NoStream] or [Exact].
type ExpectedVersion int64

const (
	// Any appends whatever the stream's version is.
	Any ExpectedVersion = -1
	// NoStream appends only if the stream holds no event yet.
	NoStream ExpectedVersion = 0
)

// Exact expects the stream to be at version v; Exact(0) is [NoStream].
func Exact(v uint64) ExpectedVersion { return ExpectedVersion(v) }

// String reports the expectation as "any", "no stream" or the version.
func (e ExpectedVersion) String() string {
	switch {
	case e == Any:
		return "any"
	case e == NoStream:
		return "no stream"
	default:
		return formatUint(uint64(e))
	}
}

// Matches reports whether a stream at version current satisfies e.
func (e ExpectedVersion) Matches(current uint64) bool {
	return e == Any || uint64(e) == current
}

// AppendResult reports where appended events were stored.
type AppendResult struct {
	// FirstVersion and LastVersion are the versions of the first and the
	// last appended event; LastVersion is the stream's new version.
	FirstVersion, LastVersion uint64
	// LastPosition is the global position of the last appended event.
	LastPosition uint64
}

// Direction is the order of a read.
type Direction int

const (
	// Forwards reads from older to newer events.
	Forwards Direction = iota
	// Backwards reads from newer to older events.
	Backwards
)

// ReadStreamOptions selects events of one stream.
type ReadStreamOptions struct {
	// Direction of the read; Forwards by default.
	Direction Direction
	// From is the first version to return (inclusive). Forwards, 0 means
	// the start; backwards, 0 means the end.
	From uint64
	// Limit caps the number of events returned; 0 means no cap.
	Limit int
}

// Filter narrows a read of the global log. The zero Filter passes every
// event.
type Filter struct {
	// StreamPrefixes keeps events whose stream starts with one of them.
	StreamPrefixes []string
	// Types keeps events of one of these types.
	Types []string
}

// ReadAllOptions selects events of the global log.
type ReadAllOptions struct {
	// After is the position to read after (exclusive), forwards; 0 reads
	// from the start.
	After uint64
	// Limit caps the number of events returned; it must be positive.
	Limit int
	// Filter narrows the events returned.
	Filter Filter
}

// SubscribeOptions starts a catch-up subscription.
type SubscribeOptions struct {
	// After is the position to start after (exclusive); 0 starts at the
	// beginning of the log.
	After uint64
	// Filter narrows the events delivered.
	Filter Filter
	// MaxBatch caps how many events one call of Next returns; 0 means
	// [DefaultMaxBatch].
	MaxBatch int
}

// DefaultMaxBatch is the batch cap of a subscription whose options set none.
const DefaultMaxBatch = 512

// Store is the event-store port. Implementations are safe for concurrent
// use by multiple goroutines.
type Store interface {
	// Append stores events at the end of stream, atomically, if the
	// stream's version matches expected. It fails with an error matching
	// ErrWrongExpectedVersion (and as a *ConflictError) on a mismatch,
	// ErrDuplicateEventID when an id is stored with other content or in
	// another stream, and ErrInvalidEvent for an event that cannot be
	// stored (nil id, empty type, payload that is not JSON). Appending
	// events that are all already stored, identically and in order, at the
	// end of stream or anywhere in it, succeeds without storing anything
	// and reports where they are, whatever expected says.
	Append(ctx context.Context, stream string, expected ExpectedVersion, events []EventData) (AppendResult, error)

	// ReadStream returns events of one stream in the order asked. It fails
	// with ErrStreamNotFound if the stream holds no event.
	ReadStream(ctx context.Context, stream string, opts ReadStreamOptions) ([]Record, error)

	// ReadAll returns up to opts.Limit events of the global log after
	// opts.After, in position order, that pass the filter. It never
	// returns an event while an event with a lower position may still
	// become visible: what it returns is a gap-free prefix.
	ReadAll(ctx context.Context, opts ReadAllOptions) ([]Record, error)

	// Subscribe starts a catch-up subscription. It lives until Close is
	// called or ctx is done.
	Subscribe(ctx context.Context, opts SubscribeOptions) (Subscription, error)

	// Close releases the store. Calls after Close fail with ErrClosed.
	// Close is idempotent.
	Close() error
}

// Subscription delivers the global log from a position, then live events.
// It is not safe for concurrent use.
type Subscription interface {
	// Next blocks until at least one event after the last one delivered
	// is available, then returns up to the subscription's MaxBatch of
	// them, in position order. It returns ctx's error when ctx is done and
	// ErrClosed after Close.
	Next(ctx context.Context) ([]Record, error)
	// Close stops the subscription; it is idempotent.
	Close() error
}
