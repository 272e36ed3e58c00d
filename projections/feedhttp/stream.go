package feedhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feed"
)

// errWrite marks a failed write to the client: it did not read within the
// write timeout, or the connection broke.
var errWrite = errors.New("write to client")

// keepAlive is the heartbeat: an SSE comment, which clients ignore.
const keepAlive = ": keep-alive\n\n"

// stream writes one subscription to one client as server-sent events.
type stream struct {
	cfg  Config
	w    http.ResponseWriter
	rc   *http.ResponseController
	last uint64 // position of the last event written
	sent int    // events written
}

// run sends the headers, then every batch of sub and a heartbeat when
// idle, until ctx is done, closed is closed, sub fails or a write fails.
// It returns only after it has stopped reading sub.
func (s *stream) run(ctx context.Context, sub eventstore.Subscription, closed <-chan struct{}) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	batches, failed := make(chan []eventstore.Record), make(chan error, 1)
	wg.Go(func() { failed <- pump(ctx, sub, batches) })
	defer wg.Wait()
	defer cancel()
	if err := s.start(); err != nil {
		return err
	}
	beat := time.NewTicker(s.cfg.Heartbeat)
	defer beat.Stop()
	for {
		var err error
		select {
		case recs := <-batches:
			err = s.events(recs)
			beat.Reset(s.cfg.Heartbeat)
		case <-beat.C:
			err = s.write([]byte(keepAlive))
		case err = <-failed:
		case <-ctx.Done():
			err = ctx.Err()
		case <-closed:
			err = errShutdown
		}
		if err != nil {
			return gone(ctx, err)
		}
	}
}

// gone reports ctx's error rather than err when the client went away
// and the subscription failed only as a consequence.
func gone(ctx context.Context, err error) error {
	if ctx.Err() != nil && !errors.Is(err, errShutdown) && !errors.Is(err, errWrite) {
		return ctx.Err()
	}
	return err
}

// pump hands sub's batches over batches, one at a time, so that no more
// than one batch waits for a slow client, until ctx is done or sub fails.
func pump(ctx context.Context, sub eventstore.Subscription, batches chan<- []eventstore.Record) error {
	for {
		recs, err := sub.Next(ctx)
		if err != nil {
			return err
		}
		select {
		case batches <- recs:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// start sends the headers and the reconnection hint at once, so that the
// client knows the stream is open before the first event.
func (s *stream) start() error {
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	s.w.WriteHeader(http.StatusOK)
	return s.write(fmt.Appendf(nil, "retry: %d\n\n", s.cfg.Retry.Milliseconds()))
}

// events writes recs as SSE messages, each with its position as id, in
// one write.
func (s *stream) events(recs []eventstore.Record) error {
	var buf bytes.Buffer
	for _, rec := range recs {
		data, err := json.Marshal(feed.ToEnvelope(rec))
		if err != nil {
			return fmt.Errorf("encode event %d: %w", rec.Position, err)
		}
		fmt.Fprintf(&buf, "id: %d\nevent: %s\ndata: %s\n\n", rec.Position, rec.Type, data)
	}
	if err := s.write(buf.Bytes()); err != nil {
		return err
	}
	s.last, s.sent = recs[len(recs)-1].Position, s.sent+len(recs)
	return nil
}

// write sends p under the write deadline and flushes it.
func (s *stream) write(p []byte) error {
	err := s.rc.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
	if err != nil && !errors.Is(err, http.ErrNotSupported) {
		return fmt.Errorf("%w: set deadline: %w", errWrite, err)
	}
	if _, err := s.w.Write(p); err != nil {
		return fmt.Errorf("%w: %w", errWrite, err)
	}
	if err := s.rc.Flush(); err != nil {
		return fmt.Errorf("%w: flush: %w", errWrite, err)
	}
	return nil
}
