// Package postgres is the PostgreSQL read-model store: projection tables
// and checkpoints as plain, typed PostgreSQL tables that analysts query
// with psql or a BI tool. It implements [readmodel.Store] on pgx v5
// (pgxpool) and passes the conformance suite in readmodel/readmodeltest.
//
// # Usage
//
//	s, err := postgres.Open(ctx, "postgres://app@db/crm", postgres.Config{})
//	…
//	defer s.Close()
//
// # Schema
//
// The tables live in one PostgreSQL schema, [Config.Schema], default
// "readmodels", created by Open if missing (if it exists, Open does not
// need CREATE on the database). Every pooled connection starts with
// search_path set to that schema alone, so projectors' SQL names tables
// without a schema and one database can hold several sets of read models
// (tests use a schema per case). A dedicated schema rather than public:
// one GRANT USAGE ON SCHEMA readmodels plus GRANT SELECT ON ALL TABLES IN
// SCHEMA readmodels gives analysts everything and nothing else, the
// tables never mix with the event store's (schema "ledgerline") or an
// application's, and every BI tool lists schemas. Analysts who want the
// bare names set search_path (docs/readmodels.md).
//
// Open creates the checkpoint table:
//
//	projection_checkpoints(projection text PRIMARY KEY,
//	                       position bigint NOT NULL,
//	                       recorded_at timestamptz)   NULL before the first event
//
// Migrate runs a projector's statements in one transaction (PostgreSQL's
// DDL is transactional, so a failing statement leaves none applied) after
// pg_advisory_xact_lock on the schema's name, so that two processes
// starting at once do not race to create the same table.
//
// # Apply
//
// Apply runs in one READ COMMITTED transaction: it locks the projection's
// checkpoint row (SELECT … FOR UPDATE, after INSERT … ON CONFLICT DO
// NOTHING when the row is missing), compares it with from, runs the
// projector, updates the checkpoint and commits. Two runners of one
// projection therefore serialise on the row: the second waits for the
// first to end, then reads the moved checkpoint and fails with
// [readmodel.ErrCheckpointMoved] without running its projector. Two
// runners inserting the first row at once serialise on the primary key the
// same way. A panic in the projector rolls back and propagates.
//
// # Statements and values
//
// The [readmodel.Tx] is a thin wrapper of pgx.Tx. pgx's default exec mode,
// QueryExecModeCacheStatement, prepares each distinct statement once per
// connection and caches it (512 by default), so the port's "prepare once
// per query text" holds across transactions too. $n placeholders are
// PostgreSQL's own. pgx sends a Go string parameter in text format
// whatever the column's type, so [readmodel.Timestamp] text goes into
// timestamptz columns and UUID text into uuid columns unchanged; the
// server parses both. A parameter whose type the server cannot infer
// from the statement (SELECT $1) is text.
//
// Rows follow database/sql: pgx fills sql.Scanner destinations
// ([readmodel.Time], sql.NullString, sql.NullInt64, …) with database/sql
// values and NULL as nil; a *any destination gets the value a database/sql
// driver would give (int64, string, bool, time.Time, []byte, and a UUID as
// its text, not pgx's [16]byte). A transaction has one connection: close
// a Rows before the next statement.
//
// # Errors
//
// A refused or lost connection wraps eventstore.ErrUnavailable; context
// errors stay wrapped; anything else carries the server's message and
// SQLSTATE as text only, so callers never depend on pgx types. None is
// marked permanent: the projections runtime retries, then reads the batch
// again from its checkpoint, and pgxpool replaces dead connections (it
// pings one idle for over a second before handing it out).
//
// # Bulk loading
//
// The Tx is a [readmodel.Copier]: CopyFrom sends COPY … FROM STDIN in
// binary format on the transaction, so the server stores each value
// without parsing it: time.Time goes into timestamptz as microseconds (the
// zero time as NULL) and uuid.UUID into uuid as its 16 bytes. Text format
// took 4.7 s per million timeline rows against 1.7 s binary, the
// difference being the server parsing timestamps and UUIDs. CopyFrom reads
// the columns' types (one query per call), encodes the pairs of value and
// type the read models use itself — ints, text, uuids, instants, floats,
// booleans, dates given as YYYY-MM-DD — and leaves any other batch to
// pgx's general encoding, which looks a plan up for every value.
// CopyColumns ([readmodel.ColumnCopier]) encodes the same way straight
// from the typed slices of [readmodel.Of] columns.
//
// # Shadows
//
// The store has shadows ([readmodel.Shadower]) for rebuilds: the schema
// <schema>_shadow_<name> in the same database, reached through a pool of
// its own whose search_path is that schema alone, so a projector's plain
// table names resolve there. A session advisory lock held on a dedicated
// connection makes the name exclusive across processes (and is how
// Shadows tells a running rebuild from one that died). Swap moves tables
// rather than copying rows: in one transaction, under the migration lock
// and the projection's checkpoint row lock, it drops each live table,
// ALTER TABLE … SET SCHEMA moves the shadow's in with its indexes,
// constraints and owned sequences, and grants that others held on the old
// table are given again (the live schema's default privileges apply only
// to tables created there). A view or foreign key on a live table makes
// the swap fail and change nothing.
package postgres
