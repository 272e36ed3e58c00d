package kurrentdb

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// claimEventType is the type of the one event of an id-claim stream.
const claimEventType = "ledgerline.event-id-claimed"

// maxParallel caps the claims (or claim reads) one append runs at once.
const maxParallel = 16

// claim binds an event id to a stream and to the event's content.
type claim struct {
	Stream string `json:"stream"`
	Digest string `json:"digest"`
}

// claimOf is the claim stream makes for ev: the digest is the event's
// [eventstore.ChainHash] without predecessor, version or recording time,
// so that a retry of the same command makes the same claim.
func claimOf(stream string, ev eventstore.EventData) claim {
	ev.OccurredAt = eventstore.Micro(ev.OccurredAt)
	digest := eventstore.ChainHash(nil, eventstore.Record{EventData: ev, Stream: stream})
	return claim{Stream: stream, Digest: hex.EncodeToString(digest)}
}

// claimAll claims the ids of events for stream. It reports whether an id
// was claimed before by the same stream for the same content (an earlier
// attempt of this append, which may have stored it), and fails with
// ErrDuplicateEventID when an id is claimed for another stream or other
// content.
func (s *Store) claimAll(ctx context.Context, stream string, events []eventstore.EventData) (bool, error) {
	existed := make([]bool, len(events))
	err := parallel(len(events), func(i int) error {
		var err error
		existed[i], err = s.claimOne(ctx, stream, events[i])
		return err
	})
	return slices.Contains(existed, true), err
}

// claimOne appends the claim of ev's id to its own stream, expecting no
// stream: KurrentDB lets exactly one such append succeed. The claim
// event's id is random, so that KurrentDB's idempotency never takes a
// second claim for the first.
func (s *Store) claimOne(ctx context.Context, stream string, ev eventstore.EventData) (bool, error) {
	want := claimOf(stream, ev)
	data, err := json.Marshal(want)
	if err != nil {
		return false, fmt.Errorf("encode claim of %s: %w", ev.ID, err)
	}
	event := esdb.EventData{EventID: uuid.New(), EventType: claimEventType, ContentType: esdb.ContentTypeJson, Data: data}
	err = s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		_, err := c.AppendToStream(ctx, s.claimStream(ev.ID), esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, event)
		return err
	})
	if !isCode(err, esdb.ErrorCodeWrongExpectedVersion) {
		return false, err
	}
	have, found, err := s.readClaim(ctx, ev.ID)
	switch {
	case err != nil:
		return true, err
	case !found:
		return true, fmt.Errorf("claim of %s: its stream exists but holds no claim", ev.ID)
	case have != want:
		return true, duplicate(stream, ev.ID, have)
	}
	return true, nil
}

// readClaim reads the claim of id, if any.
func (s *Store) readClaim(ctx context.Context, id uuid.UUID) (claim, bool, error) {
	var evs []*esdb.RecordedEvent
	err := s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		var err error
		evs, err = drain(c.ReadStream(ctx, s.claimStream(id), esdb.ReadStreamOptions{}, 1))
		return err
	})
	if isCode(err, esdb.ErrorCodeResourceNotFound) || (err == nil && len(evs) == 0) {
		return claim{}, false, nil
	}
	if err != nil {
		return claim{}, false, err
	}
	var have claim
	if err := json.Unmarshal(evs[0].Data, &have); err != nil {
		return claim{}, false, fmt.Errorf("claim of %s: %w", id, err)
	}
	return have, true, nil
}

// lookupClaims reads the claims of the ids of events without claiming
// any. It reports whether one is claimed by stream for the same content,
// and fails with ErrDuplicateEventID when one is claimed otherwise.
func (s *Store) lookupClaims(ctx context.Context, stream string, events []eventstore.EventData) (bool, error) {
	claimed := make([]bool, len(events))
	err := parallel(len(events), func(i int) error {
		have, found, err := s.readClaim(ctx, events[i].ID)
		if err != nil || !found {
			return err
		}
		if have != claimOf(stream, events[i]) {
			return duplicate(stream, events[i].ID, have)
		}
		claimed[i] = true
		return nil
	})
	return slices.Contains(claimed, true), err
}

// duplicate reports an id claimed for another stream or other content.
func duplicate(stream string, id uuid.UUID, have claim) error {
	if have.Stream != stream {
		return fmt.Errorf("%w: append to %s: event %s belongs to stream %s", eventstore.ErrDuplicateEventID, stream, id, have.Stream)
	}
	return fmt.Errorf("%w: append to %s: event %s is stored with other content", eventstore.ErrDuplicateEventID, stream, id)
}

// parallel runs fn(0) … fn(n-1), at most maxParallel at once, and returns
// the first error by index, preferring ErrDuplicateEventID: it is the
// definite answer, where another error may be a lost connection.
func parallel(n int, fn func(i int) error) error {
	if n == 1 {
		return fn(0)
	}
	errs := make([]error, n)
	sem := make(chan struct{}, maxParallel)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = fn(i)
		})
	}
	wg.Wait()
	if i := slices.IndexFunc(errs, func(err error) bool { return errors.Is(err, eventstore.ErrDuplicateEventID) }); i >= 0 {
		return errs[i]
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
