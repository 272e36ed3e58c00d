// Package domain holds what every aggregate of ledgerline shares: the
// [Event] interface, the [Catalogue] that names, versions, encodes and
// upcasts every event type, the [Recorded] view of a stored event that
// aggregates fold, and [ValidationError], the typed error every rule
// violation returns, with the helpers that build one ([Invalid],
// [Conflict], [NotFound], [AlreadyExists], [RequireText], [OneOf]…).
//
// The domain is pure: it imports no infrastructure, does no I/O and never
// reads the wall clock. Time comes in the command (the moment a fact
// happened) or in a recorded event.
//
// The aggregates live in sub-packages: customer (one stream per customer,
// the complete history an auditor replays), lead and campaign. Values they
// share have small packages of their own: money (integer minor units of an
// ISO 4217 currency), channel, consent, contact, country and date. Package
// catalogue assembles every aggregate's event specs into the one
// [Catalogue] the store and the readers use; docs/events.md documents it.
//
// A command's life: the command layer loads an aggregate's events, folds
// them into its state with Apply, calls the command's Decide with the
// command's time, and appends the events Decide returns — or maps the
// *ValidationError to a client error by its kind ([ErrInvalid],
// [ErrState], [ErrNotFound], [ErrAlreadyExists]).
package domain
