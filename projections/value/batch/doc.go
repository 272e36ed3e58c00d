// Package batch writes a projector's rows with multi-row INSERT
// statements: on both read-model stores one statement per row costs more
// than the row itself, so the value and churn projectors collect a batch
// of events' rows and send them a few dozen at a time.
//
// An [Insert] is one table's pending rows inside one read-model
// transaction. Its statements end in a conflict clause chosen by the
// caller (e.g. "ON CONFLICT (event_id) DO NOTHING"), which is how fact
// tables keyed by event id stay idempotent when a batch is applied again.
package batch
