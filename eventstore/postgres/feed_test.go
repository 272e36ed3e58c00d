package postgres_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
)

// slowPoll is a poll interval no test waits for: whatever a test sees
// before it came through NOTIFY or the listener's horizon polls.
const slowPoll = 10 * time.Second

// prompt is how soon a woken subscriber must see an event: far below
// slowPoll, far above a notification's latency.
const prompt = 3 * time.Second

// TestSequencePositionsSkip shows why positions are not taken from a
// sequence: with the in-flight guard tx < xmin, a transaction that took
// its xid before another but its position after it becomes visible while
// the other is in flight, and a reader resuming after it skips the other's
// event for good.
func TestSequencePositionsSkip(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.Database(t)
	a, b, reader := connect(t, dsn), connect(t, dsn), connect(t, dsn)
	_, err := reader.Exec(ctx, `CREATE TABLE seq_events (
		position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		tx xid8 NOT NULL DEFAULT pg_current_xact_id())`)
	require.NoError(t, err)
	for _, sql := range []string{"BEGIN", "SELECT pg_current_xact_id()"} { // a: xid first
		_, err = a.Exec(ctx, sql)
		require.NoError(t, err)
	}
	for _, sql := range []string{"BEGIN", "INSERT INTO seq_events DEFAULT VALUES"} { // b: position 1, in flight
		_, err = b.Exec(ctx, sql)
		require.NoError(t, err)
	}
	for _, sql := range []string{"INSERT INTO seq_events DEFAULT VALUES", "COMMIT"} { // a: position 2, committed
		_, err = a.Exec(ctx, sql)
		require.NoError(t, err)
	}
	guarded := func(after int64) []int64 {
		rows, err := reader.Query(ctx, `SELECT position FROM seq_events
			WHERE position > $1 AND tx < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY position`, after)
		assert.NoError(t, err)
		got, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		assert.NoError(t, err)
		return got
	}
	// Other sessions' transactions on a shared server may hold both back
	// for a moment; b stays in flight until position 2 shows.
	require.Eventually(t, func() bool { return slices.Equal(guarded(0), []int64{2}) }, prompt, 10*time.Millisecond,
		"the guard lets position 2 through while 1 is in flight")
	_, err = b.Exec(ctx, "COMMIT")
	require.NoError(t, err)
	assert.Empty(t, guarded(2), "a reader resuming after 2 never sees 1")
	assert.Eventually(t, func() bool { return slices.Equal(guarded(0), []int64{1, 2}) }, prompt, 10*time.Millisecond,
		"a reader from the start sees both once no transaction holds the horizon back")
}

// holdTrigger makes a quarter of all appends sleep up to 4 ms after their
// insert, inside their transaction: they hold their positions while later
// transactions commit.
const holdTrigger = `
CREATE FUNCTION ledgerline.hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF random() < 0.25 THEN PERFORM pg_sleep(random() * 0.004); END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER hold AFTER INSERT ON ledgerline.events FOR EACH STATEMENT EXECUTE FUNCTION ledgerline.hold()`

// TestFeedOutOfOrderCommits has concurrent writers commit out of position
// order on purpose, thousands of times, while a subscriber follows the
// feed: it must receive every event exactly once, in position order, and
// each stream in version order.
func TestFeedOutOfOrderCommits(t *testing.T) {
	const writers, appendsEach = 8, 250
	dsn := pgtest.Database(t)
	s := open(t, dsn, postgres.Config{PollInterval: slowPoll, MaxConns: writers + 2})
	_, err := connect(t, dsn).Exec(t.Context(), holdTrigger)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	sub, err := s.Subscribe(ctx, eventstore.SubscribeOptions{})
	require.NoError(t, err)
	received := make(chan []eventstore.Record, 1024)
	go follow(ctx, sub, received)

	stopSampling := sampleHeldBack(t, connect(t, dsn))
	appended := appendConcurrently(t, s, writers, appendsEach)
	held := stopSampling()
	t.Logf("%d events appended; committed events seen held back %d times", len(appended), held)
	require.Positive(t, held, "the writers never committed out of order: the test proves nothing")
	got := collect(t, received, len(appended), 5*time.Second)

	seen := map[uuid.UUID]bool{}
	streamAt := map[string]uint64{}
	for i, r := range got {
		require.Falsef(t, seen[r.ID], "event %s delivered twice", r.ID)
		seen[r.ID] = true
		require.Truef(t, appended[r.ID], "event %s was never appended", r.ID)
		if i > 0 {
			require.Greater(t, r.Position, got[i-1].Position, "positions increase")
		}
		require.Equal(t, streamAt[r.Stream]+1, r.Version, "stream %s in version order", r.Stream)
		streamAt[r.Stream] = r.Version
	}
	_, err = eventstore.Verify(t.Context(), s, nil)
	require.NoError(t, err)
}

// sampleHeldBack counts how often committed events sat above the horizon,
// behind an in-flight transaction, until stop is called; stop returns the
// count.
func sampleHeldBack(t *testing.T, conn *pgx.Conn) (stop func() int) {
	done, count := make(chan struct{}), make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-done:
				count <- n
				return
			default:
			}
			var held bool
			err := conn.QueryRow(t.Context(), `SELECT EXISTS (SELECT 1 FROM ledgerline.events
				WHERE position >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16)`).Scan(&held)
			assert.NoError(t, err)
			if held {
				n++
			}
		}
	}()
	return func() int { close(done); return <-count }
}

