// Package amqp is the RabbitMQ adapter of the publish port, on Watermill's
// AMQP pub/sub (watermill-amqp v3).
//
// Each shard topic is a durable fanout exchange of that name. A consumer
// group reads a shard from a durable queue named "<topic>_<group>" bound
// to it (see [QueueName]). RabbitMQ drops a message that no queue is bound
// to receive, so the publisher declares the queues of the groups in
// [Config.Groups] before it publishes: a group listed there never misses a
// message, even one published before its first consumer connected.
//
// Publishing uses publisher confirms: every message is persistent and
// mandatory, and [Publisher.Publish] returns once RabbitMQ confirmed each
// (it then holds them in the durable queues) and returned none as
// unroutable; only then does the forwarder move its checkpoint.
// RabbitMQ does not deduplicate: a re-published event arrives again with
// the same event id (in the message UUID and the event_id header).
package amqp
