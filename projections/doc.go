// Package projections runs the projectors that build ledgerline's read
// models from the event log.
//
// A [Runtime] drives one Watermill router. Each [Projector] gets its own
// handler, fed by a [feed.Subscriber] that starts at the projector's
// checkpoint and delivers batches of the global log in order. The handler
// decodes the batch through the domain catalogue and applies it in one
// read-model transaction that also moves the checkpoint (see
// [readmodel.Store.Apply]), so a crash at any point neither loses nor
// double-counts an event.
//
// Middleware, outermost first: Recoverer (a panic becomes an error),
// CorrelationID, PoisonQueue for errors marked [ErrPermanent] (the batch is
// recorded in the projection_poison table and skipped, visible in status),
// and Retry with exponential backoff for everything else; an error that
// outlives the retries nacks the batch, which is read again from the
// checkpoint.
//
// Projectors never read the wall clock: time comes from the events.
package projections
