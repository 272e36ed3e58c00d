// Package kurrentdb is the [eventstore.Store] on a KurrentDB (formerly
// EventStoreDB) node or cluster, through the esdb package of
// EventStore-Client-Go v4. It is the backend for where KurrentDB already
// runs and for a log past one machine; read models stay in PostgreSQL.
// It passes the conformance suite (eventstore/storetest) against the
// in-process server of eventstore/kurrentdb/kurrenttest, and against a
// real server when KURRENTDB_URL is set.
//
// # Connecting
//
// [Open] takes a connection string: esdb:// or kurrentdb:// (the same,
// renamed) with one host or several gossip seeds, or esdb+discover:// /
// kurrentdb+discover:// for DNS discovery, with the v4 client's settings
// (tls, tlsCAFile, nodePreference, keepAliveInterval, …). Settings only
// newer clients know are dropped with a warning. The client's own log,
// which it prints to the standard logger, goes to [Config].Logger.
// Unless the string sets maxDiscoverAttempts, discovery never gives up:
// the v4 client closes itself for good after its last failed attempt (the
// store replaces a client that did), so [Config].Timeout bounds each
// round trip instead (an append, an id claim, a page of a read), and a
// call that gets no answer in time fails with an error matching
// [eventstore.ErrUnavailable].
//
// # How the port maps onto KurrentDB
//
//   - Stream: a port stream s is the KurrentDB stream Namespace+s. Streams
//     and event types starting with "$" are KurrentDB's and refused.
//   - Version = revision + 1: port versions start at 1, KurrentDB
//     revisions at 0. An append expecting the stream at version n is
//     written with expected revision n-1 (esdb.Revision(n-1)), a new
//     stream with esdb.NoStream.
//   - Position = commit position + 1. KurrentDB positions are byte offsets
//     in its transaction log: strictly increasing in commit order, not
//     dense, the first event possibly at 0, which the +1 keeps apart from
//     the port's "before the first event". Commit and prepare positions are
//     equal for every event one append writes (events of the legacy TCP
//     client's explicit transactions share a commit position and are not
//     supported). ReadAll after p reads $all from commit position p-1 —
//     KurrentDB reads forwards inclusively from a position where an event
//     starts — and skips that event; a subscription after p starts at
//     commit position p-1, exclusively. A server that reports no position
//     on stream reads (some older EventStoreDB versions) leaves Position 0
//     on ReadStream's records.
//   - Event: the KurrentDB event id is the port's id, the event type the
//     port's type, the content type JSON, the data the payload's bytes as
//     given. The user metadata is a JSON object with what KurrentDB has no
//     place for: schema_version, occurred_at_us and recorded_at_us
//     (microseconds since the Unix epoch), actor, command_id,
//     correlation_id, causation_id, version and hash (hex). recorded_at is
//     the adapter's clock when it seals the events, since the hash must
//     cover it before KurrentDB sees them; KurrentDB's own "created" time
//     is not used. An event without such metadata (written by another
//     program) reads back with no hash, and [eventstore.Verify] names it.
//
// # Appending without forking the hash chain
//
// [eventstore.ChainHash] needs the stream's last hash, so the chain is
// computed here: an append takes the stream's head (its last version and
// hash, remembered from this store's own appends and reads, else read
// backwards with count 1), checks the expectation against it, claims the
// events' ids (below), seals the events onto the head and appends them
// with the exact revision of the head. A writer that got there first makes
// KurrentDB refuse that append, so two appends can never both build on
// one head. The store then reads what the winner appended: if it is these
// very events (a concurrent retry), the append is a replay and reports
// where they are; otherwise an append expecting Any seals again onto the
// new head and retries, and one expecting a version fails with a
// [eventstore.ConflictError] whose Actual is the version just read (the v4
// client reports the current revision only inside its error text). Appends
// of one store to one stream also take an in-process lock, so that they
// queue instead of losing races at the server.
//
// # Idempotency, and ids across streams
//
// KurrentDB deduplicates event ids only with an exact expected revision
// (only the events right after it are compared; "any" is best effort, from
// a cache) and never across streams; it keeps no index of event ids. The
// port asks for more: an append of events already stored, identically and
// in order, anywhere in the stream, whatever it expects, reports the
// original result; an id stored with other content or in another stream
// is [eventstore.ErrDuplicateEventID]. So the store keeps its own index:
// for every event id a stream "$ll-eventid-" + Namespace + id (see
// [Config].IDIndexPrefix) holding one claim event, {"stream", "digest"},
// the digest being the event's ChainHash without predecessor, version or
// recording time. An append claims each id (in parallel, up to 16 at once)
// by appending the claim with expected revision no-stream, which
// KurrentDB lets exactly one writer do, with a random claim event id so
// that its own idempotency cannot pass a second claim for the first. A
// claim already there with another stream or digest is a duplicate; one
// with the same stream and digest (an earlier attempt of this append)
// sends the store looking for the events in the stream, backwards from
// the head: all found together and identical is a replay, some is a
// duplicate, none means that attempt never stored them. An append that
// its expectation refuses claims nothing: it only reads the claims, to
// tell a replay or a duplicate from a conflict.
//
// What that costs: one more append per event, and one more stream and
// event in the database per event, never to be scavenged. Against the
// test server on two shared cores, a one-event append took about 2.5
// times as long as the plain client's and a 100-event append about ten
// times (BenchmarkTestServer against BenchmarkTestServerRawClient); a
// real server adds disk writes to both sides. A claim is permanent: an id claimed
// by an append that then lost a race stays bound to that stream and
// content (the in-memory reference would let it go elsewhere). Claim
// streams are system streams, which readers that skip system streams
// skip; writing them needs the right to write system streams ($admins by
// default), or an IDIndexPrefix without "$".
//
// # Reading
//
// ReadStream reads the stream with the client's count reads. ReadAll
// pages through $all (the v4 client has no filter on reads of $all) and
// keeps what the store shows: not system streams or event types, not id
// claims, inside the namespace and [Config].StreamPrefixes, through the
// filter. KurrentDB shows readers of $all only committed events, in log
// order, so every page is a gap-free prefix. Head ([eventstore.HeadReader])
// reads $all backwards from its end to the last event the store shows.
// Subscribe is a catch-up
// subscription to $all with a server-side filter (the stream prefixes,
// else the event types, else the namespace, else every non-system
// stream), checked again here; KurrentDB itself goes over from history to
// live events. When the connection is lost the subscription is opened
// again after the last event received, after 50 ms doubling to 2 s, so
// that Next sees neither a gap nor a duplicate.
//
// # Errors
//
// Wrong expected version becomes a [eventstore.ConflictError]; resource
// not found (on a read), [eventstore.ErrStreamNotFound]; unavailable,
// deadline exceeded, not leader, a client that closed itself and an
// expired [Config].Timeout, [eventstore.ErrUnavailable] (retryable); the
// client's text stays in the message.
//
// # What is not here
//
// There is no [eventstore.BatchAppender]: the v4 client cannot append to
// several streams at once, so [eventstore.AppendBatch] falls back to one
// append per stream. What only a real server shows (its positions,
// idempotency cache, system events, filters, ACLs) is tested by
// TestConformanceOnRealServer when KURRENTDB_URL names one; the test
// server of this repository cannot vouch for it.
package kurrentdb
