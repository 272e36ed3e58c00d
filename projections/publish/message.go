package publish

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feed"
)

// EnvelopeVersion is the version of the envelope's JSON form, in each
// message's MetaEnvelopeVersion and in the name of its JSON Schema
// (docs/schema/envelope.v1.json).
const EnvelopeVersion = 1

// Metadata keys of a published message.
const (
	MetaEventID         = "event_id"
	MetaType            = "type"
	MetaSchemaVersion   = "schema_version"
	MetaStream          = "stream"
	MetaVersion         = "version"
	MetaPosition        = "position"
	MetaCorrelationID   = "correlation_id"
	MetaCausationID     = "causation_id"
	MetaEnvelopeVersion = "envelope_version"
)

// NewMessage returns the message that carries rec: its UUID is the event
// id, its payload the envelope's JSON, its metadata the envelope's ids.
func NewMessage(rec eventstore.Record) (*message.Message, error) {
	payload, err := json.Marshal(feed.ToEnvelope(rec))
	if err != nil {
		return nil, fmt.Errorf("encode envelope of %s: %w", rec.ID, err)
	}
	msg := message.NewMessage(rec.ID.String(), payload)
	md := msg.Metadata
	md.Set(MetaEventID, rec.ID.String())
	md.Set(MetaType, rec.Type)
	md.Set(MetaSchemaVersion, strconv.Itoa(rec.SchemaVersion))
	md.Set(MetaStream, rec.Stream)
	md.Set(MetaVersion, strconv.FormatUint(rec.Version, 10))
	md.Set(MetaPosition, strconv.FormatUint(rec.Position, 10))
	md.Set(MetaCorrelationID, rec.Metadata.CorrelationID.String())
	md.Set(MetaCausationID, rec.Metadata.CausationID.String())
	md.Set(MetaEnvelopeVersion, strconv.Itoa(EnvelopeVersion))
	return msg, nil
}

// Decode returns the envelope a message carries. It refuses an envelope
// version it does not know and a payload whose event id is not the
// metadata's.
func Decode(msg *message.Message) (feed.Envelope, error) {
	if v := msg.Metadata.Get(MetaEnvelopeVersion); v != "" && v != strconv.Itoa(EnvelopeVersion) {
		return feed.Envelope{}, fmt.Errorf("decode message %s: envelope version %s, want %d", msg.UUID, v, EnvelopeVersion)
	}
	var env feed.Envelope
	if err := json.Unmarshal(msg.Payload, &env); err != nil {
		return feed.Envelope{}, fmt.Errorf("decode message %s: %w", msg.UUID, err)
	}
	if id := msg.Metadata.Get(MetaEventID); id != "" && id != env.EventID.String() {
		return feed.Envelope{}, fmt.Errorf("decode message %s: metadata names event %s, payload %s", msg.UUID, id, env.EventID)
	}
	return env, nil
}
