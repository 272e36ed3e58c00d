package feed

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// codecVersion leads every encoded batch, so that a format change is
// detected rather than misread.
const codecVersion = 1

// Encode returns recs in the batch wire format: a version byte, then per
// record its fields length-prefixed in a fixed order. It is a private,
// in-process format (JSON costs more than the projection itself); the
// public feed for services uses [Envelope].
func Encode(recs []eventstore.Record) ([]byte, error) {
	size := 1
	for _, r := range recs {
		size += 128 + len(r.Stream) + len(r.Type) + len(r.Metadata.Actor) + len(r.Data) + len(r.Hash)
	}
	b := make([]byte, 0, size)
	b = append(b, codecVersion)
	b = binary.AppendUvarint(b, uint64(len(recs)))
	for _, r := range recs {
		b = appendRecord(b, r)
	}
	return b, nil
}

func appendRecord(b []byte, r eventstore.Record) []byte {
	b = append(b, r.ID[:]...)
	b = appendBytes(b, []byte(r.Stream))
	b = binary.AppendUvarint(b, r.Version)
	b = binary.AppendUvarint(b, r.Position)
	b = appendBytes(b, []byte(r.Type))
	b = binary.AppendUvarint(b, uint64(r.SchemaVersion))
	b = binary.AppendVarint(b, r.OccurredAt.UnixMicro())
	b = binary.AppendVarint(b, r.RecordedAt.UnixMicro())
	b = appendBytes(b, []byte(r.Metadata.Actor))
	b = append(b, r.Metadata.CommandID[:]...)
	b = append(b, r.Metadata.CorrelationID[:]...)
	b = append(b, r.Metadata.CausationID[:]...)
	b = appendBytes(b, r.Hash)
	return appendBytes(b, r.Data)
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// errShort reports a truncated or corrupt batch.
var errShort = errors.New("batch is truncated or corrupt")

// reader consumes an encoded batch; the first failure sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || uint64(len(r.b)) < n {
		r.err = errShort
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) uuid() uuid.UUID {
	var id uuid.UUID
	if len(r.b) < len(id) {
		r.err = errShort
		return id
	}
	copy(id[:], r.b)
	r.b = r.b[len(id):]
	return id
}

func (r *reader) record() eventstore.Record {
	var rec eventstore.Record
	rec.ID = r.uuid()
	rec.Stream = string(r.bytes())
	rec.Version = r.uvarint()
	rec.Position = r.uvarint()
	rec.Type = string(r.bytes())
	rec.SchemaVersion = int(r.uvarint())
	rec.OccurredAt = time.UnixMicro(r.varint()).UTC()
	rec.RecordedAt = time.UnixMicro(r.varint()).UTC()
	rec.Metadata.Actor = string(r.bytes())
	rec.Metadata.CommandID = r.uuid()
	rec.Metadata.CorrelationID = r.uuid()
	rec.Metadata.CausationID = r.uuid()
	rec.Hash = r.bytes()
	rec.Data = r.bytes()
	return rec
}

// Decode parses a batch that Encode produced.
func Decode(payload []byte) ([]eventstore.Record, error) {
	if len(payload) == 0 || payload[0] != codecVersion {
		return nil, fmt.Errorf("decode batch: unknown format")
	}
	r := &reader{b: payload[1:]}
	n := r.uvarint()
	if r.err != nil || n > uint64(len(payload)) {
		return nil, fmt.Errorf("decode batch: %w", errShort)
	}
	recs := make([]eventstore.Record, n)
	for i := range recs {
		recs[i] = r.record()
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, fmt.Errorf("decode batch: %w", errShort)
	}
	return recs, nil
}
