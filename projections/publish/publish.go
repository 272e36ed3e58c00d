package publish

import (
	"context"
	"errors"

	"github.com/ThreeDotsLabs/watermill/message"
)

// ErrUnavailable means the broker did not acknowledge a publish: it was
// unreachable, refused the messages or did not answer in time. Some of the
// messages may have been stored; publishing them again is safe and may
// succeed.
var ErrUnavailable = errors.New("publish: broker unavailable")

// Publisher is the port every broker adapter provides: it sends messages
// to a topic and tells when the broker holds them. Implementations are
// safe for concurrent use; the [Forwarder] publishes the topics of a
// batch from separate goroutines.
type Publisher interface {
	// Publish sends msgs to topic, in order, and returns nil only once the
	// broker has acknowledged every one of them (stored it, or routed it
	// to durable queues). Otherwise it returns an error matching
	// [ErrUnavailable], or ctx's error when ctx ended first; then any
	// subset of msgs may have been stored, and the caller publishes all
	// of them again.
	Publish(ctx context.Context, topic string, msgs []*message.Message) error
	// Close releases the broker connection; it is idempotent.
	Close() error
}
