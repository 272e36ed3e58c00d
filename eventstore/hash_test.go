package eventstore_test

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
)

func fixedRecord() eventstore.Record {
	at := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)
	return eventstore.Record{
		EventData: eventstore.EventData{
			ID: uuid.MustParse("00000000-0000-0000-0000-000000000001"), Type: "customer.registered", SchemaVersion: 1,
			Data: []byte(`{"name":"Ann"}`), OccurredAt: at,
			Metadata: eventstore.Metadata{Actor: "user:ann", CommandID: uuid.MustParse("00000000-0000-0000-0000-000000000002")},
		},
		Stream: "customer-1", Version: 1, Position: 1, RecordedAt: at.Add(time.Second),
	}
}

// TestChainHashIsStable pins the hash format: every backend and every
// version of ledgerline must compute the same chain over the same history.
func TestChainHashIsStable(t *testing.T) {
	got := hex.EncodeToString(eventstore.ChainHash(nil, fixedRecord()))
	assert.Equal(t, "4ac8d1ed89df896d85e800f3a85665ab8266f4ce5eab63f4f348921209d6d4be", got)
}

func TestChainHashCoversEveryStoredField(t *testing.T) {
	base := eventstore.ChainHash(nil, fixedRecord())
	changes := map[string]func(*eventstore.Record){
		"id":          func(r *eventstore.Record) { r.ID = uuid.New() },
		"stream":      func(r *eventstore.Record) { r.Stream = "customer-2" },
		"version":     func(r *eventstore.Record) { r.Version = 2 },
		"type":        func(r *eventstore.Record) { r.Type = "customer.forgotten" },
		"schema":      func(r *eventstore.Record) { r.SchemaVersion = 2 },
		"occurred_at": func(r *eventstore.Record) { r.OccurredAt = r.OccurredAt.Add(time.Microsecond) },
		"recorded_at": func(r *eventstore.Record) { r.RecordedAt = r.RecordedAt.Add(time.Microsecond) },
		"actor":       func(r *eventstore.Record) { r.Metadata.Actor = "user:bob" },
		"command":     func(r *eventstore.Record) { r.Metadata.CommandID = uuid.New() },
		"correlation": func(r *eventstore.Record) { r.Metadata.CorrelationID = uuid.New() },
		"causation":   func(r *eventstore.Record) { r.Metadata.CausationID = uuid.New() },
		"data":        func(r *eventstore.Record) { r.Data = []byte(`{"name":"Anne"}`) },
	}
	for name, change := range changes {
		r := fixedRecord()
		change(&r)
		assert.NotEqual(t, base, eventstore.ChainHash(nil, r), name)
	}
	assert.NotEqual(t, base, eventstore.ChainHash([]byte{1}, fixedRecord()), "predecessor")
}

// tampering serves a store's log with one record altered.
type tampering struct {
	eventstore.Store
	alter func([]eventstore.Record) []eventstore.Record
}

func (s tampering) ReadAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	recs, err := s.Store.ReadAll(ctx, opts)
	return s.alter(recs), err
}

func TestVerifyNamesTheFirstAlteredEvent(t *testing.T) {
	store := memory.New(nil)
	for i := range 3 {
		rec := fixedRecord()
		_, err := store.Append(context.Background(), "customer-1", eventstore.Any, []eventstore.EventData{{
			ID: uuid.New(), Type: rec.Type, SchemaVersion: 1, Data: []byte(`{"n":` + string(rune('0'+i)) + `}`), OccurredAt: rec.OccurredAt}})
		require.NoError(t, err)
	}
	rep, err := eventstore.Verify(context.Background(), store, nil)
	require.NoError(t, err)
	assert.Equal(t, eventstore.VerifyReport{Streams: 1, Events: 3, LastPosition: 3}, rep)

	tests := map[string]struct {
		alter  func([]eventstore.Record) []eventstore.Record
		reason string
	}{
		"payload byte": {func(r []eventstore.Record) []eventstore.Record {
			if len(r) > 1 {
				r[1].Data = []byte(`{"n":7}`)
			}
			return r
		}, "hash mismatch"},
		"event removed": {func(r []eventstore.Record) []eventstore.Record {
			if len(r) > 2 {
				return append(r[:1:1], r[2:]...)
			}
			return r
		}, "version follows 1"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := eventstore.Verify(context.Background(), tampering{store, tt.alter}, nil)
			var te *eventstore.TamperError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "customer-1", te.Stream)
			assert.Contains(t, te.Reason, tt.reason)
		})
	}
}
