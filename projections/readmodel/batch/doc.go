// Package batch writes a projector's rows in bulk. On both read-model
// stores one statement per row costs more than the row itself, so
// projectors collect a batch of events' rows and send them together.
//
// An [Insert] is one table's pending rows inside one read-model
// transaction, written with multi-row INSERT statements a few dozen rows
// at a time. Its statements end in a conflict clause chosen by the caller
// (e.g. "ON CONFLICT (customer_id) DO NOTHING"). [Copy] writes rows that
// are new for certain — one per event, under the checkpoint guard that
// applies each event once — with the transaction's [readmodel.Copier]
// (PostgreSQL's binary COPY), or INSERTs on a store without one;
// [CopyColumns] does the same for rows held column by column.
//
// Both take the values a Copier takes: time.Time for instants and
// uuid.UUID for ids travel natively and are turned into the text
// [readmodel.Tx.Exec] expects where a statement needs it.
package batch
