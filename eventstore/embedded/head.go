package embedded

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ledgerline/ledgerline/eventstore"
)

var _ eventstore.HeadReader = (*Store)(nil)

// Head implements [eventstore.HeadReader]: the position of the last
// committed event, read from the primary key's end.
func (s *Store) Head(ctx context.Context) (uint64, error) {
	release, err := s.enter()
	if err != nil {
		return 0, err
	}
	defer release()
	var head sql.NullInt64
	if err := s.rdb.QueryRowContext(ctx, `SELECT MAX(position) FROM events`).Scan(&head); err != nil {
		return 0, fmt.Errorf("read head: %w", translate(ctx, err))
	}
	return uint64(head.Int64), nil
}
