package kurrenttest

import (
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
)

// event is one recorded event. It never changes once appended, so readers
// may hold it without the lock.
type event struct {
	id          uuid.UUID
	stream      string
	revision    uint64
	position    uint64
	typ         string
	contentType string
	created     int64 // .NET ticks (100 ns) since the Unix epoch
	data        []byte
	meta        []byte
}

// proposed is an event of an append request, before it is recorded.
type proposed struct {
	id          uuid.UUID
	typ         string
	contentType string
	data        []byte
	meta        []byte
}

// recordOverhead imitates the bytes a KurrentDB log record takes besides
// its variable fields, so that positions look like byte offsets: strictly
// increasing, never dense.
const recordOverhead = 96

// db is the in-memory log: the global log ($all) in commit order and an
// index of it per stream and per event id. Its slices only ever grow, so a
// prefix taken under the lock stays valid without it.
type db struct {
	mu      sync.Mutex
	all     []*event
	streams map[string][]*event
	byID    map[uuid.UUID]*event
	end     uint64        // position the next event gets
	changed chan struct{} // closed and replaced by every append
}

func newDB() *db {
	return &db{streams: map[string][]*event{}, byID: map[uuid.UUID]*event{}, changed: make(chan struct{})}
}

// write records evs at the end of stream name, which holds current events.
func (d *db) write(name string, evs []proposed, now time.Time) []*event {
	current := uint64(len(d.streams[name]))
	out := make([]*event, len(evs))
	for i, p := range evs {
		e := &event{id: p.id, stream: name, revision: current + uint64(i), position: d.end, typ: p.typ,
			contentType: p.contentType, created: now.UnixNano() / 100, data: p.data, meta: p.meta}
		d.end += recordOverhead + uint64(len(name)+len(p.typ)+len(p.data)+len(p.meta))
		d.all = append(d.all, e)
		d.streams[name] = append(d.streams[name], e)
		d.byID[e.id] = e
		out[i] = e
	}
	if len(evs) > 0 {
		close(d.changed)
		d.changed = make(chan struct{})
	}
	return out
}

// stream returns the events of stream name and whether it exists.
func (d *db) stream(name string) ([]*event, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	evs, ok := d.streams[name]
	return slices.Clip(evs), ok
}

// snapshot returns the global log and its end position.
func (d *db) snapshot() ([]*event, uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clip(d.all), d.end
}

// indexAt returns the index in all of the first event at or after
// position, and whether position is a place a reader may start from: an
// event's position or the end of the log. KurrentDB reads garbage from any
// other offset, so the test server refuses it to catch adapter bugs.
func indexAt(all []*event, end, position uint64) (int, bool) {
	i := sort.Search(len(all), func(i int) bool { return all[i].position >= position })
	if i < len(all) {
		return i, all[i].position == position
	}
	return i, position == end
}
