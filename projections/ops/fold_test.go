package ops_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/commands/demo"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/churn"
	"github.com/ledgerline/ledgerline/projections/ops"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/timeline"
	"github.com/ledgerline/ledgerline/projections/value"
)

// plain hides a projector's fold: builds of it go batch by batch through
// Project.
type plain struct{ projections.Projector }

func core() []projections.Projector {
	return []projections.Projector{timeline.New(), value.New(), churn.New()}
}

// TestFoldsEqualProject builds the core models from a log that holds every
// event type: live, through Project in batches of up to 100 events, and
// in verify's scratch copy through each projector's fold. They are equal.
func TestFoldsEqualProject(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 0)
		_, err := demo.Generate(t.Context(), commands.NewHandler(e.events, e.cat), demo.Config{Seed: 7, Customers: 30, Days: 240})
		require.NoError(t, err)
		e.catchUp(t, core()...)
		for _, p := range core() {
			v, err := e.operator(t, nil).Verify(t.Context(), p)
			require.NoError(t, err)
			assert.True(t, v.Equal, "%s: %+v", p.Name(), v.Tables)
			assert.Zero(t, v.Skipped, p.Name())
		}
	})
}

// TestFoldsRefuseWhatProjectRefuses appends events whose payloads the
// projectors cannot read, rebuilds the core models through Project (which
// skips exactly the refused events), and verifies them through the folds:
// the same events are skipped and the models are equal.
func TestFoldsRefuseWhatProjectRefuses(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 300)
		appendUnreadable(t, e.events)
		e.add(t, 100)
		o := e.operator(t, nil)
		want := map[string]int{timeline.Name: 1, value.Name: 2, churn.Name: 1}
		for _, p := range core() {
			rep := rebuild1(t, o, plain{p})
			assert.Equal(t, want[p.Name()], rep.Skipped, p.Name())
			v, err := o.Verify(t.Context(), p)
			require.NoError(t, err)
			assert.True(t, v.Equal, "%s: %+v", p.Name(), v.Tables)
			assert.Equal(t, want[p.Name()], v.Skipped, p.Name())
		}
	})
}

// appendUnreadable appends a registration whose name is a number (the
// timeline and value refuse it), then on that customer's stream a
// purchase whose lines are not a list (value refuses it) and a rating
// whose stars are text (churn refuses it).
func appendUnreadable(t *testing.T, s eventstore.Store) {
	events := []eventstore.EventData{
		{Type: "customer.registered", Data: []byte(`{"kind":"person","name":42}`)},
		{Type: "customer.purchase_recorded", Data: []byte(`{"purchase_id":"p1","lines":"none"}`)},
		{Type: "customer.rating_given", Data: []byte(`{"stars":"five"}`)},
	}
	for i := range events {
		events[i].ID, events[i].SchemaVersion, events[i].OccurredAt = uuid.New(), 1, epoch
	}
	_, err := s.Append(t.Context(), customer.Stream(uuid.New()), eventstore.NoStream, events)
	require.NoError(t, err)
}

// flaky is a read-model store whose shadows fail one Apply of a
// projection in every `every`, after running fn: the transaction rolls
// back as a dropped connection's would. A retry never fails.
type flaky struct {
	readmodel.Store
	every    int
	mu       sync.Mutex
	calls    map[string]int
	failures int
}

// fails counts an Apply of projection and reports whether it must fail.
func (f *flaky) fails(projection string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[projection]++
	if f.calls[projection]%f.every != 0 {
		return false
	}
	f.failures++
	return true
}

func (f *flaky) Shadow(ctx context.Context, name string) (readmodel.Shadow, error) {
	sh, err := f.Store.(readmodel.Shadower).Shadow(ctx, name)
	return flakyShadow{Shadow: sh, f: f}, err
}

func (f *flaky) Shadows(ctx context.Context) ([]readmodel.ShadowInfo, error) {
	return f.Store.(readmodel.Shadower).Shadows(ctx)
}

type flakyShadow struct {
	readmodel.Shadow
	f *flaky
}

var errDropped = errors.New("connection dropped")

func (s flakyShadow) Apply(ctx context.Context, projection string, from uint64, to readmodel.Checkpoint, fn func(context.Context, readmodel.Tx) error) error {
	fail := s.f.fails(projection)
	return s.Shadow.Apply(ctx, projection, from, to, func(ctx context.Context, tx readmodel.Tx) error {
		if err := fn(ctx, tx); err != nil || !fail {
			return err
		}
		return errDropped
	})
}

// TestFoldRetriesAFailedCopy rebuilds the core models through a store
// whose shadow transactions fail now and then after the fold's rows were
// copied: the copies are retried, and the models equal the live ones.
func TestFoldRetriesAFailedCopy(t *testing.T) {
	forEachStore(t, func(t *testing.T, models readmodel.Store) {
		e := newEnv(t, models, 700)
		e.catchUp(t, core()...)
		f := &flaky{Store: models, every: 4, calls: map[string]int{}}
		o, err := ops.New(ops.Config{Events: e.events, ReadModels: f, Catalogue: e.cat, Batch: 64})
		require.NoError(t, err)
		reps, err := o.Rebuild(t.Context(), core()...)
		require.NoError(t, err)
		assert.Positive(t, f.failures, "no transaction failed")
		for i, p := range core() {
			assert.Equal(t, uint64(700), reps[i].Events)
			v, err := e.operator(t, nil).Verify(t.Context(), p)
			require.NoError(t, err)
			assert.True(t, v.Equal, "%s: %+v", p.Name(), v.Tables)
		}
	})
}
