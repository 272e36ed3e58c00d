// Package embedded is the default, zero-setup backend of the
// [eventstore.Store] port: the event log in one local SQLite file, through
// modernc.org/sqlite (pure Go, no cgo). It also implements
// [eventstore.BatchAppender], so a bulk import commits thousands of events
// over many streams in one transaction.
//
// # Guarantees
//
//   - Durability: the file is in WAL mode with synchronous=FULL, so an
//     append has reached the disk (fsync of the log) when it returns.
//   - Single writer: every write of this process goes through one
//     connection in an immediate transaction (BEGIN IMMEDIATE takes the
//     file's write lock at once). Writers in other pools or processes on
//     the same file (read-model projectors, a second ledgerline) queue on
//     that lock for up to Config.BusyTimeout instead of failing; past it a
//     write fails with [eventstore.ErrUnavailable].
//   - Gap-free log: positions are taken inside the write lock after the
//     last committed one, so they are assigned in commit order and a reader
//     never sees a later position before an earlier one. ReadAll and the
//     catch-up subscription need no further bookkeeping.
//   - The port's append semantics: expected-version checks against the
//     streams table, idempotent replays recognised by event id, and a
//     SHA-256 chain per stream ([eventstore.Seal]) that [eventstore.Verify]
//     recomputes from the file.
//
// # File layout
//
// The schema is versioned in eventstore_migrations (version, name,
// applied_at) and migrated by [Open] in an immediate transaction, so two
// processes opening a new file at once are safe. Tables:
//
//   - events: position INTEGER PRIMARY KEY (the rowid, the global log
//     order), stream, version, id (16-byte BLOB, UNIQUE), type,
//     schema_version, data (the JSON payload as stored, BLOB), occurred_at
//     and recorded_at (INTEGER, Unix microseconds), actor, command_id,
//     correlation_id, causation_id (16-byte BLOB, NULL for the nil id) and
//     hash; UNIQUE(stream, version).
//   - streams: stream PRIMARY KEY, version and hash of the stream's last
//     event, the head read by the version check and the hash chain.
//
// Read-model tables of other packages may live in the same file. In the
// store's process they share its pools ([Store.Pools]); a pool of its own,
// or one in another process, must be opened with [DSN] (or the same
// pragmas and _txlock).
//
// # Usage
//
//	path, err := embedded.DefaultPath() // ~/.local/share/ledgerline/ledgerline.db
//	...
//	store, err := embedded.Open(ctx, path, embedded.Config{})
//	...
//	defer store.Close()
//	res, err := store.Append(ctx, "customer-42", eventstore.NoStream, events)
//
// # Caveats
//
//   - Appends of this process wake its subscriptions at once; events
//     appended by another process are seen within Config.PollInterval.
//   - Throughput is bounded by fsync: about 3,000 single-event commits per
//     second on the reference machine; batch events (one Append per
//     command, AppendBatch for imports) for more.
//   - Tamper evidence covers each stream's chain, not the file as a whole:
//     someone who rewrites a whole chain, or removes a stream's last
//     events, is caught only by the audit toolkit's global log.
//   - Close checkpoints the write-ahead log into the file, so that after
//     Close the .db file alone holds everything. A store that was not
//     closed leaves a -wal file that SQLite replays on the next open:
//     copy the three files together, or none.
package embedded
