// Package demo generates a realistic CRM population through the real
// command layer: customers (persons and companies) with a year of
// purchases, invoices, payments and reminders, interactions on every
// channel, ratings, surveys, complaints and support cases, discounts,
// promotions and rewards, departures, win-backs and reactivations, a merge
// of duplicates, a forgotten customer, leads and campaigns. Every event
// type of the catalogue appears at least once.
//
// # How it works
//
// [Generate] runs a discrete-event simulation over [Config.Days] days from
// [Config.Start]. Each customer follows a story drawn for its [Persona]
// (loyal, declining, churned, new, unprofitable), so the value and churn
// read models have something to find: steady buyers, falling spend,
// silence after a complaint, orders sold below cost. The first customers
// (D0001…) play fixed roles — a key account contacted on every channel, a
// late payer, a duplicate merged, a customer forgotten — which is what
// makes every event type appear in any population of at least
// [MinCustomers].
//
// Every change goes through commands.Execute with the domain's commands;
// the generator never writes an event itself, and a command a rule refuses
// is a bug in the generator, returned as the error. The generator keeps a
// copy of each aggregate's state (folding the events the command layer
// appended) to plan what comes next: which invoice is overdue, which
// campaign reached whom.
//
// # Determinism
//
// The population is a function of the [Config]: randomness comes from
// math/rand/v2 PCG sources seeded from [Config.Seed], ids are UUID v5 over
// [Namespace], the whole Config and counters, and times advance from
// [Config.Start] by simulated days; the wall clock is never read. Two runs
// with the same Config append byte-identical events (the store's
// recorded_at aside), and running it again on the same store appends
// nothing: every command id is already there, so the command layer replays
// the original results. Populations of different Configs share no id; a
// stream that holds another population's events fails with
// [ErrOtherPopulation].
//
// Customers carry SourceSystem "demo" and SourceID "D0001", "D0002"… so
// that `ledgerline history D0001` finds them.
package demo
