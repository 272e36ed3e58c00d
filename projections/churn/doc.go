// Package churn is the churn-signals read model: for every customer, as
// of a time passed in, a score from 0 to 100 and the reasons behind it,
// each reason naming the events it rests on, so that whoever calls the
// customer can see why.
//
// # Two layers
//
// The [Projector] ("churn") keeps evidence, append-only rows keyed by
// event id (applying an event again changes nothing; a rebuild gives the
// same rows):
//
//	churn_evidence(event_id PK, customer_id, type, occurred_at, stars, nps,
//	               invoice_id, due_date, amount_minor, currency,
//	               consent_purpose, consent_channel, discount_id)
//
// for complaints, ratings, survey answers, invoices, payments, consents
// given and withdrawn, revoked discounts, declared departures and
// reactivations. Free text (topics, comments, reasons) is not copied: it
// may be personal data. Purchases come from the value projection's facts
// (package value), read by the same evaluation.
//
// [Evaluate] reads what had happened by the as-of (occurred_at ≤ as-of)
// and applies the rules; it never reads the clock, so the same facts and
// as-of always give the same rows. [Materialize] stores a result in
// churn_signals and churn_reasons (see [Schema]), replacing the rows of
// that as_of in one transaction.
//
// # Rules and weights
//
// Each rule that fires gives a reason with a weight from 0 to 1; counted
// reasons weigh 1 − (1 − base)^n for n occurrences. Days are UTC calendar
// days.
//
//	code               fires when                                                  weight
//	silence            ≥ 2 purchase days and days since the last one               0.4 at the threshold,
//	                   > SilenceFactor (3) × the customer's median gap              +0.1 per multiple, ≤ 0.8
//	one_time_silence   1 purchase day and days since it > SilenceFactor × the      as silence
//	                   repeat buyers' median gap (the population's rhythm)
//	falling_spend      mean net spend of the last RecentPurchases (2) purchases    0.25 at the threshold,
//	                   ≤ (1 − SpendDrop (0.5)) × the mean of the earlier ones       up to 0.5 for a drop to 0
//	                   (at least as many), in one currency
//	low_p_alive        a repeat buyer (x ≥ 1) whose BG/NBD P(alive) is below       0.7 × (1 − p / 0.5)
//	                   PAliveBelow (0.5)
//	complaints         complaints within Window (365 days)                          base 0.2
//	low_ratings        ratings of 1 or 2 stars within Window                        base 0.2
//	nps_detractor      NPS answers of 0 to 6 within Window                          base 0.25
//	overdue_invoices   due date before the as-of date and not fully paid by then   base 0.3
//	consent_withdrawn  a purpose and channel whose latest consent event is a       base 0.2
//	                   withdrawal, however long ago
//	discount_revoked   discounts revoked within Window                              base 0.2
//	departure_declared the latest departure or reactivation is a departure          0.9
//
// The score is 100 × (1 − Π(1 − weight)), rounded: reasons combine as
// independent pieces of evidence, so the score never exceeds 100 and
// rises with every reason. The top reason is the heaviest (ties by code).
//
// The event ids of a reason: the last purchase (silence), the purchases of
// the one purchase day (one_time_silence), the recent purchases
// (falling_spend), the first and the last purchase, which fix t_x and T
// (low_p_alive), the complaints, ratings, answers, revocations and
// withdrawals themselves, each overdue invoice with the payments made on
// it, and the departure.
//
// # P(alive) and one-time buyers
//
// BG/NBD lets a customer die only right after a repeat purchase, so its
// P(alive) is exactly 1 for every customer with x = 0, however long they
// have been silent. That 1 is never read as "safe": low_p_alive considers
// repeat buyers only, and one-time buyers are judged by one_time_silence
// against the rhythm of the customers who did come back. For a customer
// with several currencies, the highest P(alive) among their repeat
// currencies counts.
//
// # Identity
//
// Evidence and purchases of a customer merged into another count for the
// survivor. A forgotten customer has no signal whatever the as-of, and
// [Materialize] deletes their rows from every stored as_of.
package churn
