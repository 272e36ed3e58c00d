package nats

import (
	"context"
	"fmt"
	"time"

	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/publish"
)

// handle decodes msg and calls the handler until it succeeds or ctx ends.
// A message that cannot be decoded is logged and skipped: retrying cannot
// cure it, and the event can still be read from the store.
func (c *Consumer) handle(ctx context.Context, msg jetstream.Msg) error {
	env, err := decode(msg)
	if err != nil {
		c.log.Error("consumer skips an undecodable message", "group", c.cfg.Group, "subject", msg.Subject(), "err", err)
		return nil
	}
	delay := c.cfg.RetryDelay
	for {
		err := c.cfg.Handler(ctx, env)
		if err == nil {
			c.handled.Add(1)
			return nil
		}
		c.log.Warn("consumer handler failed; retrying the event", "group", c.cfg.Group, "event_id", env.EventID, "err", err)
		if !sleep(ctx, delay) {
			return fmt.Errorf("handle event %s: %w", env.EventID, ctx.Err())
		}
		delay = min(2*delay, maxRetryDelay)
	}
}

// decode reads a message the way a Watermill NATS subscriber would, then
// its envelope.
func decode(msg jetstream.Msg) (feed.Envelope, error) {
	nm := &nats.Msg{Subject: msg.Subject(), Data: msg.Data(), Header: msg.Headers()}
	wm, err := (&wmnats.NATSMarshaler{}).Unmarshal(nm)
	if err != nil {
		return feed.Envelope{}, fmt.Errorf("unmarshal %s message: %w", msg.Subject(), err)
	}
	return publish.Decode(wm)
}

// sleep waits d or until ctx ends, and reports whether ctx is still
// alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
