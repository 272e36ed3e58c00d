// Package storetest is the conformance suite of the [eventstore.Store]
// port: one set of cases that every adapter (embedded, PostgreSQL,
// KurrentDB, the in-memory reference) and every wrapper of a store must
// pass, so that commands, projectors and services can rely on the
// contract without knowing which backend runs underneath.
//
// # Usage
//
// An adapter's test calls [Run] with a [Factory] that builds a fresh,
// empty store isolated from every other (a new file, a randomly named
// schema or database) and registers its cleanup, and calls [Bench] from a
// benchmark:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) eventstore.Store {
//			s, err := embedded.Open(t.Context(), filepath.Join(t.TempDir(), "events.db"), embedded.Config{})
//			require.NoError(t, err)
//			t.Cleanup(func() { _ = s.Close() })
//			return s
//		})
//	}
//
//	func BenchmarkStore(b *testing.B) {
//		storetest.Bench(b, func(b *testing.B) eventstore.Store { ... })
//	}
//
// # What it proves
//
// Every guarantee is an independent subtest named "Group/Case" (for
// example "Append/NoStreamOnExistingStreamConflicts") that calls the
// factory itself, so one case can be run alone with -run, and after each
// case the suite runs [eventstore.Verify] and requires every hash chain
// to hold. The groups:
//
//   - Append: expected versions (Any, NoStream, Exact) and the results;
//     conflicts match [eventstore.ErrWrongExpectedVersion], carry a
//     [eventstore.ConflictError] with stream, expected and actual version,
//     and store nothing.
//   - Atomicity: one invalid event keeps its whole append out, with
//     [eventstore.ErrInvalidEvent].
//   - Idempotency: a replay of stored events succeeds with the original
//     result whatever it expects, stores nothing, and reused ids with
//     other content fail with [eventstore.ErrDuplicateEventID].
//   - RoundTrip: every field comes back as appended (times normalised by
//     [eventstore.Micro]); hashes chain by [eventstore.ChainHash].
//   - ReadStream and ReadAll: directions, bounds, limits, filters, commit
//     order, strictly increasing (not necessarily dense) positions.
//   - Concurrency: racing appenders, one winner per version, no gap.
//   - Subscription: history then live, exactly once and in order under
//     concurrent writers, filters, batch caps, context and Close.
//   - BatchAppender and HeadReader: the optional capabilities, when a
//     store has them.
//   - Close: ErrClosed after Close; Close is idempotent.
//
// # No opt-outs
//
// The suite has no feature flags, and none may be added to skip a
// guarantee of the contract: a backend that cannot keep one does not
// implement the port. The only cases a store may lack are those of an
// optional capability ([eventstore.BatchAppender], [eventstore.HeadReader]),
// skipped with a message when the store does not implement it; when it
// does, they must pass. Should backends ever differ honestly (say, in what a position
// looks like), a flag may describe that difference, never waive a case.
//
// # Timing
//
// The suite keeps each case small: concurrency is synchronised with
// channels and wait groups, and a timeout on each operation (and on each
// wait for a subscription's next batch) only turns a hang into a failure,
// so a slow store that keeps making progress passes. ReadAll returns a
// gap-free prefix that may trail appends that have returned (PostgreSQL's
// trails any transaction in flight in the cluster); a case that needs the
// whole log first waits, on a subscription, until the log shows what it
// appended. ReadStream is expected to show an append as soon as it
// returns. The suite runs in a few seconds on the in-memory store under
// -race.
package storetest
