package kurrentdb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb/kurrenttest"
	"github.com/ledgerline/ledgerline/eventstore/storetest"
)

// BenchmarkTestServer runs the shared benchmarks against the in-process
// TEST SERVER (kurrenttest), not a real KurrentDB: the figures measure
// the adapter and the esdb client over loopback gRPC on the same cores,
// against a log in memory that never touches a disk. Compare them with
// BenchmarkTestServerRawClient from the same run, not with other
// backends.
func BenchmarkTestServer(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) eventstore.Store {
		return open(b, kurrenttest.Start(b).URL(), kurrentdb.Config{})
	})
}

// BenchmarkTestServerRawClient is the baseline of BenchmarkTestServer:
// the plain esdb client appending events of the same size to one stream
// with "any", against the TEST SERVER. What the store adds over it is the
// price of its guarantees: one id-claim append per event (run in
// parallel), the hash chain and the metadata.
func BenchmarkTestServerRawClient(b *testing.B) {
	payload := []byte(`{"sku":"CD-1997-042","quantity":2,"price_minor":1299,"currency":"USD"}`)
	for _, size := range []int{1, 100} {
		b.Run(fmt.Sprintf("AppendSize%d", size), func(b *testing.B) {
			c := rawClient(b, kurrenttest.Start(b).URL())
			appended := 0
			for b.Loop() {
				evs := make([]esdb.EventData, size)
				for i := range evs {
					evs[i] = esdb.EventData{EventID: uuid.New(), EventType: "purchase.recorded",
						ContentType: esdb.ContentTypeJson, Data: payload, Metadata: []byte(`{}`)}
				}
				if _, err := c.AppendToStream(b.Context(), "customer-bench", esdb.AppendToStreamOptions{}, evs...); err != nil {
					b.Fatal(err)
				}
				appended += size
			}
			b.ReportMetric(float64(appended)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkRealServer runs the shared benchmarks against the KurrentDB
// that KURRENTDB_URL names, in a namespace of its own.
func BenchmarkRealServer(b *testing.B) {
	url := realURL(b)
	storetest.Bench(b, func(b *testing.B) eventstore.Store {
		return open(b, url, kurrentdb.Config{Namespace: realNamespace(), Timeout: time.Minute})
	})
}
