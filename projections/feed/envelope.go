package feed

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Envelope is the wire form of one stored event: its payload and every
// id an auditor or a consumer needs to order and deduplicate it.
type Envelope struct {
	EventID       uuid.UUID       `json:"event_id"`
	Type          string          `json:"type"`
	SchemaVersion int             `json:"schema_version"`
	Stream        string          `json:"stream"`
	Version       uint64          `json:"version"`
	Position      uint64          `json:"position"`
	OccurredAt    time.Time       `json:"occurred_at"`
	RecordedAt    time.Time       `json:"recorded_at"`
	Actor         string          `json:"actor,omitempty"`
	CommandID     uuid.UUID       `json:"command_id"`
	CorrelationID uuid.UUID       `json:"correlation_id"`
	CausationID   uuid.UUID       `json:"causation_id"`
	Hash          string          `json:"hash"`
	Data          json.RawMessage `json:"data"`
}

// ToEnvelope returns rec's wire form.
func ToEnvelope(rec eventstore.Record) Envelope {
	return Envelope{
		EventID: rec.ID, Type: rec.Type, SchemaVersion: rec.SchemaVersion,
		Stream: rec.Stream, Version: rec.Version, Position: rec.Position,
		OccurredAt: rec.OccurredAt, RecordedAt: rec.RecordedAt, Actor: rec.Metadata.Actor,
		CommandID: rec.Metadata.CommandID, CorrelationID: rec.Metadata.CorrelationID,
		CausationID: rec.Metadata.CausationID, Hash: hex.EncodeToString(rec.Hash), Data: rec.Data,
	}
}

// Record returns the stored event e describes.
func (e Envelope) Record() (eventstore.Record, error) {
	hash, err := hex.DecodeString(e.Hash)
	if err != nil {
		return eventstore.Record{}, fmt.Errorf("decode envelope %s: hash: %w", e.EventID, err)
	}
	return eventstore.Record{
		EventData: eventstore.EventData{ID: e.EventID, Type: e.Type, SchemaVersion: e.SchemaVersion,
			Data: e.Data, OccurredAt: e.OccurredAt.UTC(), Metadata: eventstore.Metadata{Actor: e.Actor,
				CommandID: e.CommandID, CorrelationID: e.CorrelationID, CausationID: e.CausationID}},
		Stream: e.Stream, Version: e.Version, Position: e.Position, RecordedAt: e.RecordedAt.UTC(), Hash: hash,
	}, nil
}
