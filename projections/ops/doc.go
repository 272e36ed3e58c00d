// Package ops runs the operations on projections that operators need:
// status, rebuild and verify. The CLI's `ledgerline projections` commands
// are thin wrappers of an [Operator].
//
// # Status
//
// [Operator.Status] reports per projection its checkpoint, the lag behind
// the log's head in events and in seconds (recorded_at of the head against
// that of the checkpoint's event), the batches it skipped (the runtime's
// projection_poison table) with the latest reason, and a rebuild in
// progress. The head is found without scanning the log ([Head]).
//
// # Rebuild
//
// [Operator.Rebuild] recomputes a projection from position 0 without
// showing readers a half-built model. It needs a read-model store with
// shadows ([readmodel.Shadower]): the projector's own DDL and Project run
// unchanged against a shadow, whose plain table names resolve to scratch
// tables (a PostgreSQL schema of its own, a SQLite scratch file without
// durability). The bulk pass bypasses Watermill: one goroutine reads the
// log in batches of [Config.Batch] events while the projector applies the
// previous batch in one shadow transaction, the same code path as the
// runtime's handler with bigger transactions. The pass reads on until the
// log has nothing more, then the shadow is swapped in: live tables, the
// live checkpoint (the rebuild's own) and the projection's poison rows
// change in one transaction. An event appended after the last read is
// therefore applied by the live runtime afterwards; none is lost or
// applied twice.
//
// A projector that is a [projections.Rebuilder] is built through its fold
// instead of Project during the bulk pass: rows that no later event
// changes (one per event) are copied in bulk a batch at a time, rows that
// later events keep changing (a directory's counters) are folded in memory
// and written once when the pass ends, and the CREATE INDEX statements of
// its schema run after the load. The fold works on a batch in a goroutine
// of its own while the rows of the batch before are being copied. This is
// what makes a rebuild cost about what writing its rows costs;
// `projections verify` checks the fold's model against the live one,
// which Project built.
//
// A batch the projector refuses with [projections.ErrPermanent] is applied
// again one event per transaction; the events it still refuses are skipped
// and become the projection's projection_poison rows (the live runtime
// skips whole batches, the rebuild single events). A fold skips the
// events it refuses in the same way. Other errors are retried a few
// times (a fold does no I/O, so its copies can be), then end the rebuild,
// which drops its shadow.
//
// # Verify
//
// [Operator.Verify] rebuilds into a scratch shadow up to the live
// checkpoint and compares each table with the live one in one ordered
// pass: row counts, an order-independent checksum per side (the sum of
// 64-bit hashes of each row's canonical encoding, computed in Go on both
// sides of one store, so like is compared with like), and the first row
// that differs in primary-key order. It never writes to the live model.
//
// # A new projection
//
// A projection added later needs no operation: the runtime starts a
// projector without a checkpoint at position 0, so it back-fills over all
// history in its own handler while the others go on from theirs.
package ops
