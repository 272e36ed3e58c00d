package ops_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/ops"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

func TestRebuildEqualsLive(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 600)
		e.catchUp(t, timeline.New())
		rep := rebuild1(t, e.operator(t, nil), timeline.New())
		assert.Equal(t, uint64(600), rep.Events)
		assert.Equal(t, uint64(600), rep.Position)
		assert.Equal(t, []string{"customers", "timeline"}, rep.Tables)
		assert.Positive(t, rep.EventsPerSecond)

		v, err := e.operator(t, nil).Verify(t.Context(), timeline.New())
		require.NoError(t, err)
		assert.True(t, v.Equal, "%+v", v.Tables)
		assert.Equal(t, uint64(600), v.Position)
		requireNoShadows(t, models)
	})
}

// TestRebuildShowsReadersACompleteModel queries the live timeline while it
// is rebuilt and while events arrive: every answer is a whole model, one
// row per event up to its checkpoint. The rebuild reads on to the events
// appended during its bulk pass, and its checkpoint is the one swapped in.
func TestRebuildShowsReadersACompleteModel(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 1500)
		e.catchUp(t, timeline.New())
		var stop atomic.Bool
		var samples atomic.Int64
		var wg sync.WaitGroup
		var bad error
		wg.Go(func() {
			for !stop.Load() {
				rows, checkpoint, err := counts(context.Background(), models)
				if err == nil && rows != checkpoint {
					err = fmt.Errorf("a reader saw %d timeline rows at checkpoint %d", rows, checkpoint)
				}
				if err != nil {
					bad = err
					return
				}
				samples.Add(1)
			}
		})
		var appended sync.Once
		reps, err := e.operator(t, func(p ops.Progress) {
			appended.Do(func() { e.add(t, 300) })
		}).Rebuild(t.Context(), timeline.New())
		stop.Store(true)
		wg.Wait()
		require.NoError(t, err)
		rep := reps[0]
		require.NoError(t, bad)
		assert.Positive(t, samples.Load())
		assert.Equal(t, uint64(1800), rep.Position, "the rebuild reads on to the events appended during it")
		rows, checkpoint, err := counts(t.Context(), models)
		require.NoError(t, err)
		assert.Equal(t, int64(1800), rows)
		assert.Equal(t, int64(1800), checkpoint)
	})
}

// TestRebuildWhileTheRuntimeRuns rebuilds the timeline while its live
// runtime applies new events: the runtime resumes from the swapped-in
// checkpoint, and the model ends equal to a fresh rebuild.
func TestRebuildWhileTheRuntimeRuns(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 800)
		rt, _ := e.start(t, timeline.New())
		waitFor(t, rt, e.head(t))
		var during sync.Once
		_, err := e.operator(t, func(ops.Progress) {
			during.Do(func() { e.add(t, 200) })
		}).Rebuild(t.Context(), timeline.New())
		require.NoError(t, err)
		waitFor(t, rt, e.add(t, 100))
		v, err := e.operator(t, nil).Verify(t.Context(), timeline.New())
		require.NoError(t, err)
		assert.True(t, v.Equal, "%+v", v.Tables)
		assert.Equal(t, uint64(1100), v.Position)
	})
}

func TestVerifyFindsAlteredRows(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 300)
		e.catchUp(t, timeline.New())
		o := e.operator(t, nil)

		exec(t, models, `UPDATE timeline SET summary = $1 WHERE position = $2`, "tampered", int64(7))
		v, err := o.Verify(t.Context(), timeline.New())
		require.NoError(t, err)
		require.False(t, v.Equal)
		check := table(t, v, "timeline")
		assert.Equal(t, check.LiveRows, check.RebuiltRows)
		assert.NotEqual(t, check.LiveChecksum, check.RebuiltChecksum)
		assert.Contains(t, check.Difference, "position=7")
		assert.Contains(t, check.Difference, `column summary is "tampered" live`)
		assert.True(t, table(t, v, "customers").Equal)

		exec(t, models, `DELETE FROM customers WHERE source_id = $1`, "S0000003")
		v, err = o.Verify(t.Context(), timeline.New())
		require.NoError(t, err)
		check = table(t, v, "customers")
		assert.Equal(t, check.LiveRows+1, check.RebuiltRows)
		assert.Contains(t, check.Difference, "key (customer_id=")
	})
}

func rebuild1(t *testing.T, o *ops.Operator, p projections.Projector) ops.Report {
	t.Helper()
	reps, err := o.Rebuild(t.Context(), p)
	require.NoError(t, err)
	require.Len(t, reps, 1)
	return reps[0]
}

