package kurrentdb

import (
	"context"
	"fmt"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Append implements [eventstore.Store]. It reads the stream's last event,
// claims the events' ids, and appends at the revision after that event,
// so that a concurrent append fails instead of forking the hash chain;
// the package documentation walks through it.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	if err := eventstore.ValidateAppend(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	if err := s.checkNames(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	unlock, err := s.locks.lock(ctx, stream)
	if err != nil {
		return eventstore.AppendResult{}, translate(ctx, "append to "+stream, err)
	}
	defer unlock()
	res, err := s.appendEvents(ctx, stream, expected, events)
	if err != nil {
		return eventstore.AppendResult{}, translate(ctx, "append to "+stream, err)
	}
	return res, nil
}

// appendEvents builds on the remembered head of stream if the expectation
// accepts it, else on the head read now: a head too old to be accepted may
// just be old, so only a head read now can refuse the append.
func (s *Store) appendEvents(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	h, ok := s.heads.get(stream)
	if !ok || !expected.Matches(h.version) {
		var err error
		if h, err = s.readHead(ctx, stream); err != nil {
			return eventstore.AppendResult{}, err
		}
	}
	if !expected.Matches(h.version) {
		return s.refuse(ctx, stream, expected, events, h)
	}
	prior, err := s.claimAll(ctx, stream, events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if prior {
		if res, done, err := s.replayed(ctx, stream, events, h.version); done || err != nil {
			return res, err
		}
	}
	return s.write(ctx, stream, expected, events, h)
}

// refuse answers an append whose expectation the stream does not meet: a
// replay of stored events succeeds, reused ids are duplicates, anything
// else is a conflict. It claims nothing, so the ids stay free.
func (s *Store) refuse(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData, h head) (eventstore.AppendResult, error) {
	claimed, err := s.lookupClaims(ctx, stream, events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if claimed {
		if res, done, err := s.replayed(ctx, stream, events, h.version); done || err != nil {
			return res, err
		}
	}
	return eventstore.AppendResult{}, &eventstore.ConflictError{Stream: stream, Expected: expected, Actual: h.version}
}

// write appends events after h. When another append got there first, it
// reads what that one stored: these very events (a concurrent retry) make
// a replay; otherwise Any tries again on the new head, and an exact
// expectation is a conflict with the version read.
func (s *Store) write(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData, h head) (eventstore.AppendResult, error) {
	for {
		res, next, err := s.appendAt(ctx, stream, events, h)
		if !isCode(err, esdb.ErrorCodeWrongExpectedVersion) {
			s.heads.put(stream, next)
			return res, err
		}
		recs, err := s.readAfter(ctx, stream, h.version)
		if err != nil {
			return eventstore.AppendResult{}, err
		}
		if len(recs) == 0 {
			return eventstore.AppendResult{}, fmt.Errorf("KurrentDB refuses an append after version %d of %s but shows no later event: "+
				"was the stream deleted or truncated behind the store's back?", h.version, stream)
		}
		h = headOf(recs, h)
		s.heads.put(stream, h)
		if res, done, err := replayOf(stream, events, holding(recs, events)); done || err != nil {
			return res, err
		}
		if expected != eventstore.Any {
			return eventstore.AppendResult{}, &eventstore.ConflictError{Stream: stream, Expected: expected, Actual: h.version}
		}
	}
}

// appendAt seals events onto h and appends them expecting the stream at
// h: revision h.version-1 (versions start at 1, revisions at 0), or no
// stream. It returns the stream's new head.
func (s *Store) appendAt(ctx context.Context, stream string, events []eventstore.EventData, h head) (eventstore.AppendResult, head, error) {
	sealed, next, err := seal(stream, events, h, time.Now())
	if err != nil {
		return eventstore.AppendResult{}, head{}, err
	}
	var expected esdb.ExpectedRevision = esdb.NoStream{}
	if h.version > 0 {
		expected = esdb.Revision(h.version - 1)
	}
	var wr *esdb.WriteResult
	err = s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		var err error
		wr, err = c.AppendToStream(ctx, s.name(stream), esdb.AppendToStreamOptions{ExpectedRevision: expected}, sealed...)
		return err
	})
	if err != nil {
		return eventstore.AppendResult{}, head{}, err
	}
	return eventstore.AppendResult{FirstVersion: h.version + 1, LastVersion: next.version,
		LastPosition: position(esdb.Position{Commit: wr.CommitPosition, Prepare: wr.PreparePosition})}, next, nil
}

