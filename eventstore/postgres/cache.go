package postgres

import (
	"sync"

	"github.com/ledgerline/ledgerline/eventstore"
)

// headCacheSize bounds the streams a store remembers the head of.
const headCacheSize = 16384

// headCache remembers the head of streams this store recently wrote or
// read to the end, so that an append whose expectation matches a
// remembered head (or expects no stream) goes straight to its insert
// without reading the heads first: one round trip instead of two. A stale
// head is harmless: the insert then collides with the event already
// stored at that version, and the append falls back to reading the heads.
// It is safe for concurrent use.
type headCache struct {
	mu sync.Mutex
	m  map[string]head
}

func (c *headCache) get(stream string) (head, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[stream]
	return h, ok
}

// put remembers h as stream's head unless a later one is known; when full
// it forgets an arbitrary stream.
func (c *headCache) put(stream string, h head) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]head)
	}
	if old, ok := c.m[stream]; ok && old.version > h.version {
		return
	}
	if len(c.m) >= headCacheSize {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[stream] = h
}

// remember records the head a read of stream up to its end returned.
func (c *headCache) remember(last eventstore.Record) {
	c.put(last.Stream, head{version: last.Version, hash: last.Hash})
}

// guess returns the heads of reqs[todo] that need no read: remembered
// heads that the first request on their stream expects, and empty heads
// for streams the first request expects not to exist. It returns the
// other streams as unknown, each once.
func (c *headCache) guess(reqs []eventstore.AppendRequest, todo []int) (map[string]head, []string) {
	heads := make(map[string]head, len(todo))
	var unknown []string
	seen := make(map[string]bool, len(todo))
	for _, i := range todo {
		r := reqs[i]
		if seen[r.Stream] {
			continue
		}
		seen[r.Stream] = true
		h, ok := c.get(r.Stream)
		switch {
		case ok && r.Expected.Matches(h.version):
			heads[r.Stream] = h
		case !ok && r.Expected == eventstore.NoStream:
			heads[r.Stream] = head{}
		default:
			unknown = append(unknown, r.Stream)
		}
	}
	return heads, unknown
}
