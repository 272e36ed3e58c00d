// Package kurrenttest is an in-process KurrentDB server for tests: a
// gRPC server built from the generated code that EventStore-Client-Go v4
// itself ships (protos/streams, serverfeatures, gossip, shared), so that
// the real, unmodified esdb client talks to it over loopback.
//
// It is a test server. It keeps everything in memory and nothing across
// processes, has no authentication, no TLS and no access control lists,
// and implements only what ledgerline's KurrentDB adapter and its tests
// need: the Streams service's Append and Read, ServerFeatures (the
// client's first call on a connection) and Gossip (for several seeds and
// esdb+discover://, as a one-node cluster whose leader it is). It has no
// persistent subscriptions, projections, soft delete or tombstones,
// BatchAppend, stream metadata ($maxAge, $maxCount, $tb), link events,
// system streams of its own, append size limits or scavenging; those calls
// answer Unimplemented.
//
// # What it does as KurrentDB does
//
//   - Positions look like byte offsets in the transaction log: strictly
//     increasing in commit order, never dense, the first event at 0. Commit
//     and prepare positions are equal, as for every event KurrentDB writes
//     in one append. A successful append reports the position of its last
//     event.
//   - Expected revisions: any, no stream, stream exists and an exact
//     revision; a mismatch answers WrongExpectedVersion with the current
//     revision, which the client reports as
//     "wrong expected version: expecting '…' but got '…'".
//   - Idempotency by event id, as KurrentDB has it: with an exact
//     expectation, events whose ids match those right after the expected
//     revision are not written again and the append succeeds; with "any"
//     the first id is looked up in the stream. Ids are not unique across
//     streams: KurrentDB does not enforce that, and neither does this
//     server.
//   - Reads with a count answer only events or stream-not-found (the client
//     panics on anything else). Every event carries the "type",
//     "content-type" and "created" (.NET ticks since the Unix epoch)
//     metadata and a structured UUID. A stream read forwards from a revision
//     is inclusive; backwards from a revision past the end starts at the
//     last event. A read of $all forwards from a position is inclusive,
//     backwards exclusive. A position where no event starts is refused
//     (KurrentDB would misread the log there).
//   - Catch-up subscriptions to a stream or to $all answer a confirmation
//     first, then the events after the start (exclusive), caught-up, then
//     live events. $all subscriptions take KurrentDB's server-side filters:
//     prefixes or a regular expression (Go's RE2 syntax, where KurrentDB
//     has .NET's) on the stream name or the event type, and report
//     checkpoints every search window × multiplier events.
//   - The keepalive enforcement policy allows the client's pings (every
//     second or more, also without a call in flight).
//
// # Usage
//
//	srv := kurrenttest.Start(t) // stopped by t.Cleanup
//	client := esdb.NewClient(esdb.ParseConnectionString(srv.URL()))
//
// [Server.Stop] and [Server.Restart] close and reopen the listener on the
// same port, keeping the data: the way to test what a client does when its
// connection is lost and comes back.
package kurrenttest
