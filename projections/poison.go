package projections

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

func poisonSchema(d readmodel.Dialect) []string {
	id := "INTEGER PRIMARY KEY"
	if d == readmodel.PostgreSQL {
		id = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	return []string{`CREATE TABLE IF NOT EXISTS projection_poison (
		id             ` + id + `,
		projection     TEXT NOT NULL,
		after_position BIGINT NOT NULL,
		last_position  BIGINT NOT NULL,
		reason         TEXT NOT NULL,
		payload        TEXT NOT NULL -- the batch's events as a JSON array of envelopes
	)`}
}

// poisonSink is the poison queue's publisher: it records a batch that
// failed permanently in projection_poison and moves the projection's
// checkpoint past it, in one transaction, so that the projection goes on
// and the skipped events stay visible to operators.
type poisonSink struct {
	models readmodel.Store
	log    *slog.Logger
	// advanced is told of the checkpoint moved past a poisoned batch.
	advanced func(projection string, pos uint64)
}

// Publish implements message.Publisher.
func (s *poisonSink) Publish(_ string, msgs ...*message.Message) error {
	for _, m := range msgs {
		if err := s.record(m); err != nil {
			return err
		}
	}
	return nil
}

func (s *poisonSink) record(m *message.Message) error {
	projection := m.Metadata.Get(middleware.PoisonedHandlerKey)
	reason := m.Metadata.Get(middleware.ReasonForPoisonedKey)
	after, last, err := feed.Batch(m)
	if err != nil {
		return err
	}
	to := readmodel.Checkpoint{Position: last}
	recs, decodeErr := feed.Decode(m.Payload)
	if decodeErr == nil && len(recs) > 0 {
		to.RecordedAt = recs[len(recs)-1].RecordedAt
	}
	s.log.Error("projection skips a poisoned batch", "projection", projection, "after", after, "last", last, "reason", reason)
	ctx := context.Background()
	err = s.models.Apply(ctx, projection, after, to, func(ctx context.Context, tx readmodel.Tx) error {
		return insertPoison(ctx, tx, projection, after, last, reason, poisonPayload(recs, m.Payload))
	})
	if err != nil {
		return fmt.Errorf("record poisoned batch of %s: %w", projection, err)
	}
	s.advanced(projection, last)
	return nil
}

// RecordPoison records in tx, in the projection_poison table, that
// projection skipped the events recs (positions after < p ≤ last) for
// reason, as the runtime does for a batch that failed permanently. The
// projection rebuild uses it for the events it skips.
func RecordPoison(ctx context.Context, tx readmodel.Tx, projection string, after, last uint64, reason string, recs []eventstore.Record) error {
	return insertPoison(ctx, tx, projection, after, last, reason, poisonPayload(recs, nil))
}

// PoisonSchema returns the DDL of the runtime's projection_poison table,
// which [Runtime.Migrate] runs.
func PoisonSchema(d readmodel.Dialect) []string { return poisonSchema(d) }

func insertPoison(ctx context.Context, tx readmodel.Tx, projection string, after, last uint64, reason, payload string) error {
	return tx.Exec(ctx, `INSERT INTO projection_poison (projection, after_position, last_position, reason, payload)
		VALUES ($1, $2, $3, $4, $5)`, projection, int64(after), int64(last), reason, payload)
}

// Close implements message.Publisher.
func (s *poisonSink) Close() error { return nil }

// poisonPayload is what an operator reads of a poisoned batch: its events
// as a JSON array of envelopes, or the raw batch in base64 when it could
// not even be decoded.
func poisonPayload(recs []eventstore.Record, raw []byte) string {
	if recs == nil {
		return "base64:" + base64.StdEncoding.EncodeToString(raw)
	}
	env := make([]feed.Envelope, len(recs))
	for i, r := range recs {
		env[i] = feed.ToEnvelope(r)
	}
	b, err := json.Marshal(env)
	if err != nil {
		return "base64:" + base64.StdEncoding.EncodeToString(raw)
	}
	return string(b)
}
