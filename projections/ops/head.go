package ops

import (
	"context"
	"fmt"

	"github.com/ledgerline/ledgerline/eventstore"
)

// firstStride is the first jump of the head search: a log is rarely
// shorter, and every doubling after it costs one read of one event.
const firstStride = 1 << 12

// Head returns the last event of the log, and false if the log is empty.
// A store with [eventstore.HeadReader] reports its head directly; for any
// other store Head searches positions with reads of one event (ReadAll
// after p returns the first event above p, or nothing above the head):
// doubling strides, then bisection, about 2·log2(head) indexed reads
// instead of a scan of the log that [eventstore.Head] would make.
func Head(ctx context.Context, s eventstore.Store) (eventstore.Record, bool, error) {
	if h, ok := s.(eventstore.HeadReader); ok {
		pos, err := h.Head(ctx)
		if err != nil || pos == 0 {
			return eventstore.Record{}, false, err
		}
		return firstAfter(ctx, s, pos-1)
	}
	last, ok, err := firstAfter(ctx, s, 0)
	if !ok || err != nil {
		return last, ok, err
	}
	return search(ctx, s, last)
}

// search finds the head from a known event: up in doubling strides until
// nothing lies beyond, then bisecting between the last event found and
// that empty position.
func search(ctx context.Context, s eventstore.Store, last eventstore.Record) (eventstore.Record, bool, error) {
	stride := uint64(firstStride)
	var bound uint64 // nothing lies after bound, once it is set
	for bound == 0 || bound > last.Position {
		probe := last.Position + stride
		if bound != 0 {
			probe = last.Position + (bound-last.Position)/2
		}
		rec, ok, err := firstAfter(ctx, s, probe)
		switch {
		case err != nil:
			return last, true, err
		case ok:
			last = rec
			if bound == 0 {
				stride *= 2
			}
		default:
			bound = probe
		}
	}
	return last, true, nil
}

// firstAfter returns the first event after position, if any.
func firstAfter(ctx context.Context, s eventstore.Store, position uint64) (eventstore.Record, bool, error) {
	page, err := s.ReadAll(ctx, eventstore.ReadAllOptions{After: position, Limit: 1})
	if err != nil {
		return eventstore.Record{}, false, fmt.Errorf("find the log's head: %w", err)
	}
	if len(page) == 0 {
		return eventstore.Record{}, false, nil
	}
	return page[0], true, nil
}
