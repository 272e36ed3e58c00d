// Package sql is the PostgreSQL adapter of the publish port, on
// Watermill's SQL pub/sub (watermill-sql v4 over pgx): each shard topic is
// a table "watermill_<topic>" in the database the publisher opens — the
// event store's own PostgreSQL, when no other is given — and each consumer
// group keeps its offset per topic in "watermill_offsets_<topic>".
//
// A publish is one multi-row INSERT per topic and batch, committed before
// Publish returns. Subscribers read in commit order, only below the
// oldest running transaction (pg_snapshot_xmin), so they never skip a row
// that commits late; they poll (every [PollInterval]). The SQL pub/sub
// does not deduplicate: a re-published event is a new row with the same
// event id.
package sql
