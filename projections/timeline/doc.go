// Package timeline is the contact-history read model: every event of every
// customer as one row of a timeline, filterable by channel, type and time,
// and a customer directory (source ids, names, registration) to find a
// customer by the id another system knows it by.
//
// The timeline is bitemporal: occurred_at is when a fact happened (an
// imported 1997 purchase) and recorded_at when ledgerline learned it, so a
// query can ask for the history as of a business date (--as-of) or as it
// was known at a moment (--known-at).
//
// Tables (both dialects; see docs/readmodels.md):
//
//	timeline(position PK, event_id, stream, customer_id, version, type,
//	         channel, direction, summary, amount_minor, currency, actor,
//	         occurred_at, recorded_at)
//	customers(customer_id PK, kind, display_name, source, source_id,
//	          sample_index, registered_at, events, last_event_at, forgotten)
package timeline
