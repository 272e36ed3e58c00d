// Package postgres is the PostgreSQL backend of the [eventstore.Store]
// port, on pgx v5 (pgxpool). It implements [eventstore.Store] and
// [eventstore.BatchAppender] and passes the conformance suite in
// eventstore/storetest.
//
// # Usage
//
//	s, err := postgres.Open(ctx, "postgres://app@db/crm", postgres.Config{})
//	…
//	defer s.Close()
//
// Open creates [Config.Schema] (default "ledgerline") and migrates it.
//
// # Schema
//
// Migrations are versioned in <schema>.schema_migrations and applied in
// one transaction that first takes pg_advisory_xact_lock on the schema's
// name, so that running them twice, or from two processes at once, is
// safe. The log is one table, <schema>.events:
//
//	position       bigint PRIMARY KEY    tx << 16 + ordinal (see below)
//	tx             xid8 NOT NULL DEFAULT pg_current_xact_id()
//	stream, version                      UNIQUE (stream, version)
//	id             uuid                  UNIQUE
//	type, schema_version
//	data           bytea                 the payload exactly as appended
//	occurred_at, recorded_at timestamptz
//	actor, command_id, correlation_id, causation_id
//	hash           bytea                 eventstore.ChainHash
//
// The payload is bytea, not jsonb (which rewrites the document) nor json
// (which stores text converted to the database encoding): the hash chain
// covers the payload bytes as appended, and bytea is the only column type
// that returns them unchanged. Ad-hoc SQL can still query it with
// convert_from(data, 'UTF8')::jsonb.
//
// There is no table of stream heads. An append reads the last version and
// hash of its streams, then inserts; UNIQUE (stream, version) makes the
// loser of a race fail instead of forking the chain, and the last row of a
// stream never changes, so its hash is safe to chain to without a lock.
// A heads table whose row is locked FOR UPDATE costs an update and a row
// lock per append and was slower: BenchmarkHeadsTable16, bare SQL with the
// same two round trips, reached about 0.75 of BenchmarkAppendConcurrent16's
// events/s on the development machine.
//
// # Append
//
// Append and AppendBatch store a command's events with one statement,
// which runs as its own transaction: INSERT … VALUES for up to four
// events, INSERT … SELECT FROM unnest(…) for more. Before it, they read
// the heads of their streams, unless the store remembers them: each store
// keeps the heads of the streams it recently appended to or read to the
// end, and an append whose expected version matches a remembered head, or
// that expects a new stream, goes straight to its insert. A stale head
// only makes the insert collide with the event already stored at that
// version.
//
// A unique violation or a failed expected-version check leads to a
// look-up of the event ids: a request already stored identically is a
// replay and reports where its events are; an id stored otherwise fails
// with [eventstore.ErrDuplicateEventID]; otherwise a failed check is an
// *[eventstore.ConflictError], and a lost race is tried again after
// reading the heads under a transaction-scoped advisory lock per stream,
// so that appenders contending for one stream with [eventstore.Any] take
// turns instead of starving. One transaction stores at most
// [MaxEventsPerTx] events.
//
// # A gap-free feed
//
// A sequence (bigserial, identity) hands out positions when rows are
// inserted, but rows become visible when their transactions commit, so a
// reader can see position 102 before 101 commits and, resuming after 102,
// skip 101 forever. Guarding the read with the oldest in-flight
// transaction id, tx < pg_snapshot_xmin(pg_current_snapshot()), is not
// enough while positions come from a sequence: a transaction takes its xid
// and its sequence value at different moments, so transaction A can hold
// xid 100 and position 6 while B holds xid 101 and position 5. If A
// commits while B is in flight, the guard (xmin = 101) lets position 6
// through and holds 5 back: a gap. TestSequencePositionsSkip shows it.
//
// So positions are derived from the transaction id instead: an event's
// position is its transaction's xid8 shifted left by 16 bits plus its
// ordinal within the transaction (a CHECK constraint enforces it), and
// ReadAll returns only positions below the horizon xmin << 16, where xmin
// is pg_snapshot_xmin of the reading statement's own snapshot. Every
// transaction id below xmin belongs to a transaction that has ended, and
// any transaction that has not yet committed — in flight now or started
// later — has an id of at least xmin, so all its positions lie at or
// above the horizon. The rows below the horizon are therefore final:
// committed ones are all visible to the reading snapshot and no commit
// can ever add one, so ordering them by position yields a prefix of the
// log that no later read contradicts. Within a stream, positions follow
// versions, because an append reads its heads before its INSERT assigns
// the transaction id, so every event it chains to has a smaller one.
// Positions are sparse, and increase in transaction-id order rather than
// strictly in commit order; an append that starts after another returned
// always gets higher positions.
//
// The price is the one the technique always has: any transaction holding
// a transaction id, anywhere in the cluster, holds back the feed until it
// ends. Keep transactions short. So that a read of the log shows what was
// appended before it, ReadAll that finds committed events held back waits
// for the horizon to pass them, up to [Config.HoldBackWait] (500 ms by
// default), before it returns the prefix it has; events committed after
// it began never make it wait.
//
// # Notifications
//
// After a commit, an append wakes the store's own subscriptions
// ([eventstore.NewCatchUp] over ReadAll) and pokes a notifier, which sends
// NOTIFY ledgerline_events with the schema as payload for other
// processes, at most one per 5 ms however many appends commit. It is not
// sent inside the append's transaction: PostgreSQL takes a global lock at
// the commit of every transaction that issued NOTIFY and holds it through
// the WAL flush, so commits stop sharing flushes (on the development
// machine, 16 writers: BenchmarkBaselineInsert16 about 12,000 events/s,
// BenchmarkBaselineInsertNotify16 about 1,100; pgbench agrees). A crash between
// commit and NOTIFY only delays other processes' subscribers until their
// next poll ([Config.PollInterval]).
//
// Each store holds one listener connection that wakes its subscriptions
// when a notification for its schema arrives, and whenever it
// (re)connects. When committed events are held back behind an in-flight
// transaction for longer than a read waits, the listener polls the horizon
// (20 ms after a notification, backing off to 100 ms) and wakes the
// subscriptions when it moves, so a subscriber sees the events soon after
// the blocking transaction ends even when that transaction sends no
// notification. A lost listener connection is redialled, backing off from
// 50 ms to 2 s.
//
// # Errors and retries
//
// A refused or lost connection maps to [eventstore.ErrUnavailable]; the
// driver's text goes into the message only. Context errors stay wrapped.
// Every call is tried up to three times (50 ms, then 100 ms apart) when
// the server is unavailable, and the pool's connections are dropped before
// each retry, since a lost connection usually means a restarted server
// and a pool of dead ones. Reads are safe to repeat, and so are appends,
// which are idempotent by event id even when a commit's outcome was lost
// with the connection. An append that loses a race for a stream version
// is tried again under the streams' locks, up to 32 times; with an exact
// expected version, that try reports the conflict.
package postgres
