package publish

import (
	"context"

	"github.com/ledgerline/ledgerline/projections/feed"
)

// Handler processes one event a consumer received. Delivery is
// at-least-once: after a crash, or when the publisher re-published a
// batch, an event may come again with the same event id, and a handler
// with effects to protect deduplicates by env.EventID. Events of one
// stream arrive in version order. A handler that returns an error is
// called again with the same event, so later events of its shard wait;
// it must be safe for concurrent use across shards.
type Handler func(ctx context.Context, env feed.Envelope) error
