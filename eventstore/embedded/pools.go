package embedded

import "database/sql"

// Pools returns the store's connection pools, so that read models in the
// same file share its single writer connection: a projector's transaction
// then queues behind an append in-process instead of sleeping on SQLite's
// busy handler, which under load costs more than the writes. The store
// keeps ownership: it closes the pools on Close, so close whatever uses
// them first.
func (s *Store) Pools() (write, read *sql.DB) { return s.wdb, s.rdb }
