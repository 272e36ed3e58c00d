package projections_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// firstSeen records the first position each of its batches starts at.
type firstSeen struct {
	name   string
	mu     sync.Mutex
	starts []uint64
}

func (p *firstSeen) Name() string { return p.name }

func (p *firstSeen) Schema(readmodel.Dialect) []string {
	return []string{`CREATE TABLE IF NOT EXISTS ` + p.name + ` (position BIGINT PRIMARY KEY)`}
}

func (p *firstSeen) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	p.mu.Lock()
	p.starts = append(p.starts, events[0].Position)
	p.mu.Unlock()
	for _, e := range events {
		if err := tx.Exec(ctx, `INSERT INTO `+p.name+` (position) VALUES ($1)`, int64(e.Position)); err != nil {
			return err
		}
	}
	return nil
}

func (p *firstSeen) first() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.starts[0]
}

// TestNewProjectorBackFillsOverHistory adds a projector to a runtime over
// a log that an existing projector has applied: the newcomer starts at
// position 0 and applies all history while the existing one goes on from
// its checkpoint, and events keep arriving meanwhile; both end at the
// head, each event applied once.
func TestNewProjectorBackFillsOverHistory(t *testing.T) {
	f := newFixture(t)
	for i := range 300 {
		f.append(t, fmt.Sprintf("s-%d", i%5), 1)
	}
	rt, stop := f.start(t, &counter{})
	wait(t, rt, 300)
	stop()

	existing, newcomer := &counter{}, &firstSeen{name: "newcomer"}
	rt, err := projections.New(projections.Config{Events: f.events, ReadModels: f.models, Catalogue: testCatalogue,
		Projectors: []projections.Projector{existing, newcomer}, MaxBatch: 50})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	var last uint64
	for i := range 100 {
		last = f.append(t, fmt.Sprintf("s-%d", i%5), 1)
	}
	wait(t, rt, last)
	cancel()
	require.NoError(t, <-done)

	assert.Equal(t, uint64(1), newcomer.first(), "the newcomer starts at the beginning of the log")
	assert.Equal(t, [2]int64{80, 80}, f.totals(t)["s-0"], "the existing projector applied each event once")
	for _, name := range []string{"counter", "newcomer"} {
		cp, err := f.models.Checkpoint(t.Context(), name)
		require.NoError(t, err)
		assert.Equal(t, last, cp.Position, "%s ends at the head", name)
	}
	rows, err := f.models.Query(t.Context(), `SELECT COUNT(*), MIN(position), MAX(position) FROM newcomer`)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next())
	var n, lo, hi int64
	require.NoError(t, rows.Scan(&n, &lo, &hi))
	assert.Equal(t, [3]int64{400, 1, 400}, [3]int64{n, lo, hi}, "the newcomer applied every event once")
}
