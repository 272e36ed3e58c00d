package embedded

import "database/sql"

// Pools returns the store's connection pools, so that read models in the
// same file share its single writer connection: a projector's transaction
// then queues behind an append in-process instead of sleeping on SQLite's
// busy handler, which under load costs more than the writes. write has
// immediate transactions; read is query-only. In exchange, nothing may
// Append while it holds a transaction on write, or it waits for itself.
// The store keeps ownership: it closes the pools on Close, so close
// whatever uses them first. Pools in other processes use [DSN] instead.
func (s *Store) Pools() (write, read *sql.DB) { return s.wdb, s.rdb }
