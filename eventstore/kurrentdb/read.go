package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Page sizes: a read of $all asks for at least minPage events, so that
// filtered-out and system events cost few round trips; every read asks
// for at most maxPage, so that one round trip stays short.
const (
	minPage = 256
	maxPage = 4096
)

// drain reads a count read to its end.
func drain(rs *esdb.ReadStream, err error) ([]*esdb.RecordedEvent, error) {
	return drainWhile(rs, err, func(*esdb.RecordedEvent) bool { return true })
}

// drainWhile reads a count read until its end or until more returns
// false for the event just read (which is kept).
func drainWhile(rs *esdb.ReadStream, err error, more func(*esdb.RecordedEvent) bool) ([]*esdb.RecordedEvent, error) {
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []*esdb.RecordedEvent
	for {
		ev, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if ev.Event == nil {
			continue // a link whose event is gone; the store writes none
		}
		out = append(out, ev.Event)
		if !more(ev.Event) {
			return out, nil
		}
	}
}

// ReadStream implements [eventstore.Store].
func (s *Store) ReadStream(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) ([]eventstore.Record, error) {
	recs, err := s.readStream(ctx, stream, opts)
	if err != nil {
		return nil, translate(ctx, "read "+stream, err)
	}
	s.rememberHead(stream, opts, recs)
	return recs, nil
}

// rememberHead notes the head of stream when recs end with it: a read
// forwards without limit, or backwards from the end. A command handler
// reads a stream, decides, then appends: the append then need not read
// the head again.
func (s *Store) rememberHead(stream string, opts eventstore.ReadStreamOptions, recs []eventstore.Record) {
	switch {
	case len(recs) == 0:
	case opts.Direction == eventstore.Forwards && opts.Limit == 0:
		s.heads.put(stream, headOf(recs, head{}))
	case opts.Direction == eventstore.Backwards && opts.From == 0:
		s.heads.put(stream, headOf(recs[:1], head{}))
	}
}

// readStream reads a stream in pages of at most maxPage events, each one
// round trip.
func (s *Store) readStream(ctx context.Context, stream string, opts eventstore.ReadStreamOptions) ([]eventstore.Record, error) {
	var out []eventstore.Record
	for {
		want := maxPage
		if opts.Limit > 0 {
			want = min(opts.Limit-len(out), maxPage)
		}
		page, err := s.readStreamPage(ctx, stream, opts.Direction, opts.From, want)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		next, more := nextFrom(opts.Direction, page, want)
		if !more || (opts.Limit > 0 && len(out) >= opts.Limit) {
			return out, nil
		}
		opts.From = next
	}
}

// nextFrom is the version a read goes on from after a page for which it
// asked want events, and whether there may be more.
func nextFrom(dir eventstore.Direction, page []eventstore.Record, want int) (uint64, bool) {
	if len(page) < want {
		return 0, false
	}
	last := page[len(page)-1].Version
	if dir == eventstore.Backwards {
		return last - 1, last > 1
	}
	return last + 1, true
}

// readStreamPage reads up to count events of a stream: a version maps to
// the revision before it (versions start at 1, revisions at 0); from 0 is
// the start forwards and the end backwards.
func (s *Store) readStreamPage(ctx context.Context, stream string, dir eventstore.Direction, from uint64, count int) ([]eventstore.Record, error) {
	ro := esdb.ReadStreamOptions{Direction: esdb.Forwards, From: esdb.Start{}}
	if dir == eventstore.Backwards {
		ro = esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}
	}
	if from > 0 {
		ro.From = esdb.Revision(from - 1)
	}
	var evs []*esdb.RecordedEvent
	err := s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		var err error
		evs, err = drain(c.ReadStream(ctx, s.name(stream), ro, uint64(count)))
		return err
	})
	if err != nil {
		return nil, err
	}
	return decodeAll(stream, evs), nil
}

func decodeAll(stream string, evs []*esdb.RecordedEvent) []eventstore.Record {
	out := make([]eventstore.Record, len(evs))
	for i, e := range evs {
		out[i] = decode(stream, e)
	}
	return out
}

// readHead reads the last event of stream.
func (s *Store) readHead(ctx context.Context, stream string) (head, error) {
	recs, err := s.readStream(ctx, stream, eventstore.ReadStreamOptions{Direction: eventstore.Backwards, Limit: 1})
	if isCode(err, esdb.ErrorCodeResourceNotFound) {
		return head{}, nil
	}
	if err != nil {
		return head{}, err
	}
	h := headOf(recs, head{})
	s.heads.put(stream, h)
	return h, nil
}

