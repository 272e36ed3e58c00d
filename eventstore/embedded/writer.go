package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// head is a stream's last version and hash as the transaction sees it.
type head struct {
	version uint64
	hash    []byte
	dirty   bool // changed by this transaction, not yet in streams
}

// writer appends inside one write transaction. It reads the last position
// once and each stream's head at most once, keeps them up to date in
// memory, and writes the changed heads back in flush: a batch of thousands
// of events costs one statement per event plus a few per stream.
type writer struct {
	// statements bound to the transaction
	insert, findID, head, lastPos, upsertHead, replay *sql.Stmt

	now       time.Time // recorded_at of every event of the transaction
	last      uint64    // last position written, when lastKnown
	lastKnown bool
	heads     map[string]*head
}

func newWriter(ctx context.Context, tx *sql.Tx, st *statements, now time.Time) *writer {
	return &writer{
		insert: tx.StmtContext(ctx, st.insert), findID: tx.StmtContext(ctx, st.findID),
		head: tx.StmtContext(ctx, st.head), lastPos: tx.StmtContext(ctx, st.lastPos),
		upsertHead: tx.StmtContext(ctx, st.upsertHead), replay: tx.StmtContext(ctx, st.replay),
		now: now, heads: map[string]*head{},
	}
}

// append is one stream's append within the transaction, with the port's
// semantics: an exact replay of stored events reports where they are,
// whatever expected says; otherwise the version check, then the insert.
func (w *writer) append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	if res, done, err := w.replayed(ctx, stream, events); done || err != nil {
		return res, err
	}
	h, err := w.streamHead(ctx, stream)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if !expected.Matches(h.version) {
		return eventstore.AppendResult{}, &eventstore.ConflictError{Stream: stream, Expected: expected, Actual: h.version}
	}
	return w.write(ctx, stream, h, events)
}

// replayed reports whether events are already stored (done), looking up
// the first id only: if it is new, any other stored id is caught by the
// UNIQUE(id) constraint as the row is inserted. If it is stored, every
// event must be stored identically, in order, in stream.
func (w *writer) replayed(ctx context.Context, stream string, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	var at string
	var version int64
	err := w.findID.QueryRowContext(ctx, events[0].ID[:]).Scan(&at, &version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return eventstore.AppendResult{}, false, nil
	case err != nil:
		return eventstore.AppendResult{}, false, fmt.Errorf("append to %s: find event %s: %w", stream, events[0].ID, translate(ctx, err))
	case at != stream:
		return eventstore.AppendResult{}, false, duplicate(stream, events[0].ID)
	}
	stored, err := queryRecords(ctx, w.replay, len(events), stream, version, len(events))
	if err != nil {
		return eventstore.AppendResult{}, false, fmt.Errorf("append to %s: read stored events: %w", stream, translate(ctx, err))
	}
	for i, ev := range events {
		if i >= len(stored) || !eventstore.SameEvent(stored[i], stream, ev) {
			return eventstore.AppendResult{}, false, duplicate(stream, ev.ID)
		}
	}
	first, last := stored[0], stored[len(stored)-1]
	return eventstore.AppendResult{FirstVersion: first.Version, LastVersion: last.Version, LastPosition: last.Position}, true, nil
}

func duplicate(stream string, id uuid.UUID) error {
	return fmt.Errorf("append to %s: event %s: %w", stream, id, eventstore.ErrDuplicateEventID)
}

// streamHead returns stream's head, from the cache or the streams table;
// a stream with no event has version 0 and no hash.
func (w *writer) streamHead(ctx context.Context, stream string) (*head, error) {
	if h, ok := w.heads[stream]; ok {
		return h, nil
	}
	h := &head{}
	var version int64
	err := w.head.QueryRowContext(ctx, stream).Scan(&version, &h.hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("append to %s: read head: %w", stream, translate(ctx, err))
	}
	h.version = uint64(version)
	w.heads[stream] = h
	return h, nil
}

// lastPosition returns the log's last position, reading it once.
func (w *writer) lastPosition(ctx context.Context) (uint64, error) {
	if w.lastKnown {
		return w.last, nil
	}
	var last int64
	if err := w.lastPos.QueryRowContext(ctx).Scan(&last); err != nil {
		return 0, fmt.Errorf("read last position: %w", translate(ctx, err))
	}
	w.last, w.lastKnown = uint64(last), true
	return w.last, nil
}

// write seals events onto h's chain and inserts them after the last
// position.
func (w *writer) write(ctx context.Context, stream string, h *head, events []eventstore.EventData) (eventstore.AppendResult, error) {
	pos, err := w.lastPosition(ctx)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("append to %s: %w", stream, err)
	}
	first := h.version + 1
	for i := range events {
		rec := eventstore.Seal(h.hash, eventstore.Record{EventData: events[i], Stream: stream,
			Version: h.version + 1, Position: pos + 1, RecordedAt: w.now})
		if _, err := w.insert.ExecContext(ctx, insertArgs(&rec)...); err != nil {
			if isDuplicateID(err) {
				return eventstore.AppendResult{}, duplicate(stream, rec.ID)
			}
			return eventstore.AppendResult{}, fmt.Errorf("append to %s: insert: %w", stream, translate(ctx, err))
		}
		pos, h.version, h.hash, h.dirty = pos+1, h.version+1, rec.Hash, true
	}
	w.last = pos
	return eventstore.AppendResult{FirstVersion: first, LastVersion: h.version, LastPosition: pos}, nil
}

// insertArgs returns rec's columns in insertEventSQL's order.
func insertArgs(rec *eventstore.Record) []any {
	md := &rec.Metadata
	return []any{int64(rec.Position), rec.Stream, int64(rec.Version), rec.ID[:], rec.Type,
		int64(rec.SchemaVersion), rec.Data, rec.OccurredAt.UnixMicro(), rec.RecordedAt.UnixMicro(),
		md.Actor, nullUUID(&md.CommandID), nullUUID(&md.CorrelationID), nullUUID(&md.CausationID), rec.Hash}
}

// nullUUID stores uuid.Nil as NULL and any other id as its 16 bytes.
func nullUUID(id *uuid.UUID) any {
	if *id == uuid.Nil {
		return nil
	}
	return id[:]
}

// flush writes the heads this transaction changed into streams.
func (w *writer) flush(ctx context.Context) error {
	for stream, h := range w.heads {
		if !h.dirty {
			continue
		}
		if _, err := w.upsertHead.ExecContext(ctx, stream, int64(h.version), h.hash); err != nil {
			return fmt.Errorf("append to %s: write head: %w", stream, translate(ctx, err))
		}
	}
	return nil
}
