package publish

import (
	"context"
	"fmt"
	"time"
)

// failed records and logs a failed attempt: the first of a run of
// failures as an error, the repeats at debug level.
func (f *Forwarder) failed(err error) {
	f.mu.Lock()
	first := f.st.LastError == ""
	f.st.Failures++
	f.st.LastError = err.Error()
	f.mu.Unlock()
	if first {
		f.log.Error("publish failed; retrying from the checkpoint", "publisher", f.st.Name, "err", err)
	} else {
		f.log.Debug("publish failed again", "publisher", f.st.Name, "err", err)
	}
}

// advanced records that the checkpoint is at position after n more events
// were published, and logs a recovery once.
func (f *Forwarder) advanced(position uint64, n int) {
	f.mu.Lock()
	recovered := n > 0 && f.st.LastError != ""
	f.st.Checkpoint = position
	if n > 0 {
		f.st.Published += uint64(n)
		f.st.Batches++
		f.st.LastError = ""
	}
	f.mu.Unlock()
	if recovered {
		f.log.Info("publishing resumed", "publisher", f.st.Name, "checkpoint", position)
	}
	f.moved.Notify()
}

// WaitFor blocks until the checkpoint has reached position or ctx ends.
func (f *Forwarder) WaitFor(ctx context.Context, position uint64) error {
	for {
		woken := f.moved.C()
		if f.Status().Checkpoint >= position {
			return nil
		}
		select {
		case <-woken:
		case <-ctx.Done():
			return fmt.Errorf("wait for publisher to reach %d (at %d): %w", position, f.Status().Checkpoint, ctx.Err())
		}
	}
}

func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
