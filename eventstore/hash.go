package eventstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
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
	h := sha256.New()
	writeField(h, prev)
	writeField(h, rec.ID[:])
	writeField(h, []byte(rec.Stream))
	writeUint(h, rec.Version)
	writeField(h, []byte(rec.Type))
	writeUint(h, uint64(rec.SchemaVersion))
	writeUint(h, uint64(rec.OccurredAt.UnixMicro()))
	writeUint(h, uint64(rec.RecordedAt.UnixMicro()))
	writeField(h, []byte(rec.Metadata.Actor))
	writeField(h, rec.Metadata.CommandID[:])
	writeField(h, rec.Metadata.CorrelationID[:])
	writeField(h, rec.Metadata.CausationID[:])
	writeField(h, rec.Data)
	return h.Sum(nil)
}

func writeField(h hash.Hash, b []byte) {
	writeUint(h, uint64(len(b)))
	h.Write(b)
}

func writeUint(h hash.Hash, v uint64) {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], v)
	h.Write(buf[:])
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
