// Package commands executes domain commands against the event store: the
// load–decide–append loop.
//
// [Execute] reads the aggregate's stream, folds it into state, asks the
// command to decide, and appends the resulting events expecting the version
// it loaded. If another writer got there first (eventstore.ErrWrongExpectedVersion)
// it reloads and decides again, up to [Handler]'s retry bound.
//
// Every command travels in an [Envelope] (command id, actor, correlation
// and causation ids, time). Event ids are derived from the command id, and
// a command whose id is already in the stream returns the original result:
// a retried request never appends twice.
package commands
