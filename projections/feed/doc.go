// Package feed turns the event store's catch-up subscription into a
// Watermill [message.Subscriber], so that projectors run in a Watermill
// router with its middleware (recovery, retry, poison queue).
//
// One message carries a batch of consecutive events of the global log,
// in a compact binary form (see [Encode]), with the positions it spans in
// its metadata. A batch, not a single event, is the unit of delivery
// because a projector applies it in one read-model transaction together
// with its checkpoint: that is what makes a rebuild or an import fast and
// every projection effectively-once.
//
// Delivery is at-least-once and in global order. The subscriber sends the
// next batch only after the previous one is acked; on a nack it waits
// RedeliveryDelay, asks the StartFunc again where to start (a projection's
// stored checkpoint) and re-reads the store from there.
package feed