// follow sends every batch sub delivers to out until ctx is done.
func follow(ctx context.Context, sub eventstore.Subscription, out chan<- []eventstore.Record) {
	for {
		recs, err := sub.Next(ctx)
		if err != nil {
			return
		}
		out <- recs
	}
}

// collect reads batches from in until it holds n events, or fails after d.
func collect(t *testing.T, in <-chan []eventstore.Record, n int, d time.Duration) []eventstore.Record {
	t.Helper()
	var got []eventstore.Record
	deadline := time.After(d)
	for len(got) < n {
		select {
		case recs := <-in:
			got = append(got, recs...)
		case <-deadline:
			t.Fatalf("subscriber received %d of %d events within %s", len(got), n, d)
		}
	}
	return got
}

// appendConcurrently has writers append appendsEach commands of 1–3
// events each to a few streams, and returns the ids appended.
func appendConcurrently(t *testing.T, s eventstore.Store, writers, appendsEach int) map[uuid.UUID]bool {
	var mu sync.Mutex
	appended := map[uuid.UUID]bool{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for range appendsEach {
				evs := events(1 + rand.IntN(3))
				stream := []string{"customer-a", "customer-b", "customer-c", "lead-d"}[rand.IntN(4)]
				_, err := s.Append(t.Context(), stream, eventstore.Any, evs)
				if !assert.NoErrorf(t, err, "writer %d", w) {
					return
				}
				mu.Lock()
				for _, ev := range evs {
					appended[ev.ID] = true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return appended
}

// TestIdleSubscriberWokenByNotify has one store wait on an empty log and
// another (standing for another process) append: the event must arrive
// through NOTIFY, long before the poll interval.
func TestIdleSubscriberWokenByNotify(t *testing.T) {
	dsn := pgtest.Database(t)
	reader := open(t, dsn, postgres.Config{PollInterval: slowPoll})
	writer := open(t, dsn, postgres.Config{PollInterval: slowPoll})
	sub, err := reader.Subscribe(t.Context(), eventstore.SubscribeOptions{})
	require.NoError(t, err)
	waiting := next(t.Context(), sub)
	time.Sleep(50 * time.Millisecond) // let Next find the log empty and wait
	evs := events(1)
	start := time.Now()
	_, err = writer.Append(t.Context(), "customer-a", eventstore.NoStream, evs)
	require.NoError(t, err)
	recs := await(t, waiting, prompt, "idle subscriber")
	t.Logf("event arrived %s after the append began", time.Since(start))
	require.Len(t, recs, 1)
	assert.Equal(t, evs[0].ID, recs[0].ID)
}

// TestHeldBackEventsReleasedWithoutNotify holds the feed back with a
// transaction that is not an append (so its end sends no NOTIFY), for
// longer than a read waits: the subscriber must not see the event while it
// is open, and must see it promptly once it ends, through the listener's
// horizon polls.
func TestHeldBackEventsReleasedWithoutNotify(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.Database(t)
	s := open(t, dsn, postgres.Config{PollInterval: slowPoll, HoldBackWait: time.Millisecond})
	blocker := connect(t, dsn)
	_, err := blocker.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	_, err = blocker.Exec(ctx, "SELECT pg_current_xact_id()")
	require.NoError(t, err)
	evs := events(2)
	_, err = s.Append(ctx, "customer-a", eventstore.NoStream, evs)
	require.NoError(t, err)

	sub, err := s.Subscribe(ctx, eventstore.SubscribeOptions{})
	require.NoError(t, err)
	waiting := next(ctx, sub)
	select {
	case r := <-waiting:
		t.Fatalf("delivered %d events while an older transaction was in flight (err %v)", len(r.recs), r.err)
	case <-time.After(300 * time.Millisecond):
	}
	_, err = blocker.Exec(ctx, "ROLLBACK")
	require.NoError(t, err)
	recs := await(t, waiting, prompt, "subscriber after the blocker ended")
	require.Len(t, recs, 2)
	assert.Equal(t, evs[0].ID, recs[0].ID)
}

// TestListenerReconnects kills the listener's connection, as a server
// restart would: the store must listen again and wake its subscriber
// promptly.
func TestListenerReconnects(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.Database(t)
	reader := open(t, dsn, postgres.Config{PollInterval: slowPoll})
	admin := connect(t, dsn)
	old := listenerPID(t, admin)
	_, err := admin.Exec(ctx, "SELECT pg_terminate_backend($1)", old)
	require.NoError(t, err)
	require.Eventually(t, func() bool { p := listenerPID(t, admin); return p != 0 && p != old },
		prompt, 10*time.Millisecond, "listener reconnects")

	sub, err := reader.Subscribe(ctx, eventstore.SubscribeOptions{})
	require.NoError(t, err)
	waiting := next(ctx, sub)
	time.Sleep(50 * time.Millisecond)
	writer := open(t, dsn, postgres.Config{PollInterval: slowPoll})
	_, err = writer.Append(ctx, "customer-a", eventstore.NoStream, events(1))
	require.NoError(t, err)
	require.Len(t, await(t, waiting, prompt, "subscriber after reconnect"), 1)
}

// listenerPID returns the backend pid of the (one) listener connected to
// conn's database, 0 if none is.
func listenerPID(t *testing.T, conn *pgx.Conn) int32 {
	var pid int32
	err := conn.QueryRow(t.Context(), `SELECT coalesce(max(pid), 0) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'ledgerline listener'`).Scan(&pid)
	require.NoError(t, err)
	return pid
}
