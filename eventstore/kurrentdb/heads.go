package kurrentdb

import (
	"sync"

	"github.com/ledgerline/ledgerline/eventstore"
)

// maxHeads caps how many stream heads a store remembers.
const maxHeads = 4096

// head is what the next append to a stream builds on.
type head struct {
	version uint64 // 0: no stream
	hash    []byte
}

// headOf returns the head after recs (in version order), or h when recs
// is empty.
func headOf(recs []eventstore.Record, h head) head {
	if len(recs) == 0 {
		return h
	}
	last := recs[len(recs)-1]
	return head{version: last.Version, hash: last.Hash}
}

// heads remembers the last event the store saw of streams it appended to
// or read to the end, so that an append usually need not read it first.
// An entry is never wrong, only perhaps old: streams only grow, and the
// event at a version never changes. An append built on an old head fails
// at KurrentDB's revision check and then reads what it missed, as it
// does after losing a race. It is safe for concurrent use.
type heads struct {
	mu sync.Mutex
	m  map[string]head
}

// get returns the remembered head of stream, if any.
func (c *heads) get(stream string) (head, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[stream]
	return h, ok
}

// put remembers h unless a later head of stream is known. When full, it
// forgets an arbitrary stream.
func (c *heads) put(stream string, h head) {
	if h.version == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]head{}
	}
	old, ok := c.m[stream]
	if ok && old.version >= h.version {
		return
	}
	if !ok && len(c.m) >= maxHeads {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[stream] = h
}
