package publishtest

import (
	"context"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/ledgerline/ledgerline/projections/publish"
)

// Broker is one isolated setup of an adapter for one test case.
type Broker struct {
	// Name identifies the adapter in checkpoint names, e.g. "nats".
	Name string
	// Publisher publishes to the broker; the suite closes it.
	Publisher publish.Publisher
	// Sharding is the topics' sharding, with a prefix no other case uses.
	Sharding publish.Sharding
	// Subscriber yields, for each Subscribe, every message of the topic
	// from the first one published in this setup, in broker order. The
	// suite acks every message it receives and closes the subscriber.
	Subscriber message.Subscriber
	// Break makes the broker refuse publishes until Repair is called.
	Break, Repair func(t testing.TB)
	// Reopen returns a new publisher to the same setup, as a restarted
	// process would open.
	Reopen func(t testing.TB) publish.Publisher
}

// Factory builds a fresh Broker for t and registers its clean-up.
type Factory func(t testing.TB) Broker

// Run runs every case of the suite against the adapter factory builds.
// Cases are independent subtests.
func Run(t *testing.T, factory Factory) {
	cases := []struct {
		name string
		run  func(t *testing.T, r *rig)
	}{
		{"EveryEventArrivesInStreamOrder", everyEventArrives},
		{"MetadataCarriesTheEnvelopeIDs", metadataCarriesIDs},
		{"RestartResumesFromTheCheckpoint", restartResumes},
		{"CrashBeforeCheckpointRepublishesOnlyTheTail", crashRepublishesTail},
		{"BrokerErrorIsRetryableAndKeepsTheCheckpoint", brokerErrorKeepsCheckpoint},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newRig(t, factory(t)))
		})
	}
}

func bounded(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}
