package projections_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

type noted struct {
	N int `json:"n"`
}

func (noted) EventType() string { return "test.noted" }

var testCatalogue = domain.NewCatalogue([]domain.EventSpec{domain.Define[noted](1, nil)})

// counter sums n per stream into a table; it fails permanently on n < 0
// and transiently on its first failAfter-th batch.
type counter struct {
	transient atomic.Int32
	batches   atomic.Int32
}

func (*counter) Name() string { return "counter" }

func (*counter) Schema(readmodel.Dialect) []string {
	return []string{`CREATE TABLE IF NOT EXISTS counter (stream TEXT PRIMARY KEY, total BIGINT NOT NULL, events BIGINT NOT NULL)`}
}

func (c *counter) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	c.batches.Add(1)
	if c.transient.Add(-1) >= 0 {
		return fmt.Errorf("simulated transient failure")
	}
	for _, e := range events {
		p, err := e.Payload()
		n, ok := p.(noted)
		if err != nil || !ok || n.N < 0 {
			return fmt.Errorf("%w: event %s is not a positive note", projections.ErrPermanent, e.ID)
		}
		err = tx.Exec(ctx, `INSERT INTO counter (stream, total, events) VALUES ($1, $2, 1)
			ON CONFLICT (stream) DO UPDATE SET total = counter.total + excluded.total, events = counter.events + 1`, e.Stream, n.N)
		if err != nil {
			return err
		}
	}
	return nil
}

type fixture struct {
	events *memory.Store
	models *sqlite.Store
}

func newFixture(t *testing.T) fixture {
	models, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rm.db"))
	require.NoError(t, err)
	t.Cleanup(func() { models.Close() })
	return fixture{events: memory.New(nil), models: models}
}

func (f fixture) append(t *testing.T, stream string, ns ...int) uint64 {
	t.Helper()
	var evs []eventstore.EventData
	for _, n := range ns {
		data, _ := json.Marshal(noted{N: n})
		evs = append(evs, eventstore.EventData{ID: uuid.New(), Type: "test.noted", SchemaVersion: 1, Data: data,
			OccurredAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	res, err := f.events.Append(context.Background(), stream, eventstore.Any, evs)
	require.NoError(t, err)
	return res.LastPosition
}

// start runs a runtime until the test ends or stop is called.
func (f fixture) start(t *testing.T, p projections.Projector) (*projections.Runtime, func()) {
	return f.startLogging(t, p, nil)
}

func (f fixture) startLogging(t *testing.T, p projections.Projector, log *slog.Logger) (*projections.Runtime, func()) {
	rt, err := projections.New(projections.Config{Events: f.events, ReadModels: f.models, Catalogue: testCatalogue,
		Projectors: []projections.Projector{p}, MaxBatch: 50, MaxRetries: 2, Logger: log})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	stop := sync.OnceFunc(func() {
		cancel()
		require.NoError(t, <-done)
	})
	t.Cleanup(stop)
	return rt, stop
}

func (f fixture) totals(t *testing.T) map[string][2]int64 {
	rows, err := f.models.Query(context.Background(), `SELECT stream, total, events FROM counter`)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string][2]int64{}
	for rows.Next() {
		var s string
		var total, events int64
		require.NoError(t, rows.Scan(&s, &total, &events))
		out[s] = [2]int64{total, events}
	}
	return out
}

func wait(t *testing.T, rt *projections.Runtime, pos uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, rt.WaitFor(ctx, pos))
}

func TestRuntimeAppliesHistoryThenLiveEventsOnce(t *testing.T) {
	f := newFixture(t)
	for i := range 120 {
		f.append(t, fmt.Sprintf("s-%d", i%3), 1, 2)
	}
	rt, _ := f.start(t, &counter{})
	last := f.append(t, "s-0", 5)
	wait(t, rt, last)
	got := f.totals(t)
	assert.Equal(t, [2]int64{40*3 + 5, 81}, got["s-0"])
	assert.Equal(t, [2]int64{40 * 3, 80}, got["s-1"])
}

func TestRuntimeRestartResumesFromCheckpoint(t *testing.T) {
	f := newFixture(t)
	f.append(t, "a", 1, 1, 1)
	rt, stop := f.start(t, &counter{})
	wait(t, rt, 3)
	stop()
	last := f.append(t, "a", 1, 1)
	rt, _ = f.start(t, &counter{})
	wait(t, rt, last)
	assert.Equal(t, [2]int64{5, 5}, f.totals(t)["a"])
}

func TestRuntimeRetriesTransientFailures(t *testing.T) {
	f := newFixture(t)
	last := f.append(t, "a", 1, 2, 3)
	c := &counter{}
	c.transient.Store(4) // more than MaxRetries: the batch is nacked and read again
	var logs syncBuffer
	rt, _ := f.startLogging(t, c, slog.New(slog.NewTextHandler(&logs, nil)))
	wait(t, rt, last)
	assert.Equal(t, [2]int64{6, 3}, f.totals(t)["a"])
	assert.GreaterOrEqual(t, c.batches.Load(), int32(5))
	assert.Regexp(t, `msg="projection resumed" projection=counter position=3 failed_attempts=4`, logs.String())
}

func TestRuntimePoisonsPermanentFailuresAndGoesOn(t *testing.T) {
	f := newFixture(t)
	f.append(t, "bad", -1)
	rt, _ := f.start(t, &counter{})
	wait(t, rt, 1)
	last := f.append(t, "good", 7)
	wait(t, rt, last)
	assert.Equal(t, [2]int64{7, 1}, f.totals(t)["good"])
	rows, err := f.models.Query(context.Background(), `SELECT projection, after_position, last_position, reason, payload FROM projection_poison`)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "the poisoned batch is recorded")
	var name, reason, payload string
	var after, lastPos int64
	require.NoError(t, rows.Scan(&name, &after, &lastPos, &reason, &payload))
	assert.Contains(t, payload, `"type":"test.noted"`, "operators read the poisoned events as JSON")
	assert.Equal(t, "counter", name)
	assert.Equal(t, [2]int64{0, 1}, [2]int64{after, lastPos})
	assert.Contains(t, reason, "not a positive note")
}

// syncBuffer is a bytes.Buffer safe for the runtime's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cancelledMidMigrate is a read-model store whose Migrate is cut off the
// way a driver reports a context cancelled during the commit: the context
// ends and the error says nothing of it.
type cancelledMidMigrate struct {
	readmodel.Store
	cancel context.CancelFunc
}

func (s cancelledMidMigrate) Migrate(context.Context, []string) error {
	s.cancel()
	return errors.New("commit read-model transaction: sql: transaction has already been committed or rolled back")
}

func TestRuntimeReportsACancellationDuringItsMigration(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	rt, err := projections.New(projections.Config{Events: f.events, ReadModels: cancelledMidMigrate{Store: f.models, cancel: cancel},
		Catalogue: testCatalogue, Projectors: []projections.Projector{&counter{}}})
	require.NoError(t, err)
	err = rt.Run(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "already been committed or rolled back")
}
