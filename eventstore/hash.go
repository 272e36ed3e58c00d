package eventstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"
)

// HashSize is the length of an event hash in bytes.
const HashSize = sha256.Size

// ChainHash returns the SHA-256 hash that links rec to prev, the hash of
// its predecessor in the stream (nil for a stream's first event). It covers
// every stored field but the global position, which some backends assign
// only after the hash is written: id, stream, version, type, schema version,
// occurred_at and recorded_at (microseconds), actor, command, correlation
// and causation ids, and the payload bytes as stored.
func ChainHash(prev []byte, rec Record) []byte {
	b := make([]byte, 0, 256+len(rec.Stream)+len(rec.Type)+len(rec.Metadata.Actor)+len(rec.Data))
	b = appendField(b, prev)
	b = appendField(b, rec.ID[:])
	b = appendField(b, []byte(rec.Stream))
	b = binary.BigEndian.AppendUint64(b, rec.Version)
	b = appendField(b, []byte(rec.Type))
	b = binary.BigEndian.AppendUint64(b, uint64(rec.SchemaVersion))
	b = binary.BigEndian.AppendUint64(b, uint64(rec.OccurredAt.UnixMicro()))
	b = binary.BigEndian.AppendUint64(b, uint64(rec.RecordedAt.UnixMicro()))
	b = appendField(b, []byte(rec.Metadata.Actor))
	b = appendField(b, rec.Metadata.CommandID[:])
	b = appendField(b, rec.Metadata.CorrelationID[:])
	b = appendField(b, rec.Metadata.CausationID[:])
	b = appendField(b, rec.Data)
	sum := sha256.Sum256(b)
	return sum[:]
}

// appendField appends v with its length as a big-endian uint64 prefix, so
// that no two different field sequences encode to the same bytes.
func appendField(b, v []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(v)))
	return append(b, v...)
}

// Micro truncates t to the microsecond precision every backend stores, in
// UTC.
func Micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// VerifyReport summarises a successful [Verify].
type VerifyReport struct {
	Streams      int    `json:"streams"`
	Events       int    `json:"events"`
	LastPosition uint64 `json:"last_position"`
}

// VerifyPageSize is how many events [Verify] reads per call of ReadAll.
const VerifyPageSize = 4096

// Verify reads the whole global log of s and recomputes every stream's hash
// chain. It returns a *TamperError naming the first event whose version,
// position or hash does not match, and calls progress (if not nil) after
// each page with the number of events checked so far.
func Verify(ctx context.Context, s Store, progress func(events int)) (VerifyReport, error) {
	var rep VerifyReport
	heads := map[string]chainHead{}
	for {
		page, err := s.ReadAll(ctx, ReadAllOptions{After: rep.LastPosition, Limit: VerifyPageSize})
		if err != nil {
			return rep, fmt.Errorf("verify: read after %d: %w", rep.LastPosition, err)
		}
		if len(page) == 0 {
			rep.Streams = len(heads)
			return rep, nil
		}
		for _, rec := range page {
			if err := checkLink(heads, rep.LastPosition, rec); err != nil {
				return rep, err
			}
			rep.Events++
			rep.LastPosition = rec.Position
		}
		if progress != nil {
			progress(rep.Events)
		}
	}
}

type chainHead struct {
	version uint64
	hash    []byte
}

func checkLink(heads map[string]chainHead, lastPos uint64, rec Record) error {
	head := heads[rec.Stream]
	fail := func(format string, args ...any) error {
		return &TamperError{Stream: rec.Stream, Version: rec.Version, Position: rec.Position,
			EventID: rec.ID.String(), Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case rec.Position <= lastPos:
		return fail("position %d does not follow %d", rec.Position, lastPos)
	case rec.Version != head.version+1:
		return fail("version follows %d: an event is missing or moved", head.version)
	}
	want := ChainHash(head.hash, rec)
	if !bytes.Equal(want, rec.Hash) {
		return fail("hash mismatch: stored %x, computed %x: the event or its predecessor was altered", rec.Hash, want)
	}
	heads[rec.Stream] = chainHead{version: rec.Version, hash: rec.Hash}
	return nil
}
