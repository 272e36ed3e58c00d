// Package domain holds what every aggregate of ledgerline shares: the
// [Event] interface, the [Catalogue] that names, versions, encodes and
// upcasts every event type, the [Recorded] view of a stored event that
// aggregates fold, and [ValidationError], the typed error every rule
// violation returns.
//
// The domain is pure: it imports no infrastructure, does no I/O and never
// reads the wall clock. Time comes in the command (the moment a fact
// happened) or in a recorded event.
//
// The aggregates live in sub-packages: [customer] (one stream per customer,
// the complete history an auditor replays) and [lead].
package domain
