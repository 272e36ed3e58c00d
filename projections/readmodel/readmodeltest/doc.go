// Package readmodeltest is the conformance suite of the read-model store
// port, [readmodel.Store]. Every adapter's tests run it:
//
//	func TestConformance(t *testing.T) {
//		readmodeltest.Run(t, func(t *testing.T) readmodel.Store {
//			s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "rm.db"))
//			require.NoError(t, err)
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// Each guarantee is a named subtest ("Group/Case") on a fresh store, with
// tables created through [readmodel.TypesOf] so that one DDL serves every
// dialect:
//
//   - Migrate: idempotent DDL; a failing statement leaves none of the
//     batch applied (both dialects have transactional DDL).
//   - Checkpoint: an unknown projection is at zero; Apply commits rows and
//     checkpoint together (Position, and RecordedAt to the microsecond, in
//     UTC); a wrong from fails with [readmodel.ErrCheckpointMoved] and runs
//     nothing; projections are independent.
//   - Rollback: an error from fn comes back (errors.Is holds) and leaves
//     neither rows nor checkpoint; a panic in fn rolls back too and
//     propagates to Apply's caller with its own value, and the store stays
//     usable afterwards. The contract is "roll back, then re-panic", as
//     pgx.BeginFunc and a deferred Rollback do: a panic is a bug, and
//     turning it into an error is the caller's decision (the projections
//     runtime's Recoverer middleware does so).
//   - Concurrency: many goroutines apply the same projection from the same
//     checkpoint; exactly one wins, the others get ErrCheckpointMoved, and
//     the rows are applied once.
//   - Values: $n placeholders, NULLs, int64 extremes, text, booleans,
//     UUIDs and [readmodel.Timestamp] values read back with
//     [readmodel.Time]; a 64-row INSERT with 896 parameters (the timeline's
//     batch statement); a transaction reads its own writes; Query outside a
//     transaction sees committed rows only.
//   - Shadow (stores with [readmodel.Shadower]): a shadow starts empty and
//     apart from the live tables; Apply on it rolls back on an error or a
//     panic; Swap installs its tables, indexes and checkpoint and runs fn
//     in one transaction, creates a table the live store lacks, changes
//     nothing at a wrong checkpoint or when fn fails; concurrent readers
//     see the old rows or the new, never a mix; a held name is busy for
//     others; Close drops the shadow.
//   - Copier (stores whose Tx is a [readmodel.Copier]): rows copied with
//     native values (time.Time in other zones and with nanoseconds,
//     uuid.UUID, int, int32, int16, float64, []byte, bool, NULLs, text
//     with tabs, newlines and backslashes) store exactly what Exec stores
//     for the same rows: they read back alike, scan alike into any, and
//     compare and sort alike in SQL; 1,000 rows in one call (more than
//     one INSERT of a batching store) arrive each once; a duplicate key
//     or a short row fails the transaction.
//   - Close: idempotent.
//
// Each case bounds its calls with a deadline, so a store that deadlocks
// (say, on a transaction leaked by a panic) fails instead of hanging.
package readmodeltest
