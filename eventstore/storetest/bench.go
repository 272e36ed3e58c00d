package storetest

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// benchPayload is a typical small event payload: a purchase line.
var benchPayload = []byte(`{"sku":"CD-1997-042","quantity":2,"price_minor":1299,"currency":"USD"}`)

// Bench measures the operations the product's performance targets rest
// on, each as a sub-benchmark on a store of its own from factory, and
// reports events/s besides ns/op:
//
//   - AppendSingle: one event per Append, to one stream;
//   - AppendBatch100: 100 events per Append, to one stream;
//   - ReadStream1000: a 1,000-event stream read forwards.
//
// An adapter calls it from its own Benchmark function.
func Bench(b *testing.B, factory func(b *testing.B) eventstore.Store) {
	b.Run("AppendSingle", func(b *testing.B) { benchAppend(b, factory(b), 1) })
	b.Run("AppendBatch100", func(b *testing.B) { benchAppend(b, factory(b), 100) })
	b.Run("ReadStream1000", func(b *testing.B) { benchReadStream(b, factory(b), 1000) })
}

// benchEvents makes events cheaply, so that the benchmarks time the
// store rather than crypto/rand: ids count up from a random prefix.
type benchEvents struct {
	prefix uuid.UUID
	next   uint64
}

func newBenchEvents() *benchEvents { return &benchEvents{prefix: uuid.New()} }

// batch returns n new events.
func (g *benchEvents) batch(n int) []eventstore.EventData {
	evs := make([]eventstore.EventData, n)
	for i := range evs {
		g.next++
		id := g.prefix
		binary.BigEndian.PutUint64(id[8:], g.next)
		evs[i] = eventstore.EventData{ID: id, Type: "purchase.recorded", SchemaVersion: 1, Data: benchPayload,
			OccurredAt: time.Date(1997, time.January, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g.next) * time.Minute),
			Metadata:   eventstore.Metadata{Actor: "import:bench", CommandID: id, CorrelationID: g.prefix}}
	}
	return evs
}

func benchAppend(b *testing.B, s eventstore.Store, size int) {
	gen := newBenchEvents()
	appended := 0
	for b.Loop() {
		if _, err := s.Append(b.Context(), "customer-bench", eventstore.Any, gen.batch(size)); err != nil {
			b.Fatalf("append: %v", err)
		}
		appended += size
	}
	reportEventRate(b, appended)
}

func benchReadStream(b *testing.B, s eventstore.Store, n int) {
	gen := newBenchEvents()
	const stream = "customer-bench"
	for i := 0; i < n; i += 100 {
		if _, err := s.Append(b.Context(), stream, eventstore.Any, gen.batch(min(100, n-i))); err != nil {
			b.Fatalf("append: %v", err)
		}
	}
	read := 0
	for b.Loop() {
		recs, err := s.ReadStream(b.Context(), stream, eventstore.ReadStreamOptions{})
		if err != nil || len(recs) != n {
			b.Fatalf("read stream: %d events, %v", len(recs), err)
		}
		read += len(recs)
	}
	reportEventRate(b, read)
}

// reportEventRate reports events handled per second of measured time.
func reportEventRate(b *testing.B, events int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(events)/s, "events/s")
	}
}
