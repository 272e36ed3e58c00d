package ops

import (
	"context"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/projections"
)

// Report is what a rebuild did.
type Report struct {
	Projection string `json:"projection"`
	// Events is how many events the rebuild applied.
	Events uint64 `json:"events"`
	// Position is the swapped-in checkpoint: the last event applied.
	Position uint64 `json:"position"`
	// Tables are the tables swapped in.
	Tables []string `json:"tables"`
	// Skipped counts events the projector refused permanently; each is a
	// projection_poison row of the rebuilt model.
	Skipped int `json:"skipped_events"`
	// Build is the time spent applying the log to the shadow, Swap the
	// time to swap it in.
	Build time.Duration `json:"build_ns"`
	Swap  time.Duration `json:"swap_ns"`
	// EventsPerSecond is Events over Build and Swap together.
	EventsPerSecond float64 `json:"events_per_second"`
}

// Rebuild rebuilds p's read model from the whole log without showing
// readers a half-built model: it builds the model in a shadow (see
// [readmodel.Shadower]) from position 0, in large batches through p's own
// Project, reads on to the log's head as it is once the bulk pass ends,
// and swaps the shadow in under the checkpoint guard: the live tables,
// the live checkpoint (the rebuild's own, so an event appended after the
// last read is applied by the live runtime afterwards, not lost) and the
// projection's poison rows change in one transaction. A live runtime
// applying p meanwhile finds its checkpoint moved and resumes from the
// rebuild's.
func (o *Operator) Rebuild(ctx context.Context, p projections.Projector) (Report, error) {
	shadower, name, err := o.shadower(p, rebuildPrefix)
	if err != nil {
		return Report{}, err
	}
	if err := o.migrateLive(ctx, p); err != nil {
		return Report{}, err
	}
	head, _, err := Head(ctx, o.cfg.Events)
	if err != nil {
		return Report{}, err
	}
	shadow, err := shadower.Shadow(ctx, name)
	if err != nil {
		return Report{}, fmt.Errorf("rebuild %s: %w", p.Name(), err)
	}
	defer shadow.Close()
	started := time.Now()
	b, err := o.startBuild(ctx, p, shadow, head.Position)
	if err == nil {
		err = b.run(ctx, 0)
	}
	if err != nil {
		return Report{}, fmt.Errorf("rebuild %s: %w", p.Name(), err)
	}
	return b.swap(ctx, started)
}

// migrateLive creates the runtime's tables and p's in the live store if
// they are missing, so that the swap finds the poison table.
func (o *Operator) migrateLive(ctx context.Context, p projections.Projector) error {
	rt, err := projections.New(projections.Config{Events: o.cfg.Events, ReadModels: o.cfg.ReadModels,
		Catalogue: o.cfg.Catalogue, Projectors: []projections.Projector{p}})
	if err == nil {
		err = rt.Migrate(ctx)
	}
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", p.Name(), err)
	}
	return nil
}

func (b *build) swap(ctx context.Context, started time.Time) (Report, error) {
	tables, err := b.shadow.Tables(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("rebuild %s: %w", b.p.Name(), err)
	}
	built := time.Now()
	if err := b.shadow.Swap(ctx, b.p.Name(), b.at.Position, b.recordSkipped); err != nil {
		return Report{}, fmt.Errorf("rebuild %s: swap: %w", b.p.Name(), err)
	}
	rep := Report{Projection: b.p.Name(), Events: b.events, Position: b.at.Position, Tables: tables,
		Skipped: len(b.skipped), Build: built.Sub(started), Swap: time.Since(built)}
	if d := (rep.Build + rep.Swap).Seconds(); d > 0 {
		rep.EventsPerSecond = float64(rep.Events) / d
	}
	return rep, nil
}
