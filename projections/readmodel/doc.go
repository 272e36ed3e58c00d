// Package readmodel defines the read-model store port: where projectors
// keep their tables and their checkpoints. Read models are plain, typed SQL
// tables that analysts query directly; the embedded backend keeps them in
// the same SQLite file as the events, the PostgreSQL backend in PostgreSQL.
//
// The one guarantee that makes projections effectively-once is [Store.Apply]:
// a projector's rows and its checkpoint commit in the same transaction, and
// the transaction refuses to run unless the stored checkpoint is where the
// caller says it is. A crash at any point leaves both old or both new, so a
// restart neither loses nor double-counts an event.
//
// Two optional capabilities serve rebuilds: a [Shadower] store builds a
// projection's tables in a shadow that readers never see and swaps them
// in atomically with the checkpoint; a [Copier] transaction bulk-loads
// rows, and a [ColumnCopier] rows held column by column in typed slices
// ([Of]), which a rebuild's folds build without boxing each value.
//
// Queries use PostgreSQL-style numbered placeholders ($1, $2, …), which
// both SQLite (modernc) and PostgreSQL bind by number; DDL differs by
// [Dialect].
package readmodel
