package ops_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/ops"
	"github.com/ledgerline/ledgerline/projections/ops/opstest"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	"github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// stores are the read-model stores every operation is tested on.
var stores = []struct {
	name string
	open func(t *testing.T) readmodel.Store
}{
	{"sqlite", func(t *testing.T) readmodel.Store {
		s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "rm.db"))
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	}},
	{"postgres", func(t *testing.T) readmodel.Store {
		s, err := postgres.Open(t.Context(), pgtest.Database(t), postgres.Config{})
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	}},
}

// forEachStore runs fn as a subtest per read-model store.
func forEachStore(t *testing.T, fn func(t *testing.T, models readmodel.Store)) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) { fn(t, s.open(t)) })
	}
}

// env is an in-memory log with read models.
type env struct {
	events *memory.Store
	models readmodel.Store
	cat    *domain.Catalogue
	seed   uint64
	// minutes since epoch is the store's clock: each add is recorded a
	// minute after the one before.
	minutes atomic.Int64
}

// epoch is when the first events are recorded.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, models readmodel.Store, events int) *env {
	e := &env{models: models, cat: catalogue.New()}
	e.events = memory.New(func() time.Time { return epoch.Add(time.Duration(e.minutes.Load()) * time.Minute) })
	if events > 0 {
		e.add(t, events)
	}
	return e
}

// add appends n more synthetic events, recorded a minute after the
// previous ones, and returns the last position.
func (e *env) add(t *testing.T, n int) uint64 {
	t.Helper()
	if e.seed > 0 {
		e.minutes.Add(1)
	}
	e.seed++
	last, err := opstest.Append(t.Context(), e.events, e.cat, opstest.Config{Events: n, Customers: max(1, n/10), Seed: e.seed, Batch: 500})
	require.NoError(t, err)
	return last
}

func (e *env) head(t *testing.T) uint64 {
	h, err := e.events.Head(t.Context())
	require.NoError(t, err)
	return h
}

func (e *env) runtime(t *testing.T, ps ...projections.Projector) *projections.Runtime {
	rt, err := projections.New(projections.Config{Events: e.events, ReadModels: e.models, Catalogue: e.cat,
		Projectors: ps, MaxBatch: 100, MaxRetries: 2})
	require.NoError(t, err)
	return rt
}

// start runs a runtime of ps until the test ends or stop is called.
func (e *env) start(t *testing.T, ps ...projections.Projector) (*projections.Runtime, func()) {
	rt := e.runtime(t, ps...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	stop := sync.OnceFunc(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			require.NoError(t, err)
		}
	})
	t.Cleanup(stop)
	return rt, stop
}

// catchUp runs ps until they have applied the whole log.
func (e *env) catchUp(t *testing.T, ps ...projections.Projector) {
	rt, stop := e.start(t, ps...)
	waitFor(t, rt, e.head(t))
	stop()
}

func waitFor(t *testing.T, rt *projections.Runtime, position uint64) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	require.NoError(t, rt.WaitFor(ctx, position))
}

func (e *env) operator(t *testing.T, progress func(ops.Progress)) *ops.Operator {
	o, err := ops.New(ops.Config{Events: e.events, ReadModels: e.models, Catalogue: e.cat, Batch: 64, Progress: progress})
	require.NoError(t, err)
	return o
}

// counts returns the timeline's row count and checkpoint, read in one
// statement, so from one snapshot.
func counts(ctx context.Context, q readmodel.Querier) (rows, checkpoint int64, err error) {
	r, err := q.Query(ctx, `SELECT (SELECT COUNT(*) FROM timeline),
		(SELECT COALESCE(MAX(position), 0) FROM projection_checkpoints WHERE projection = 'timeline')`)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	if !r.Next() {
		return 0, 0, errors.Join(errors.New("no row"), r.Err())
	}
	err = r.Scan(&rows, &checkpoint)
	return rows, checkpoint, err
}

// exec runs one statement on the live models, outside any projection.
func exec(t *testing.T, s readmodel.Store, query string, args ...any) {
	t.Helper()
	cp, err := s.Checkpoint(t.Context(), "test-edits")
	require.NoError(t, err)
	require.NoError(t, s.Apply(t.Context(), "test-edits", cp.Position, readmodel.Checkpoint{Position: cp.Position + 1},
		func(ctx context.Context, tx readmodel.Tx) error { return tx.Exec(ctx, query, args...) }))
}

// hidden hides a store's optional capabilities.
type hidden struct{ readmodel.Store }

// noHead hides the event store's HeadReader.
type noHead struct{ eventstore.Store }
