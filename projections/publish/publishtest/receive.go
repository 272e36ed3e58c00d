package publishtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/require"
)

// received is a message as the suite read it, with its topic.
type received struct {
	topic string
	msg   *message.Message
}

// receiver reads every topic of a broker into one list.
type receiver struct {
	mu   sync.Mutex
	got  []received
	more chan struct{}
}

// receive subscribes to every topic of r's broker and collects what
// arrives until the case ends.
func (r *rig) receive() *receiver {
	rc := &receiver{more: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(bounded(r.t))
	r.t.Cleanup(cancel)
	for _, topic := range r.broker.Sharding.WithDefaults().Topics() {
		ch, err := r.broker.Subscriber.Subscribe(ctx, topic)
		require.NoError(r.t, err, "subscribe to %s", topic)
		go rc.drain(topic, ch)
	}
	return rc
}

func (rc *receiver) drain(topic string, ch <-chan *message.Message) {
	for m := range ch {
		rc.mu.Lock()
		rc.got = append(rc.got, received{topic: topic, msg: m})
		rc.mu.Unlock()
		m.Ack()
		select {
		case rc.more <- struct{}{}:
		default:
		}
	}
}

// wait returns what arrived once at least n messages did and no more
// came for quiet (so that late duplicates are counted too).
func (rc *receiver) wait(t testing.TB, n int, quiet time.Duration) []received {
	t.Helper()
	ctx := bounded(t)
	for {
		rc.mu.Lock()
		have := len(rc.got)
		rc.mu.Unlock()
		select {
		case <-rc.more:
			continue
		case <-time.After(quiet):
			if have >= n {
				rc.mu.Lock()
				defer rc.mu.Unlock()
				return append([]received(nil), rc.got...)
			}
		case <-ctx.Done():
			require.FailNow(t, "messages missing", "received %d of %d", have, n)
		}
	}
}

func waitUntil(ctx context.Context, cond func() bool) bool {
	for !cond() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(10 * time.Millisecond):
		}
	}
	return true
}
