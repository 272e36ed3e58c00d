// Package publishtest is the conformance suite of the publish port: every
// broker adapter runs [Run] with a factory that gives each case a fresh,
// isolated broker setup (its own topic prefix, stream names or database).
//
// The suite drives the real [publish.Forwarder] over an in-memory event
// store, with its checkpoint in an SQLite read-model store, and reads the
// broker back through the adapter's Watermill subscriber. It checks that
// every event arrives, that each stream's events keep their order within
// their shard's topic, that the metadata carries the envelope's ids, that
// a restart re-delivers at most the tail that was never checkpointed (and
// then with the same event ids), and that a broker error is reported as
// [publish.ErrUnavailable] while the checkpoint stays where it was.
package publishtest
