package kurrenttest

import (
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

// expectation is an append's expected stream revision, as KurrentDB sees
// it: -1 is "no stream", -2 "any", -4 "stream exists".
type expectation int64

const (
	expectNoStream expectation = -1
	expectAny      expectation = -2
	expectExists   expectation = -4
)

// expectationOf reads the expected revision of an append's options.
func expectationOf(o *api.AppendReq_Options) (expectation, bool) {
	switch v := o.GetExpectedStreamRevision().(type) {
	case *api.AppendReq_Options_Any:
		return expectAny, true
	case *api.AppendReq_Options_NoStream:
		return expectNoStream, true
	case *api.AppendReq_Options_StreamExists:
		return expectExists, true
	case *api.AppendReq_Options_Revision:
		return expectation(v.Revision), true
	}
	return 0, false
}

// append applies KurrentDB's rules: an exact expectation (a revision or no
// stream) succeeds at that revision, or idempotently when the events that
// follow it carry the same ids in the same order; "any" and "stream
// exists" write unless the first id is already in the stream (then the
// following ids must match). Anything else is a wrong expected version.
func (d *db) append(name string, exp expectation, evs []proposed, now time.Time) *api.AppendResp {
	d.mu.Lock()
	defer d.mu.Unlock()
	stream := d.streams[name]
	current := int64(len(stream)) - 1
	if dup, found := d.stored(name, stream, exp, evs); found {
		if dup == nil {
			return wrongVersion(exp, current)
		}
		return success(dup)
	}
	if !exp.allows(current) {
		return wrongVersion(exp, current)
	}
	if len(evs) == 0 {
		return success(stream[max(len(stream)-1, 0):]) // nothing written: the current revision
	}
	return success(d.write(name, evs, now))
}

// allows reports whether a stream at revision current (-1: none) may take
// an append that expects e.
func (e expectation) allows(current int64) bool {
	switch e {
	case expectAny:
		return true
	case expectExists:
		return current >= 0
	default:
		return int64(e) == current
	}
}

// stored looks for evs already in stream: found reports that the first
// event is stored where the expectation says to look, and dup holds the
// stored events when all of them match (nil when only a prefix does).
func (d *db) stored(name string, stream []*event, exp expectation, evs []proposed) (dup []*event, found bool) {
	if len(evs) == 0 {
		return nil, false
	}
	first := int64(exp) + 1
	if exp == expectAny || exp == expectExists {
		e, ok := d.byID[evs[0].id]
		if !ok || e.stream != name {
			return nil, false
		}
		first = int64(e.revision)
	}
	if first < 0 || first >= int64(len(stream)) || stream[first].id != evs[0].id {
		return nil, false
	}
	tail := stream[first:]
	if len(tail) < len(evs) {
		return nil, true
	}
	for i, p := range evs {
		if tail[i].id != p.id {
			return nil, true
		}
	}
	return tail[:len(evs)], true
}

// success reports the stream's revision and position after evs.
func success(evs []*event) *api.AppendResp {
	s := &api.AppendResp_Success{
		CurrentRevisionOption: &api.AppendResp_Success_NoStream{NoStream: &shared.Empty{}},
		PositionOption:        &api.AppendResp_Success_NoPosition{NoPosition: &shared.Empty{}},
	}
	if len(evs) > 0 {
		last := evs[len(evs)-1]
		s.CurrentRevisionOption = &api.AppendResp_Success_CurrentRevision{CurrentRevision: last.revision}
		s.PositionOption = &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{
			CommitPosition: last.position, PreparePosition: last.position}}
	}
	return &api.AppendResp{Result: &api.AppendResp_Success_{Success: s}}
}

// wrongVersion reports a failed expectation the way KurrentDB does, with
// both the current fields and the ones of servers before 20.6.
func wrongVersion(exp expectation, current int64) *api.AppendResp {
	w := &api.AppendResp_WrongExpectedVersion{}
	switch exp {
	case expectAny:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: &shared.Empty{}}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_Any_20_6_0{Any_20_6_0: &shared.Empty{}}
	case expectExists:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedStreamExists{ExpectedStreamExists: &shared.Empty{}}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_StreamExists_20_6_0{StreamExists_20_6_0: &shared.Empty{}}
	case expectNoStream:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedNoStream{ExpectedNoStream: &shared.Empty{}}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: ^uint64(0)}
	default:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedRevision{ExpectedRevision: uint64(exp)}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: uint64(exp)}
	}
	if current < 0 {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
		w.CurrentRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_NoStream_20_6_0{NoStream_20_6_0: &shared.Empty{}}
	} else {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: uint64(current)}
		w.CurrentRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_CurrentRevision_20_6_0{CurrentRevision_20_6_0: uint64(current)}
	}
	return &api.AppendResp{Result: &api.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: w}}
}
