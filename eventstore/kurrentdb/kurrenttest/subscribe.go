package kurrenttest

import (
	"slices"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// subscriptionBatch caps how many events a subscription takes from the log
// at a time, so that it notices a cancelled call between batches.
const subscriptionBatch = 256

// cursor is where a subscription reads next: an index into $all or into
// one stream.
type cursor struct {
	all    bool
	stream string
	next   int
}

// pending returns up to subscriptionBatch events at c and a channel closed
// by the next append, taken together so that no append falls between.
func (d *db) pending(c cursor) ([]*event, <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	src := d.all
	if !c.all {
		src = d.streams[c.stream]
	}
	if c.next >= len(src) {
		return nil, d.changed
	}
	return slices.Clip(src[c.next:min(len(src), c.next+subscriptionBatch)]), d.changed
}

// subscribe serves a catch-up subscription: a confirmation first, then the
// history after the start (exclusive) through the filter, a caught-up
// message, then live events until the client cancels. A filtered
// subscription also reports checkpoints, as KurrentDB does.
func (s *streams) subscribe(o *api.ReadReq_Options, f *filter, out api.Streams_ReadServer) error {
	cur, err := s.startCursor(o, f)
	if err != nil {
		return err
	}
	confirm := &api.ReadResp_SubscriptionConfirmation{SubscriptionId: uuid.NewString()}
	if err := out.Send(&api.ReadResp{Content: &api.ReadResp_Confirmation{Confirmation: confirm}}); err != nil {
		return err
	}
	caughtUp, considered := false, 0
	for {
		evs, changed := s.db.pending(cur)
		for _, e := range evs {
			cur.next++
			if err := sendFiltered(out, f, e, &considered); err != nil {
				return err
			}
		}
		if len(evs) > 0 {
			continue
		}
		if !caughtUp {
			if err := out.Send(&api.ReadResp{Content: &api.ReadResp_CaughtUp_{CaughtUp: &api.ReadResp_CaughtUp{}}}); err != nil {
				return err
			}
			caughtUp = true
		}
		select {
		case <-changed:
		case <-out.Context().Done():
			return status.FromContextError(out.Context().Err()).Err()
		}
	}
}

// sendFiltered sends e if it passes f, and a checkpoint after every
// f.checkpointEvery events considered.
func sendFiltered(out api.Streams_ReadServer, f *filter, e *event, considered *int) error {
	if f.match(e) {
		if err := out.Send(eventResp(e)); err != nil {
			return err
		}
	}
	if f == nil {
		return nil
	}
	if *considered++; *considered < f.checkpointEvery {
		return nil
	}
	*considered = 0
	cp := &api.ReadResp_Checkpoint{CommitPosition: e.position, PreparePosition: e.position}
	return out.Send(&api.ReadResp{Content: &api.ReadResp_Checkpoint_{Checkpoint: cp}})
}

// startCursor returns where a subscription starts: after the position or
// revision it names (exclusive), at the start, or at the end.
func (s *streams) startCursor(o *api.ReadReq_Options, f *filter) (cursor, error) {
	if st := o.GetStream(); st != nil {
		if f != nil {
			return cursor{}, status.Error(codes.InvalidArgument, "a stream subscription takes no filter")
		}
		name := string(st.GetStreamIdentifier().GetStreamName())
		evs, _ := s.db.stream(name)
		c := cursor{stream: name}
		switch st.GetRevisionOption().(type) {
		case *api.ReadReq_Options_StreamOptions_End:
			c.next = len(evs)
		case *api.ReadReq_Options_StreamOptions_Revision:
			c.next = int(st.GetRevision()) + 1
		}
		return c, nil
	}
	all, end := s.db.snapshot()
	i, err := allIndex(all, end, o.GetAll())
	if err == nil && o.GetAll().GetPosition() != nil && i < len(all) {
		i++
	}
	return cursor{all: true, next: i}, err
}