func table(t *testing.T, v ops.Verification, name string) ops.TableCheck {
	for _, c := range v.Tables {
		if c.Table == name {
			return c
		}
	}
	t.Fatalf("no check of table %s in %+v", name, v.Tables)
	return ops.TableCheck{}
}

// picky keeps one row per event and refuses, permanently, every event
// whose position is a multiple of 50.
type picky struct{}

func (picky) Name() string { return "picky" }

func (picky) Schema(readmodel.Dialect) []string {
	return []string{`CREATE TABLE IF NOT EXISTS picky (position BIGINT PRIMARY KEY, type TEXT NOT NULL)`}
}

func (picky) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	for _, e := range events {
		if e.Position%50 == 0 {
			return fmt.Errorf("%w: picky refuses event %d", projections.ErrPermanent, e.Position)
		}
		if err := tx.Exec(ctx, `INSERT INTO picky (position, type) VALUES ($1, $2)`, int64(e.Position), e.Type); err != nil {
			return err
		}
	}
	return nil
}

// TestRebuildSkipsRefusedEventsOnly rebuilds a projection that refuses
// some events: the runtime skipped whole batches of them, the rebuild
// skips only the refused events and records exactly those as poison.
func TestRebuildSkipsRefusedEventsOnly(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 400)
		e.catchUp(t, picky{})
		o := e.operator(t, nil)
		before, err := o.Status(t.Context(), []string{"picky"})
		require.NoError(t, err)
		assert.Positive(t, before[0].Poisoned)

		rep := rebuild1(t, o, picky{})
		assert.Equal(t, 8, rep.Skipped)
		assert.Equal(t, uint64(400), rep.Position)
		after, err := o.Status(t.Context(), []string{"picky"})
		require.NoError(t, err)
		assert.Equal(t, int64(8), after[0].Poisoned)
		assert.Contains(t, after[0].LastError, "picky refuses event 400")
		v, err := o.Verify(t.Context(), picky{})
		require.NoError(t, err)
		assert.True(t, v.Equal)
		assert.Equal(t, int64(392), v.Tables[0].LiveRows)
	})
}

func TestStatus(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 300)
		e.catchUp(t, timeline.New())
		e.add(t, 40)
		exec(t, models, `INSERT INTO projection_poison (projection, after_position, last_position, reason, payload)
			VALUES ($1, 1, 2, $2, '[]')`, "timeline", "bad payload")
		got, err := e.operator(t, nil).Status(t.Context(), []string{"timeline", "newcomer"})
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, uint64(300), got[0].Position)
		assert.Equal(t, uint64(340), got[0].Head)
		assert.Equal(t, uint64(40), got[0].LagEvents)
		assert.False(t, got[0].LagEstimated)
		assert.Equal(t, 60.0, got[0].LagSeconds, "the last 40 events were recorded a minute after the first 300")
		assert.Equal(t, int64(1), got[0].Poisoned)
		assert.Equal(t, "bad payload", got[0].LastError)
		assert.Nil(t, got[0].Rebuild)
		assert.Equal(t, uint64(0), got[1].Position)
		assert.Equal(t, uint64(340), got[1].LagEvents)
		assert.False(t, got[1].LagEstimated)
		assert.Equal(t, 60.0, got[1].LagSeconds, "a projection that applied nothing lags from the first event")
	})
}

// TestStatusSeesARebuildInProgress asks for status from inside a rebuild.
func TestStatusSeesARebuildInProgress(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 300)
		var during []ops.Status
		var once sync.Once
		o := e.operator(t, nil)
		_, err := e.operator(t, func(ops.Progress) {
			once.Do(func() {
				var err error
				during, err = o.Status(t.Context(), []string{"timeline"})
				require.NoError(t, err)
			})
		}).Rebuild(t.Context(), timeline.New())
		require.NoError(t, err)
		require.Len(t, during, 1)
		require.NotNil(t, during[0].Rebuild)
		assert.True(t, during[0].Rebuild.Running)
		after, err := o.Status(t.Context(), []string{"timeline"})
		require.NoError(t, err)
		assert.Nil(t, after[0].Rebuild)
	})
}

func TestRebuildNeedsShadows(t *testing.T) {
	e := newEnv(t, stores[0].open(t), 10)
	o, err := ops.New(ops.Config{Events: e.events, ReadModels: hidden{e.models}, Catalogue: e.cat})
	require.NoError(t, err)
	_, err = o.Rebuild(t.Context(), timeline.New())
	require.ErrorIs(t, err, ops.ErrNoShadows)
	_, err = o.Verify(t.Context(), timeline.New())
	require.ErrorIs(t, err, ops.ErrNoShadows)
}

