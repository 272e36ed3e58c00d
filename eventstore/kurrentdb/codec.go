package kurrentdb

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/ledgerline/ledgerline/eventstore"
)

// eventMeta is the user metadata of every event the store writes: the
// port's fields KurrentDB has no place for, the stream version and the
// hash chain. KurrentDB keeps the id, the stream, the type and the payload
// itself. Times are microseconds since the Unix epoch: the precision the
// port stores, and several times cheaper to decode than RFC 3339 text.
type eventMeta struct {
	SchemaVersion int   `json:"schema_version"`
	OccurredAt    int64 `json:"occurred_at_us"`
	RecordedAt    int64 `json:"recorded_at_us"`
	eventstore.Metadata
	Version uint64 `json:"version"`
	Hash    string `json:"hash"`
}

// encode turns a sealed record into the event the client appends.
func encode(rec eventstore.Record) (esdb.EventData, error) {
	meta, err := json.Marshal(eventMeta{
		SchemaVersion: rec.SchemaVersion, OccurredAt: rec.OccurredAt.UnixMicro(), RecordedAt: rec.RecordedAt.UnixMicro(),
		Metadata: rec.Metadata, Version: rec.Version, Hash: hex.EncodeToString(rec.Hash),
	})
	if err != nil {
		return esdb.EventData{}, fmt.Errorf("encode metadata of event %s: %w", rec.ID, err)
	}
	return esdb.EventData{EventID: rec.ID, EventType: rec.Type, ContentType: esdb.ContentTypeJson,
		Data: rec.Data, Metadata: meta}, nil
}

// decode turns a recorded event of stream (the store's name of it) into a
// record. The version and the position are KurrentDB's: the version is
// the revision + 1, the position the commit position + 1 (0 if the server
// reported none). An event whose metadata is not the store's (written by
// another program) decodes with the fields it has and no hash, so that
// [eventstore.Verify] names it.
func decode(stream string, e *esdb.RecordedEvent) eventstore.Record {
	rec := eventstore.Record{
		EventData: eventstore.EventData{ID: e.EventID, Type: e.EventType, Data: e.Data},
		Stream:    stream,
		Version:   e.EventNumber + 1,
		Position:  position(e.Position),
	}
	var meta eventMeta
	if json.Unmarshal(e.UserMetadata, &meta) != nil {
		rec.RecordedAt = eventstore.Micro(e.CreatedDate)
		return rec
	}
	rec.SchemaVersion, rec.Metadata = meta.SchemaVersion, meta.Metadata
	rec.OccurredAt, rec.RecordedAt = time.UnixMicro(meta.OccurredAt).UTC(), time.UnixMicro(meta.RecordedAt).UTC()
	rec.Hash, _ = hex.DecodeString(meta.Hash)
	return rec
}

// position maps a KurrentDB position to the port's: the commit position
// + 1, so that the first event of a log (which may sit at 0) is at 1 and
// 0 keeps meaning "before the first event". Commit and prepare positions
// are equal for every event written by one append.
func position(p esdb.Position) uint64 {
	if p.Commit == math.MaxUint64 {
		return 0
	}
	return p.Commit + 1
}

// logPosition is the KurrentDB position of the event at port position p
// (p > 0).
func logPosition(p uint64) esdb.Position {
	return esdb.Position{Commit: p - 1, Prepare: p - 1}
}