// readAfter reads the events of stream after version.
func (s *Store) readAfter(ctx context.Context, stream string, version uint64) ([]eventstore.Record, error) {
	recs, err := s.readStream(ctx, stream, eventstore.ReadStreamOptions{From: version + 1})
	if isCode(err, esdb.ErrorCodeResourceNotFound) {
		return nil, nil
	}
	return recs, err
}

// ReadAll implements [eventstore.Store]. The v4 client offers no filter on
// reads of $all, so it pages through $all and filters here: system events,
// id claims, other namespaces, Config.StreamPrefixes and opts.Filter.
// KurrentDB shows a reader of $all only committed events, in log order,
// so every page is a gap-free prefix.
func (s *Store) ReadAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	if opts.Limit <= 0 {
		return nil, fmt.Errorf("%w: read all: limit %d is not positive", eventstore.ErrInvalidEvent, opts.Limit)
	}
	var out []eventstore.Record
	for p := (page{last: opts.After}); !p.end && len(out) < opts.Limit; {
		var err error
		if p, err = s.readAllPage(ctx, p.last, opts.Filter, opts.Limit-len(out)); err != nil {
			return nil, translate(ctx, fmt.Sprintf("read all after %d", opts.After), err)
		}
		out = append(out, p.recs...)
	}
	return out, nil
}

// page is what one read of $all found.
type page struct {
	recs []eventstore.Record // the events shown, in log order
	last uint64              // port position of the last event looked at
	end  bool                // the read reached the end of the log
}

// readAllPage reads $all after port position after and returns up to
// limit events the store shows through f. KurrentDB reads forwards from a
// position inclusively, so a page starts at the event at after (a position
// the store handed out, thus an event's), which is skipped here.
func (s *Store) readAllPage(ctx context.Context, after uint64, f eventstore.Filter, limit int) (page, error) {
	var from esdb.AllPosition = esdb.Start{}
	if after > 0 {
		from = logPosition(after)
	}
	size := min(max(limit+1, minPage), maxPage)
	var result page
	err := s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		p := page{last: after}
		rs, err := c.ReadAll(ctx, esdb.ReadAllOptions{From: from}, uint64(size))
		evs, err := drainWhile(rs, err, func(e *esdb.RecordedEvent) bool {
			if pos := position(e.Position); pos > p.last {
				p.last = pos
				if rec, ok := s.show(e, f); ok {
					p.recs = append(p.recs, rec)
				}
			}
			return len(p.recs) < limit
		})
		p.end = len(evs) < size && len(p.recs) < limit
		result = p
		return err
	})
	if err != nil {
		return page{}, err // the read may still be running: result is not ours
	}
	return result, nil
}

// show decodes e if the store shows it through f.
func (s *Store) show(e *esdb.RecordedEvent, f eventstore.Filter) (eventstore.Record, bool) {
	stream, ok := s.own(e.StreamID, e.EventType)
	if !ok || !f.Match(stream, e.EventType) {
		return eventstore.Record{}, false
	}
	return decode(stream, e), true
}

// Head implements [eventstore.HeadReader]: it reads $all backwards from
// its end, a page at a time, to the last event the store shows.
func (s *Store) Head(ctx context.Context) (uint64, error) {
	var from esdb.AllPosition = esdb.End{}
	for {
		last, done, err := s.headPage(ctx, from)
		if err != nil {
			return 0, translate(ctx, "find the log's head", err)
		}
		if done {
			return last, nil
		}
		from = logPosition(last)
	}
}

// headPage reads a page of $all backwards from (exclusive) and returns
// the position of the last event the store shows (done), else of the
// oldest event it looked at, or 0 (done) at the start of the log.
func (s *Store) headPage(ctx context.Context, from esdb.AllPosition) (uint64, bool, error) {
	var last uint64
	var done bool
	err := s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		rs, err := c.ReadAll(ctx, esdb.ReadAllOptions{Direction: esdb.Backwards, From: from}, maxPage)
		evs, err := drainWhile(rs, err, func(e *esdb.RecordedEvent) bool {
			last = position(e.Position)
			_, done = s.own(e.StreamID, e.EventType)
			return !done
		})
		if !done && len(evs) < maxPage {
			last, done = 0, true
		}
		return err
	})
	if err != nil {
		return 0, false, err
	}
	return last, done, nil
}
