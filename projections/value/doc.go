// Package value is the customer-value read model: what each customer has
// brought in, how they compare, and what they are expected to bring, as of
// a time passed in.
//
// # Two layers
//
// The [Projector] ("value") keeps facts, append-only rows keyed by event
// id, so that applying an event again changes nothing and a rebuild gives
// the same rows:
//
//	value_customers(customer_id PK, source, source_id, registered_at,
//	                merged_into, forgotten_at)
//	value_purchases(event_id PK, customer_id, purchase_id, occurred_at,
//	                currency, gross_minor, discount_minor, total_minor,
//	                cost_minor NULL unless every line's cost is known,
//	                discount_id)
//	value_refunds(event_id PK, customer_id, purchase_id, occurred_at,
//	              currency, amount_minor)
//
// [Evaluate] reads the facts that had happened by an as-of time and
// computes the model; it never reads the clock, so the same facts and the
// same as-of always give the same rows. [Materialize] stores an evaluation
// in customer_value and value_models (see [Schema]), replacing the rows of
// that as_of in one transaction, for analysts to query with SQL.
//
// # Figures, per customer and currency
//
// Money stays in minor units of one currency; a customer who bought in two
// currencies has two rows, and ranks, scores and models are computed
// within each currency.
//
//   - gross: the sum of the purchase lines; discount: what purchases took
//     off; refunded: the refunds recorded by the as-of on purchases made by
//     then (a refund counts only with its purchase); net = gross −
//     discount − refunded.
//   - cost: the lines' unit costs; profit = net − cost, NULL when any
//     purchase's cost is unknown; unprofitable when profit < 0. A refund
//     lowers revenue but not cost (the goods are not assumed back).
//   - orders, the average order value (mean order total after discounts,
//     before refunds, rounded half away from zero), first and last
//     purchase.
//   - rank by net revenue, 1 the highest, equal revenues sharing a rank
//     (1, 2, 2, 4); percentile: the share of the currency's other
//     customers with a lower net revenue (0 to 100).
//
// # RFM scores and segments
//
// R scores recency (calendar days, UTC, from the last purchase to the
// as-of date; fewer is better), F the number of orders, M net revenue.
// Each is a quintile score from 1 to 5 over the currency's customers:
// 1 + ⌊5·b/n⌋, where b is how many of the n customers have a strictly
// worse value ([Quintiles]). Equal values always get equal scores, so ties
// are never split by order or by chance; the price is that with heavy
// ties some scores stay unused (on CDNOW most customers bought once and
// share F = 1).
//
// The segment comes from R and FM, the mean of F and M rounded half up
// ([SegmentOf]):
//
//	         FM=1            FM=2               FM=3               FM=4       FM=5
//	R=5      New             Potential loyalist Potential loyalist Champions  Champions
//	R=4      Promising       Potential loyalist Potential loyalist Loyal      Loyal
//	R=3      About to sleep  About to sleep     Need attention     Loyal      Loyal
//	R=2      Hibernating     Hibernating        At risk            At risk    Can't lose
//	R=1      Lost            Hibernating        At risk            At risk    Can't lose
//
// # Predictions
//
// Each customer's purchases, net of their refunds, are summarised with
// clv.Summarize as of the as-of date (x: repeat purchase days, t_x and T in
// weeks; days are UTC calendar days). BG/NBD and Gamma-Gamma are fitted
// over every customer of the currency as of that date; the rows carry
// expected transactions over the horizon (default 52 weeks), P(alive) and
// the predicted value (expected transactions × conditional spend, minor
// units, undiscounted). A fit that fails on the data (too few customers,
// nobody bought twice) leaves those columns NULL and says why in
// value_models; BG/NBD's P(alive) is 1 for every one-time buyer by
// construction, which the churn read model does not take as "safe".
//
// # Identity
//
// Purchases of a customer merged into another count for the survivor. A
// forgotten customer is out of the evaluation whatever the as-of, and
// [Materialize] deletes their rows from every stored as_of.
package value
