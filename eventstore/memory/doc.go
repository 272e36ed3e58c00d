// Package memory is the in-memory reference implementation of the
// [eventstore.Store] port: the simplest code that keeps every guarantee of
// the contract, used to prove the conformance suite itself and as a fast
// store in tests. It keeps nothing across restarts.
package memory
