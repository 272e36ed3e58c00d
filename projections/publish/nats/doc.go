// Package nats is the NATS JetStream adapter of the publish port: a
// Watermill publisher that sends each batch with JetStream's asynchronous
// publish and returns once the server has acknowledged every message, and
// a [Consumer] that joins a group of processes sharing the shards.
//
// # Streams
//
// Each shard topic ("ledgerline.events.7") is the only subject of its own
// JetStream stream ("ledgerline_events_7", see [StreamName]), kept on file
// with limits retention: a stream's sequence numbers are then dense per
// shard, which lets a consumer notice a gap. [EnsureStreams] creates them;
// [Open] calls it.
//
// # Deduplication
//
// Every message carries the event id as its Nats-Msg-Id header, so the
// server drops a re-published event within its duplicate window (two
// minutes unless [Config.Duplicates] says otherwise). Past the window a
// re-published event is stored again, with the same event id: consumers
// deduplicate by event id.
//
// # Durability
//
// JetStream acknowledges a message before it reaches the disk (it syncs
// every two minutes by default), so a power loss can lose acknowledged
// messages. The event store stays the source of truth: a handler that
// sees a customer's version jump (a lost message) reads the missing
// events from the store by position; the consumer does not do that for
// it.
package nats
