// Package eventstore defines the event-store port of ledgerline: the one
// contract that the embedded (SQLite), PostgreSQL and KurrentDB backends
// implement, and that the conformance suite in [storetest] proves.
//
// The port knows nothing of customers or leads. It stores opaque JSON
// payloads in streams, each event with the metadata an auditor needs (who,
// when, why) and a SHA-256 hash chained to its predecessor in the stream.
//
// # Guarantees
//
//   - Append is atomic: all events of one call are stored, or none.
//   - Optimistic concurrency: an append states the version it expects the
//     stream to be at ([Any], [NoStream] or [Exact]); a mismatch fails with
//     an error matching [ErrWrongExpectedVersion], and exactly one of several
//     racing appenders wins each version.
//   - Idempotency: appending events whose ids are already stored, with the
//     same content and in the same stream, is a no-op that reports the
//     original result; the same id with other content fails with
//     [ErrDuplicateEventID].
//   - The global log is totally ordered by position. Positions strictly
//     increase in commit order; they need not be dense (KurrentDB's are
//     byte offsets). A reader of the global log never skips an event that
//     commits after a later position became visible.
//   - A catch-up [Subscription] delivers every event after its start
//     position exactly once, in global order, and then goes on with live
//     events without a gap or a duplicate.
//   - Tamper evidence: [ChainHash] links every event to its predecessor;
//     [Verify] recomputes every chain and names the first event that does
//     not match.
//
// Stream versions start at 1; position 0 means "before the first event".
package eventstore
