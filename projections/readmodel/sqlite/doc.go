// Package sqlite is the embedded read-model store: projection tables and
// checkpoints in the same SQLite file as the embedded event store (opened
// through its own connection pool), written in immediate transactions that
// queue behind the event store's writer on SQLite's busy timeout.
//
// A projector's rows and its checkpoint commit in one transaction with
// synchronous=FULL, so a crash at any point leaves both old or both new.
package sqlite
