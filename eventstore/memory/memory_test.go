package memory_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/eventstore/storetest"
)

// newStore returns an empty store that is closed when the test ends.
func newStore(t testing.TB, now func() time.Time) *memory.Store {
	s := memory.New(now)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store { return newStore(t, nil) })
}

// portOnly hides the store's optional capabilities (BatchAppender,
// HeadReader), as a wrapper that forwards only the port would.
type portOnly struct{ eventstore.Store }

// TestConformanceWithoutCapabilities runs the suite on a store without
// the optional capabilities: every case but theirs must pass.
func TestConformanceWithoutCapabilities(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store { return portOnly{newStore(t, nil)} })
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) eventstore.Store { return newStore(b, nil) })
}

// TestClockStampsRecordedAt checks that the injected clock, not the wall
// clock, stamps records, normalised to microseconds in UTC.
func TestClockStampsRecordedAt(t *testing.T) {
	at := time.Date(2025, time.March, 1, 12, 0, 0, 123456789, time.FixedZone("UTC-5", -5*60*60))
	s := newStore(t, func() time.Time { return at })
	ev := eventstore.EventData{ID: uuid.New(), Type: "test.noted", SchemaVersion: 1, Data: []byte(`{}`), OccurredAt: at}
	_, err := s.Append(t.Context(), "customer-a", eventstore.NoStream, []eventstore.EventData{ev})
	require.NoError(t, err)
	recs, err := s.ReadStream(t.Context(), "customer-a", eventstore.ReadStreamOptions{})
	require.NoError(t, err)
	require.Equal(t, eventstore.Micro(at), recs[0].RecordedAt)
}
