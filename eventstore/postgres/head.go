package postgres

import (
	"context"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/pgerr"
)

var _ eventstore.HeadReader = (*Store)(nil)

// headSQL is the last position a reader of the feed can see: the highest
// committed position below the in-flight horizon (see doc.go), found from
// the primary key's end.
const headSQL = `SELECT coalesce((SELECT position FROM {{s}}.events
	WHERE position < pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16
	ORDER BY position DESC LIMIT 1), 0)`

// Head implements [eventstore.HeadReader].
func (s *Store) Head(ctx context.Context) (uint64, error) {
	if s.closed.Load() {
		return 0, eventstore.ErrClosed
	}
	var head int64
	err := s.retry(ctx, func() error {
		return s.pool.QueryRow(ctx, qualify(s.cfg.Schema, headSQL)).Scan(&head)
	})
	if err != nil {
		return 0, pgerr.Translate(ctx, "read head", err)
	}
	return uint64(head), nil
}
