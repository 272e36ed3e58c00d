// Package publish forwards the event store's global log to a message
// broker, so that services outside ledgerline receive every event: NATS
// JetStream, RabbitMQ or the Watermill SQL pub/sub on PostgreSQL, each an
// adapter in a sub-package (nats, amqp, sql). An adapter is a Watermill
// message.Publisher that returns once the broker holds the messages;
// [FromWatermill] makes it the [Publisher] port the [Forwarder] drives,
// and every adapter passes the publishtest suite. Consumer groups on
// JetStream are in the nats sub-package.
//
// # What a service receives
//
// One message per event. Its payload is the event's [feed.Envelope] as
// JSON (documented in docs/events.md, "Envelope for services", and as JSON
// Schema in docs/schema/); its Watermill UUID is the event id, and its
// metadata carries event_id, type, schema_version, stream, version,
// position, correlation_id and causation_id, so that a consumer can route
// and deduplicate without decoding the payload.
//
// # Order and partitioning
//
// A stream (one customer) always maps to the same shard, hash(stream) mod
// [Sharding.Shards], and a shard is one topic ("ledgerline.events.7"). The
// [Forwarder] publishes a topic's messages in global-log order and waits
// for the broker's acknowledgement of a batch before the next, so every
// customer's events arrive in version order while the shards spread the
// load over consumers (see [Assign] for splitting the shards among a
// group's members).
//
// # Delivery: at-least-once, checkpointed
//
// The Forwarder reads the log after its checkpoint, publishes a batch,
// waits until the broker has acknowledged all of it, and only then moves
// the checkpoint (kept in the read-model store as projection
// "publisher:<name>", see [readmodel.Store.Apply]). A crash between the
// two re-publishes the unacknowledged tail on restart: consumers may see an
// event twice, always with the same event id, and never miss one. A broker
// error fails the batch with an error matching [ErrUnavailable]; the
// checkpoint stays, and the Forwarder retries with backoff.
//
// The event store stays the source of truth: a broker may lose
// acknowledged messages on power loss (NATS JetStream acknowledges before
// it fsyncs), and a consumer can always resume from the store by position.
package publish
