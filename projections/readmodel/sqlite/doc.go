// Package sqlite is the embedded read-model store: projection tables and
// checkpoints in the same SQLite file as the embedded event store (opened
// through its own connection pool), written in immediate transactions that
// queue behind the event store's writer on SQLite's busy timeout.
//
// A projector's rows and its checkpoint commit in one transaction with
// synchronous=FULL, so a crash at any point leaves both old or both new.
//
// # Bulk loading
//
// The Tx is a [readmodel.Copier] although SQLite has no COPY: CopyFrom
// writes INSERTs of 64 rows (fewer for tables too wide for SQLite's
// 32,766 parameters), prepared once per transaction, and one for the
// remainder. It stores what Exec would for the same row: time.Time as
// [readmodel.TimeLayout] text in UTC, uuid.UUID as its canonical text, a
// bool as 1 or 0, so copied and inserted rows compare and sort alike.
//
// # Shadows
//
// The store has shadows ([readmodel.Shadower]) for rebuilds: a shadow is
// a scratch file next to the live one (ledgerline.db-shadow-<name>),
// opened with synchronous=OFF, an in-memory rollback journal, a page
// cache of up to 256 MiB and exclusive locking: the model is built, in
// effect, in memory, and the file only holds what outgrows the cache. It
// is scratch: a crash loses nothing the log cannot rebuild, and the next
// shadow of that name deletes it. The exclusive lock is how another
// process sees the name busy.
//
// SQLite cannot move a table between files, so Swap copies: on the live
// writer it attaches the shadow file and, in one transaction, drops each
// live table, recreates it (and its indexes) from the shadow's own DDL,
// and copies the rows with INSERT … SELECT * (SQLite's transfer
// optimisation copies the records without decoding them), then installs
// the checkpoint. WAL readers see the old tables until the commit. The
// copy costs about as much as writing the model's pages once more, and
// holds the writer, which the event store shares: appends wait for it.
// Building directly in the live file under other table names would avoid
// the copy, but the projector writes plain table names, and rewriting
// its SQL is not worth the risk.
package sqlite
