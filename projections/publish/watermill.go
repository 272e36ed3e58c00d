package publish

import (
	"context"
	"errors"
	"fmt"

	"github.com/ThreeDotsLabs/watermill/message"
)

// FromWatermill returns a [Publisher] over a Watermill publisher, which
// must return from Publish only once the broker has acknowledged the
// messages (the adapters in this module's sub-packages do). The context
// reaches the Watermill publisher as every message's Context; if the
// publisher ignores it, Publish still returns when ctx ends, and the
// abandoned call finishes in the background. A context ended by a
// cause (such as the [Forwarder]'s publish timeout, which matches
// [ErrUnavailable]) reports that cause.
func FromWatermill(p message.Publisher) Publisher { return &watermillPublisher{p: p} }

type watermillPublisher struct{ p message.Publisher }

// Publish implements [Publisher].
func (w *watermillPublisher) Publish(ctx context.Context, topic string, msgs []*message.Message) error {
	for _, m := range msgs {
		m.SetContext(ctx)
	}
	done := make(chan error, 1)
	go func() { done <- w.p.Publish(topic, msgs...) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("publish %d messages to %s: %w", len(msgs), topic, context.Cause(ctx))
	case errors.Is(err, ErrUnavailable):
		return fmt.Errorf("publish %d messages to %s: %w", len(msgs), topic, err)
	default:
		return fmt.Errorf("publish %d messages to %s: %w: %v", len(msgs), topic, ErrUnavailable, err)
	}
}

// Close implements [Publisher].
func (w *watermillPublisher) Close() error { return w.p.Close() }
