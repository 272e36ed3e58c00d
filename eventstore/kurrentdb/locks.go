package kurrentdb

import (
	"context"
	"hash/maphash"
)

// lockStripes is how many locks share out the streams of a store.
const lockStripes = 256

// locks serialise a store's appends to a stream: racing appends of one
// process would only fail at KurrentDB's revision check and try again, a
// round trip each. Streams share a lock by hash, so memory stays bounded
// however many streams there are. Appends from other processes still race
// at KurrentDB, which settles them.
type locks struct {
	seed    maphash.Seed
	stripes [lockStripes]chan struct{}
}

func newLocks() *locks {
	l := &locks{seed: maphash.MakeSeed()}
	for i := range l.stripes {
		l.stripes[i] = make(chan struct{}, 1)
	}
	return l
}

// lock takes the lock of stream, or gives up when ctx ends; unlock
// releases it.
func (l *locks) lock(ctx context.Context, stream string) (unlock func(), err error) {
	stripe := l.stripes[maphash.String(l.seed, stream)%lockStripes]
	select {
	case stripe <- struct{}{}:
		return func() { <-stripe }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
