package eventstore

import (
	"context"
	"fmt"
)

// AppendRequest is one stream's part of a batch append.
type AppendRequest struct {
	Stream   string
	Expected ExpectedVersion
	Events   []EventData
}

// BatchAppender is an optional capability of a [Store]: it appends to many
// streams in one atomic transaction, so that a bulk import commits all of
// a batch or nothing of it. Each request keeps Append's semantics
// (expected version, idempotency); one failing request fails the batch and
// stores nothing. Results are in request order. A request may name a
// stream that an earlier request of the same batch appended to.
type BatchAppender interface {
	AppendBatch(ctx context.Context, reqs []AppendRequest) ([]AppendResult, error)
}

// AppendBatch appends reqs through s's [BatchAppender] when it has one.
// Otherwise it falls back to one Append per request, which is atomic per
// stream only: a failure leaves the earlier requests stored (they are
// idempotent, so the batch can be retried as a whole).
func AppendBatch(ctx context.Context, s Store, reqs []AppendRequest) ([]AppendResult, error) {
	if b, ok := s.(BatchAppender); ok {
		return b.AppendBatch(ctx, reqs)
	}
	out := make([]AppendResult, 0, len(reqs))
	for _, r := range reqs {
		res, err := s.Append(ctx, r.Stream, r.Expected, r.Events)
		if err != nil {
			return out, fmt.Errorf("append batch: %w", err)
		}
		out = append(out, res)
	}
	return out, nil
}

// HeadReader is an optional capability of a [Store]: it reports the global
// position of the log's last visible event cheaply.
type HeadReader interface {
	Head(ctx context.Context) (uint64, error)
}

// HeadPage is how many events [Head] reads per page when the store cannot
// report its head directly.
const HeadPage = 10000

// Head returns the position of the last event of s's global log (0 when
// empty), through [HeadReader] when s has it, else by paging ReadAll.
func Head(ctx context.Context, s Store) (uint64, error) {
	if h, ok := s.(HeadReader); ok {
		return h.Head(ctx)
	}
	var last uint64
	for {
		page, err := s.ReadAll(ctx, ReadAllOptions{After: last, Limit: HeadPage})
		if err != nil {
			return 0, fmt.Errorf("find the log's head: %w", err)
		}
		if len(page) == 0 {
			return last, nil
		}
		last = page[len(page)-1].Position
	}
}
