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
// A heads table locked FOR UPDATE costs an extra update per append (see
// BenchmarkHeadsTable16 against BenchmarkAppendConcurrent16).
//
// # Append
//
// Append and AppendBatch store a command's events with one INSERT … SELECT
// FROM unnest(…) statement: one round trip to read the heads, one for the
// insert, which runs as its own transaction. A unique violation or a
// failed expected-version check leads to a look-up of the event ids: a
// request already stored identically is a replay and reports where its
// events are; an id stored otherwise fails with
// [eventstore.ErrDuplicateEventID]; otherwise the append fails with an
// *[eventstore.ConflictError], or, with [eventstore.Any], is tried again.
// One transaction stores at most [MaxEventsPerTx] events.
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
// ends. Keep transactions short.
//
// # Notifications
//
// After a commit, a per-store notifier sends NOTIFY ledgerline_events with
// the schema as payload, one per burst of commits. It is not sent inside
// the append's transaction: PostgreSQL takes a global lock at the commit
// of every transaction that issued NOTIFY and holds it through the WAL
// flush, so commits stop sharing flushes (pgbench, 16 clients, on the
// development machine: about 9k commits/s without NOTIFY, 2–3k with it;
// BenchmarkBaselineInsertNotify16 measures the same). A crash between
// commit and NOTIFY only delays other processes' subscribers until their
// next poll ([Config.PollInterval]).
//
// Each store holds one listener connection that wakes its subscriptions
// ([eventstore.NewCatchUp]) when a notification for its schema arrives.
// When committed events are held back behind an in-flight transaction, the
// listener polls the horizon (5 ms, backing off to 100 ms) and wakes the
// subscriptions when it moves, so a subscriber sees the events soon after
// the blocking transaction ends even when that transaction sends no
// notification. A lost listener connection is redialled, backing off from
// 50 ms to 2 s, and every reconnection wakes the subscriptions.
//
// # Errors and retries
//
// A refused or lost connection maps to [eventstore.ErrUnavailable]; the
// driver's text goes into the message only. Context errors stay wrapped.
// Every call is tried up to three times (50 ms, then 100 ms apart) when
// the server is unavailable, and the pool's connections are dropped
// before each retry, since a lost connection usually means a restarted
// server and a pool of dead ones. Reads are safe to repeat, and so are appends,
// which are idempotent by event id even when a commit's outcome was lost
// with the connection. An append that loses a race for a stream version
// is tried again at once (up to 32 times) with [eventstore.Any], and
// fails with the conflict otherwise.
package postgres
