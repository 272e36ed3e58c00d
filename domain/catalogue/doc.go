// Package catalogue assembles ledgerline's complete event catalogue: every
// event type of every aggregate (customer, lead, campaign), with its
// schema version and upcasters. The command layer encodes with it, and
// readers decode and upcast with it. docs/events.md documents each type,
// and a test checks that none is missing there.
package catalogue
