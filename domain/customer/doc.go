// Package customer is the customer aggregate of ledgerline: one stream per
// customer ("customer-<uuid>") holding the complete history an auditor
// replays — identity and profile, consent, interactions on every channel,
// ratings, surveys, complaints and support cases, purchases, refunds,
// invoices and payments, discounts, promotions and rewards, departure and
// win-back, and campaign targeting.
//
// # Events, state, commands
//
// Events are value types with snake_case JSON fields; [Events] lists
// their specs for the catalogue ("customer.<snake_case>", schema version
// 1). [State] folds a customer's events; its Apply never fails. Each use
// case is a command type (e.g. [Register], [RecordPurchase],
// [ReceivePayment]) implementing domain.Command[*State]: Decide checks the
// command against the state at the command's time and returns the events
// to append, or a *domain.ValidationError naming field, rule and value.
//
// # Rules every command obeys
//
//   - Only [Register] works on a customer that is not registered; the rest
//     fail with domain.ErrNotFound. Register on a registered customer fails
//     with domain.ErrAlreadyExists.
//   - Nothing is recorded on a forgotten customer (domain.ErrState), except
//     that [Forget] is idempotent there and returns no events.
//   - Nothing is recorded on a customer merged into another, except
//     [Forget].
//   - Money is integer minor units of an ISO 4217 currency; amounts on one
//     purchase or invoice never mix currencies.
//   - Commands that set a value (contact details, profile, tags, account
//     manager, discount terms) return no events when nothing changes.
//
// Malformed fields fail with domain.ErrInvalid (several at once through
// errors.Join); facts that do not fit the history — a refund above what was
// paid, a payment on an unknown invoice — fail with domain.ErrState.
//
// # Personal data
//
// Name, contact details (e-mail, phone, address), tax id, birth date and
// gender are personal data, as is free text that staff or customers write
// (comments, notes, descriptions). The catalogue documentation
// (docs/events.md) marks them field by field; the event store will encrypt
// them with a per-customer key, and [Forgotten] makes the state drop them
// and refuse further commands.
package customer