// seal completes events for storage after h: versions, recording time and
// the hash chain, computed here because KurrentDB has no place for it. It
// returns the head after them.
func seal(stream string, events []eventstore.EventData, h head, now time.Time) ([]esdb.EventData, head, error) {
	out := make([]esdb.EventData, len(events))
	for i, ev := range events {
		rec := eventstore.Seal(h.hash, eventstore.Record{EventData: ev, Stream: stream,
			Version: h.version + 1, RecordedAt: now})
		h = head{version: rec.Version, hash: rec.Hash}
		var err error
		if out[i], err = encode(rec); err != nil {
			return nil, head{}, err
		}
	}
	return out, h, nil
}

// replayed looks for events among versions 1..upto of stream; see
// replayOf.
func (s *Store) replayed(ctx context.Context, stream string, events []eventstore.EventData, upto uint64) (eventstore.AppendResult, bool, error) {
	found, err := s.locate(ctx, stream, events, upto)
	if err != nil {
		return eventstore.AppendResult{}, false, err
	}
	return replayOf(stream, events, found)
}

// replayOf decides what the stored copies of events (by id) mean: none, a
// new append; all of them, identical, in order and together, a replay
// with the original result; anything else, a reused id.
func replayOf(stream string, events []eventstore.EventData, found map[uuid.UUID]eventstore.Record) (eventstore.AppendResult, bool, error) {
	if len(found) == 0 {
		return eventstore.AppendResult{}, false, nil
	}
	first := found[events[0].ID]
	for i, ev := range events {
		rec, ok := found[ev.ID]
		if !ok || rec.Version != first.Version+uint64(i) || !eventstore.SameEvent(rec, stream, ev) {
			return eventstore.AppendResult{}, false, fmt.Errorf("%w: append to %s: event %s is not a replay of what is stored",
				eventstore.ErrDuplicateEventID, stream, ev.ID)
		}
	}
	last := found[events[len(events)-1].ID]
	return eventstore.AppendResult{FirstVersion: first.Version, LastVersion: last.Version, LastPosition: last.Position}, true, nil
}

// holding returns the records of recs that carry an id of events.
func holding(recs []eventstore.Record, events []eventstore.EventData) map[uuid.UUID]eventstore.Record {
	ids := idSet(events)
	found := map[uuid.UUID]eventstore.Record{}
	for _, rec := range recs {
		if ids[rec.ID] {
			found[rec.ID] = rec
		}
	}
	return found
}

func idSet(events []eventstore.EventData) map[uuid.UUID]bool {
	ids := make(map[uuid.UUID]bool, len(events))
	for _, ev := range events {
		ids[ev.ID] = true
	}
	return ids
}

// locate reads stream backwards from version upto, page by page, until it
// has seen every id of events or the start, and returns the records that
// carry one. Replays are usually of the last events, so the read is
// usually one page.
func (s *Store) locate(ctx context.Context, stream string, events []eventstore.EventData, upto uint64) (map[uuid.UUID]eventstore.Record, error) {
	ids, found := idSet(events), map[uuid.UUID]eventstore.Record{}
	for from, more := upto, upto > 0; more && len(found) < len(ids); {
		page, err := s.readStreamPage(ctx, stream, eventstore.Backwards, from, maxPage)
		if isCode(err, esdb.ErrorCodeResourceNotFound) {
			break
		}
		if err != nil {
			return nil, err
		}
		for _, rec := range page {
			if ids[rec.ID] {
				found[rec.ID] = rec
			}
		}
		from, more = nextFrom(eventstore.Backwards, page, maxPage)
	}
	return found, nil
}
