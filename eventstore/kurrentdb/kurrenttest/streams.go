package kurrenttest

import (
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Metadata keys every recorded event carries; the client needs all three
// (without "created" it calls log.Fatalf).
const (
	metaType        = "type"
	metaContentType = "content-type"
	metaCreated     = "created"
)

// streams is the Streams gRPC service over the in-memory log.
type streams struct {
	api.UnimplementedStreamsServer
	db *db
}

// Append implements the client-streaming append: options first, then the
// proposed events until the client closes its side.
func (s *streams) Append(in api.Streams_AppendServer) error {
	first, err := in.Recv()
	if err != nil {
		return err
	}
	o := first.GetOptions()
	exp, ok := expectationOf(o)
	if o == nil || !ok {
		return status.Error(codes.InvalidArgument, "append must start with options naming the expected revision")
	}
	evs, err := receiveProposed(in)
	if err != nil {
		return err
	}
	name := string(o.GetStreamIdentifier().GetStreamName())
	return in.SendAndClose(s.db.append(name, exp, evs, time.Now()))
}

// receiveProposed reads the proposed events of an append.
func receiveProposed(in api.Streams_AppendServer) ([]proposed, error) {
	var evs []proposed
	for {
		req, err := in.Recv()
		if errors.Is(err, io.EOF) {
			return evs, nil
		}
		if err != nil {
			return nil, err
		}
		p, err := proposedFrom(req.GetProposedMessage())
		if err != nil {
			return nil, err
		}
		evs = append(evs, p)
	}
}

// proposedFrom checks a proposed message as KurrentDB does: an id, and
// the "type" and "content-type" metadata.
func proposedFrom(m *api.AppendReq_ProposedMessage) (proposed, error) {
	if m == nil {
		return proposed{}, status.Error(codes.InvalidArgument, "expected a proposed message after the options")
	}
	id, err := uuidFrom(m.GetId())
	if err != nil {
		return proposed{}, status.Error(codes.InvalidArgument, err.Error())
	}
	p := proposed{id: id, data: m.GetData(), meta: m.GetCustomMetadata()}
	for key, dst := range map[string]*string{metaType: &p.typ, metaContentType: &p.contentType} {
		v, ok := m.GetMetadata()[key]
		if !ok {
			return proposed{}, status.Errorf(codes.InvalidArgument, "required metadata property %q is missing", key)
		}
		*dst = v
	}
	return p, nil
}

// Read serves reads with a count (a stream or $all, either direction) and
// catch-up subscriptions.
func (s *streams) Read(req *api.ReadReq, out api.Streams_ReadServer) error {
	o := req.GetOptions()
	if o.GetUuidOption() == nil {
		return status.Error(codes.InvalidArgument, "uuid option is required")
	}
	f, err := compileFilter(o.GetFilter())
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	if o.GetSubscription() != nil {
		return s.subscribe(o, f, out)
	}
	if o.GetStream() != nil && f != nil {
		return status.Error(codes.InvalidArgument, "a stream read takes no filter")
	}
	return s.readCount(o, f, out)
}

// readCount answers a read with a count. Its only replies are events and
// stream-not-found: the client panics on any other kind.
func (s *streams) readCount(o *api.ReadReq_Options, f *filter, out api.Streams_ReadServer) error {
	backwards := o.GetReadDirection() == api.ReadReq_Options_Backwards
	var evs []*event
	switch {
	case o.GetStream() != nil:
		name := o.GetStream().GetStreamIdentifier()
		stream, ok := s.db.stream(string(name.GetStreamName()))
		if !ok {
			return out.Send(&api.ReadResp{Content: &api.ReadResp_StreamNotFound_{
				StreamNotFound: &api.ReadResp_StreamNotFound{StreamIdentifier: name}}})
		}
		evs = selectStream(stream, o.GetStream(), backwards, o.GetCount())
	case o.GetAll() != nil:
		all, end := s.db.snapshot()
		var err error
		if evs, err = selectAll(all, end, o.GetAll(), backwards, o.GetCount(), f); err != nil {
			return err
		}
	default:
		return status.Error(codes.InvalidArgument, "read names neither a stream nor $all")
	}
	return sendEvents(out, evs)
}

func sendEvents(out api.Streams_ReadServer, evs []*event) error {
	for _, e := range evs {
		if err := out.Send(eventResp(e)); err != nil {
			return err
		}
	}
	return nil
}

// selectStream picks up to count events of a stream: forwards from a
// revision inclusive (start: 0, end: nothing), backwards from a revision
// inclusive, clamped to the last event as KurrentDB's paging does.
func selectStream(evs []*event, o *api.ReadReq_Options_StreamOptions, backwards bool, count uint64) []*event {
	n := uint64(len(evs))
	if !backwards {
		from := n
		switch o.GetRevisionOption().(type) {
		case *api.ReadReq_Options_StreamOptions_Start:
			from = 0
		case *api.ReadReq_Options_StreamOptions_Revision:
			from = min(o.GetRevision(), n)
		}
		return evs[from : from+min(count, n-from)]
	}
	if n == 0 {
		return nil
	}
	from := n - 1
	switch o.GetRevisionOption().(type) {
	case *api.ReadReq_Options_StreamOptions_Start:
		from = 0
	case *api.ReadReq_Options_StreamOptions_Revision:
		from = min(o.GetRevision(), n-1)
	}
	return reversed(evs[from+1-min(count, from+1) : from+1])
}

// selectAll picks up to count events of $all that pass f: forwards from a
// position inclusive, backwards from a position exclusive.
func selectAll(all []*event, end uint64, o *api.ReadReq_Options_AllOptions, backwards bool, count uint64, f *filter) ([]*event, error) {
	from, err := allIndex(all, end, o)
	if err != nil {
		return nil, err
	}
	window := all[from:]
	if backwards {
		window = reversed(all[:from])
	}
	var out []*event
	for _, e := range window {
		if uint64(len(out)) == count {
			break
		}
		if f.match(e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// allIndex returns the index in all that o names: 0 for the start,
// len(all) for the end, else the event at a position.
func allIndex(all []*event, end uint64, o *api.ReadReq_Options_AllOptions) (int, error) {
	switch o.GetAllOption().(type) {
	case *api.ReadReq_Options_AllOptions_Start:
		return 0, nil
	case *api.ReadReq_Options_AllOptions_End:
		return len(all), nil
	case *api.ReadReq_Options_AllOptions_Position:
		return positionIndex(all, end, o.GetPosition())
	}
	return 0, status.Error(codes.InvalidArgument, "$all read names no start, end or position")
}

// positionIndex returns the index of the event at position p, or len(all)
// for the end of the log; any other position is refused.
func positionIndex(all []*event, end uint64, p *api.ReadReq_Options_Position) (int, error) {
	i, ok := indexAt(all, end, p.GetCommitPosition())
	if !ok || p.GetPreparePosition() != p.GetCommitPosition() {
		return 0, status.Errorf(codes.InvalidArgument, "invalid position %d/%d: no event starts there",
			p.GetCommitPosition(), p.GetPreparePosition())
	}
	return i, nil
}

func reversed(evs []*event) []*event {
	out := make([]*event, len(evs))
	for i, e := range evs {
		out[len(evs)-1-i] = e
	}
	return out
}

// eventResp is the read reply carrying e, with the metadata the client
// requires and a structured UUID.
func eventResp(e *event) *api.ReadResp {
	rec := &api.ReadResp_ReadEvent_RecordedEvent{
		Id:               structuredUUID(e.id),
		StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(e.stream)},
		StreamRevision:   e.revision,
		PreparePosition:  e.position,
		CommitPosition:   e.position,
		Metadata: map[string]string{
			metaType:        e.typ,
			metaContentType: e.contentType,
			metaCreated:     strconv.FormatInt(e.created, 10),
		},
		CustomMetadata: e.meta,
		Data:           e.data,
	}
	return &api.ReadResp{Content: &api.ReadResp_Event{Event: &api.ReadResp_ReadEvent{
		Event:    rec,
		Position: &api.ReadResp_ReadEvent_CommitPosition{CommitPosition: e.position},
	}}}
}

// structuredUUID encodes id as two big-endian 64-bit halves, the form the
// client asks for.
func structuredUUID(id uuid.UUID) *shared.UUID {
	var most, least uint64
	for i := range 8 {
		most = most<<8 | uint64(id[i])
		least = least<<8 | uint64(id[8+i])
	}
	return &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{
		MostSignificantBits: int64(most), LeastSignificantBits: int64(least)}}}
}

// uuidFrom decodes an id in either form.
func uuidFrom(u *shared.UUID) (uuid.UUID, error) {
	if s := u.GetStructured(); s != nil {
		var id uuid.UUID
		most, least := uint64(s.GetMostSignificantBits()), uint64(s.GetLeastSignificantBits())
		for i := range 8 {
			id[7-i] = byte(most >> (8 * i))
			id[15-i] = byte(least >> (8 * i))
		}
		return id, nil
	}
	return uuid.Parse(u.GetString_())
}
