package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Channel is the LISTEN/NOTIFY channel on which stores announce appends;
// the payload is the store's schema.
const Channel = "ledgerline_events"

// Timings of the listener and the notifier. While events are held back
// behind an in-flight transaction the listener polls the horizon, first
// after holdFirst, then backing off to holdMax; a lost connection is
// redialled after reconnectMin, backing off to reconnectMax. The notifier
// sends at most one NOTIFY per notifyGap.
const (
	holdFirst    = 20 * time.Millisecond
	holdMax      = 100 * time.Millisecond
	reconnectMin = 50 * time.Millisecond
	reconnectMax = 2 * time.Second
	notifyGap    = 5 * time.Millisecond
)

// listener owns the store's LISTEN connection and wakes subscriptions.
type listener struct {
	cfg    *pgx.ConnConfig
	schema string
	conn   *pgx.Conn
	hold   holdWatch
}

func dialListener(ctx context.Context, cfg *pgx.ConnConfig, schema string) (*listener, error) {
	l := &listener{cfg: cfg.Copy(), schema: schema}
	l.cfg.RuntimeParams["application_name"] = "ledgerline listener"
	return l, l.connect(ctx)
}

func (l *listener) connect(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		_ = conn.Close(ctx)
		return err
	}
	l.conn = conn
	return nil
}

// run wakes wake on every notification for the store's schema until ctx
// is done, redialling when the connection is lost (for instance when the
// server restarts). Each (re)connection wakes wake too, since
// notifications sent while disconnected are lost.
func (l *listener) run(ctx context.Context, horizonSQL string, wake *eventstore.Signal) {
	delay := reconnectMin
	for ctx.Err() == nil {
		if l.conn == nil {
			if err := l.connect(ctx); err != nil {
				sleep(ctx, delay)
				delay = min(2*delay, reconnectMax)
				continue
			}
			delay = reconnectMin
			wake.Notify()
		}
		if err := l.serve(ctx, horizonSQL, wake); err != nil {
			_ = l.conn.Close(context.Background())
			l.conn = nil
		}
	}
	if l.conn != nil {
		_ = l.conn.Close(context.Background())
	}
}

// serve waits for notifications on the current connection; while events
// are held back it wakes up to poll the horizon.
func (l *listener) serve(ctx context.Context, horizonSQL string, wake *eventstore.Signal) error {
	for {
		waitCtx, cancel := l.hold.context(ctx)
		n, err := l.conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil && n.Payload == l.schema:
			wake.Notify()
			l.hold.arm(time.Now())
		case err != nil && !pgconn.Timeout(err):
			return err
		}
		if l.hold.due(time.Now()) {
			if err := l.poll(ctx, horizonSQL, wake); err != nil {
				return err
			}
		}
	}
}

// poll reads the horizon, wakes wake when it moved, and keeps watching
// while committed events are held back behind it.
func (l *listener) poll(ctx context.Context, horizonSQL string, wake *eventstore.Signal) error {
	var last, horizon int64
	if err := l.conn.QueryRow(ctx, horizonSQL).Scan(&last, &horizon); err != nil {
		return err
	}
	if l.hold.moved(horizon) {
		wake.Notify()
	}
	l.hold.next(time.Now(), last >= horizon)
	return nil
}

// holdWatch schedules the listener's horizon polls: one shortly after a
// notification, then more, backing off, for as long as committed events
// are held back.
type holdWatch struct {
	armed   bool
	at      time.Time
	delay   time.Duration
	horizon int64
}

// arm schedules a poll holdFirst after now unless one is scheduled.
func (h *holdWatch) arm(now time.Time) {
	if !h.armed {
		h.armed, h.delay, h.at = true, holdFirst, now.Add(holdFirst)
	}
}

func (h *holdWatch) due(now time.Time) bool { return h.armed && !now.Before(h.at) }

// context bounds a wait by the next scheduled poll, if any.
func (h *holdWatch) context(ctx context.Context) (context.Context, context.CancelFunc) {
	if !h.armed {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, h.at)
}

// moved records horizon and reports whether it differs from the last one.
func (h *holdWatch) moved(horizon int64) bool {
	moved := horizon != h.horizon
	h.horizon = horizon
	return moved
}

// next schedules the following poll if events are still held back.
func (h *holdWatch) next(now time.Time, held bool) {
	h.armed = held
	if held {
		h.delay = min(2*h.delay, holdMax)
		h.at = now.Add(h.delay)
	}
}

// runNotifier sends one NOTIFY for each burst of commits: appends poke it
// after they commit, and the pokes that arrive while a NOTIFY is under way
// or within notifyGap after it coalesce into the next one, so that a busy
// store sends at most a few hundred notifications a second instead of one
// per append. NOTIFY is sent after the commit, not inside the append's
// transaction, because PostgreSQL serialises the commits of notifying
// transactions on a global lock (see doc.go).
func (s *Store) runNotifier(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.notify:
		}
		// A lost NOTIFY only delays other processes' subscribers until
		// their next poll, so errors are not worth reporting here.
		_, _ = s.pool.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, s.cfg.Schema)
		sleep(ctx, notifyGap)
	}
}

// poke wakes this store's subscriptions and asks the notifier to tell
// other processes' ones, without blocking.
func (s *Store) poke() {
	s.wake.Notify()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
