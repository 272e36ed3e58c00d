package feed_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feed"
)

func sample(i int) eventstore.Record {
	at := time.Date(1997, 1, 1+i, 0, 0, 0, 0, time.UTC)
	return eventstore.Record{
		EventData: eventstore.EventData{ID: uuid.New(), Type: "customer.registered", SchemaVersion: 1,
			Data: []byte(`{"name":"Ann"}`), OccurredAt: at, Metadata: eventstore.Metadata{Actor: "user:ann",
				CommandID: uuid.New(), CorrelationID: uuid.New(), CausationID: uuid.New()}},
		Stream: "customer-x", Version: uint64(i + 1), Position: uint64(100 + i),
		RecordedAt: at.Add(time.Microsecond), Hash: []byte{1, 2, 3},
	}
}

func TestCodecRoundTrips(t *testing.T) {
	recs := []eventstore.Record{sample(0), sample(1), sample(2)}
	b, err := feed.Encode(recs)
	require.NoError(t, err)
	got, err := feed.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, recs, got)
}

func TestCodecRejectsCorruptBatches(t *testing.T) {
	b, err := feed.Encode([]eventstore.Record{sample(0)})
	require.NoError(t, err)
	for name, payload := range map[string][]byte{
		"empty":          nil,
		"other version":  append([]byte{9}, b[1:]...),
		"truncated":      b[:len(b)-3],
		"trailing bytes": append(append([]byte{}, b...), 7),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := feed.Decode(payload)
			assert.Error(t, err)
		})
	}
}

func TestEnvelopeRoundTrips(t *testing.T) {
	rec := sample(3)
	got, err := feed.ToEnvelope(rec).Record()
	require.NoError(t, err)
	assert.Equal(t, rec, got)
}
