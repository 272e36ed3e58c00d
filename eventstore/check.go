package eventstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Match reports whether an event of type typ in stream passes f.
func (f Filter) Match(stream, typ string) bool {
	if len(f.StreamPrefixes) > 0 && !slices.ContainsFunc(f.StreamPrefixes, func(p string) bool {
		return strings.HasPrefix(stream, p)
	}) {
		return false
	}
	return len(f.Types) == 0 || slices.Contains(f.Types, typ)
}

// ValidateAppend checks what every adapter must refuse before it writes:
// an empty stream name, no events, and events that are not storable. The
// error matches ErrInvalidEvent and names the offending event.
func ValidateAppend(stream string, events []EventData) error {
	if stream == "" {
		return fmt.Errorf("%w: stream name is empty", ErrInvalidEvent)
	}
	if len(events) == 0 {
		return fmt.Errorf("%w: append to %s: no events", ErrInvalidEvent, stream)
	}
	seen := make(map[uuid.UUID]bool, len(events))
	for i, ev := range events {
		if err := validateEvent(ev, seen); err != nil {
			return fmt.Errorf("%w: append to %s: event %d: %s", ErrInvalidEvent, stream, i, err)
		}
	}
	return nil
}

func validateEvent(ev EventData, seen map[uuid.UUID]bool) error {
	switch {
	case ev.ID == uuid.Nil:
		return fmt.Errorf("id is nil")
	case seen[ev.ID]:
		return fmt.Errorf("id %s appears twice in one append", ev.ID)
	case ev.Type == "":
		return fmt.Errorf("type is empty")
	case ev.SchemaVersion < 1:
		return fmt.Errorf("schema version %d is below 1", ev.SchemaVersion)
	case !json.Valid(ev.Data):
		return fmt.Errorf("data is not valid JSON")
	case ev.OccurredAt.IsZero():
		return fmt.Errorf("occurred_at is zero")
	}
	seen[ev.ID] = true
	return nil
}

// SameEvent reports whether stored holds ev in stream: the test that tells
// an idempotent retry from a reused id.
func SameEvent(stored Record, stream string, ev EventData) bool {
	return stored.ID == ev.ID && stored.Stream == stream && stored.Type == ev.Type &&
		stored.SchemaVersion == ev.SchemaVersion && bytes.Equal(stored.Data, ev.Data) &&
		stored.OccurredAt.Equal(Micro(ev.OccurredAt)) && stored.Metadata == ev.Metadata
}

// Seal completes a record for storage: it normalises times to
// microseconds in UTC and sets the hash chained to prev.
func Seal(prev []byte, rec Record) Record {
	rec.OccurredAt = Micro(rec.OccurredAt)
	rec.RecordedAt = Micro(rec.RecordedAt)
	rec.Hash = ChainHash(prev, rec)
	return rec
}