func TestConfigValidate(t *testing.T) {
	_, err := ops.New(ops.Config{Batch: -1})
	require.Error(t, err)
	for _, want := range []string{"Events", "ReadModels", "Catalogue", "Batch -1"} {
		assert.ErrorContains(t, err, want)
	}
}

// sparse numbers the events of a log 3, 6, 9, …, as a PostgreSQL log with
// gaps would, and hides the head.
type sparse struct{ eventstore.Store }

func (s sparse) ReadAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	opts.After /= 3
	recs, err := s.Store.ReadAll(ctx, opts)
	for i := range recs {
		recs[i].Position *= 3
	}
	return recs, err
}

func TestHead(t *testing.T) {
	for _, n := range []int{0, 1, 7, 4096, 4097, 9001} {
		e := newEnv(t, nil, n)
		for _, tt := range []struct {
			name  string
			store eventstore.Store
			want  uint64
		}{
			{"head reader", e.events, uint64(n)},
			{"search", noHead{e.events}, uint64(n)},
			{"sparse", sparse{e.events}, uint64(3 * n)},
		} {
			rec, ok, err := ops.Head(t.Context(), tt.store)
			require.NoError(t, err)
			assert.Equal(t, n > 0, ok, "%s of %d", tt.name, n)
			assert.Equal(t, tt.want, rec.Position, "%s of %d", tt.name, n)
		}
	}
}

// TestStatusEstimatesALongLag extrapolates a lag beyond ExactLag events
// from the density of the positions it counted: exact on consecutive
// positions, close on a log with gaps.
func TestStatusEstimatesALongLag(t *testing.T) {
	e := newEnv(t, stores[0].open(t), 3*ops.ExactLag)
	for _, tt := range []struct {
		name   string
		events eventstore.Store
	}{{"consecutive", e.events}, {"gaps", sparse{e.events}}} {
		o, err := ops.New(ops.Config{Events: tt.events, ReadModels: e.models, Catalogue: e.cat})
		require.NoError(t, err)
		got, err := o.Status(t.Context(), []string{"timeline"})
		require.NoError(t, err)
		assert.True(t, got[0].LagEstimated, tt.name)
		assert.InDelta(t, 3*ops.ExactLag, float64(got[0].LagEvents), 1, tt.name)
	}
}

func requireNoShadows(t *testing.T, models readmodel.Store) {
	infos, err := models.(readmodel.Shadower).Shadows(t.Context())
	require.NoError(t, err)
	assert.Empty(t, infos)
}

// counting counts the events its store's pages of more than one event
// return.
type counting struct {
	eventstore.Store
	events atomic.Int64
}

func (c *counting) ReadAll(ctx context.Context, opts eventstore.ReadAllOptions) ([]eventstore.Record, error) {
	recs, err := c.Store.ReadAll(ctx, opts)
	if opts.Limit > 1 {
		c.events.Add(int64(len(recs)))
	}
	return recs, err
}

// TestRebuildSeveralReadsTheLogOnce rebuilds two projections in one call:
// both end at the head, and the log was read once.
func TestRebuildSeveralReadsTheLogOnce(t *testing.T) {
	e := newEnv(t, stores[0].open(t), 600)
	events := &counting{Store: e.events}
	o, err := ops.New(ops.Config{Events: events, ReadModels: e.models, Catalogue: e.cat, Batch: 64})
	require.NoError(t, err)
	reps, err := o.Rebuild(t.Context(), timeline.New(), picky{})
	require.NoError(t, err)
	require.Len(t, reps, 2)
	for _, rep := range reps {
		assert.Equal(t, uint64(600), rep.Position, rep.Projection)
	}
	assert.Equal(t, int64(600), events.events.Load())
	_, err = o.Rebuild(t.Context(), picky{}, picky{})
	require.ErrorContains(t, err, "named twice")
}

// broken fails every batch with an error retrying does not cure.
type broken struct{}

func (broken) Name() string                      { return "broken" }
func (broken) Schema(readmodel.Dialect) []string { return nil }
func (broken) Project(context.Context, readmodel.Tx, []projections.Event) error {
	return fmt.Errorf("broken projector")
}

// TestFailedRebuildChangesNothing fails one of two builds: the rebuild
// stops, the live model and its checkpoint stay, and no shadow remains.
func TestFailedRebuildChangesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 200)
		e.catchUp(t, timeline.New())
		e.add(t, 50)
		_, err := e.operator(t, nil).Rebuild(t.Context(), timeline.New(), broken{})
		require.ErrorContains(t, err, "broken projector")
		rows, checkpoint, err := counts(t.Context(), models)
		require.NoError(t, err)
		assert.Equal(t, [2]int64{200, 200}, [2]int64{rows, checkpoint})
		requireNoShadows(t, models)
	})
}
