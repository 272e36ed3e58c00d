package ops

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Report is what a rebuild did to one projection.
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
	// Build is the time from the start of the rebuild until the shadow
	// was complete; Swap the time to swap it in.
	Build time.Duration `json:"build_ns"`
	Swap  time.Duration `json:"swap_ns"`
	// EventsPerSecond is Events over Build and Swap together.
	EventsPerSecond float64 `json:"events_per_second"`
}

// Rebuild rebuilds the read models of ps from the whole log without
// showing readers a half-built model. Each projection is built in a
// shadow of its own (see [readmodel.Shadower]) from position 0, in large
// batches: through its fold if it is a [projections.Rebuilder] (rows
// copied in bulk, what later events change folded in memory and written
// once, indexes built after the load), else through its own Project. The
// log is read once for them all, by a goroutine that feeds every build,
// each applying in a goroutine of its own. The reads go on to the log's
// head as it is once the bulk pass ends; then the folds write what they
// kept and the indexes are built, concurrently. Then each shadow is
// swapped in under the checkpoint guard: the
// projection's live tables, its live checkpoint (the rebuild's own, so an
// event appended after the last read is applied by the live runtime
// afterwards, not lost) and its poison rows change in one transaction. A
// live runtime applying a projection meanwhile finds its checkpoint moved
// and resumes from the rebuild's. If a swap fails, the projections
// swapped before it stay rebuilt: their reports come back with the error.
func (o *Operator) Rebuild(ctx context.Context, ps ...projections.Projector) ([]Report, error) {
	if err := distinct(ps); err != nil {
		return nil, err
	}
	shadows, err := o.openShadows(ctx, ps)
	defer func() { closeAll(shadows) }()
	if err != nil {
		return nil, err
	}
	head, _, err := Head(ctx, o.cfg.Events)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	bs := make([]*build, len(ps))
	for i, p := range ps {
		if bs[i], err = o.startBuild(ctx, p, shadows[i], head.Position); err != nil {
			return nil, fmt.Errorf("rebuild %s: %w", p.Name(), err)
		}
	}
	if err := runAll(ctx, o.cfg, bs, 0, 0); err != nil {
		return nil, fmt.Errorf("rebuild %s: %w", names(ps), err)
	}
	if err := finishAll(ctx, bs); err != nil {
		return nil, fmt.Errorf("rebuild %s: %w", names(ps), err)
	}
	built := time.Now()
	var reps []Report
	for _, b := range bs {
		rep, err := b.swap(ctx, started, built)
		if err != nil {
			return reps, err
		}
		reps = append(reps, rep)
	}
	return reps, nil
}

// finishAll finishes the builds' folds concurrently: each writes its
// folded rows and builds its indexes on a connection of its own.
func finishAll(ctx context.Context, bs []*build) error {
	errs := make([]error, len(bs))
	var wg sync.WaitGroup
	for i, b := range bs {
		wg.Go(func() { errs[i] = b.finish(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func distinct(ps []projections.Projector) error {
	if len(ps) == 0 {
		return errors.New("rebuild: no projection named")
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.Name()] {
			return fmt.Errorf("rebuild: projection %s named twice", p.Name())
		}
		seen[p.Name()] = true
	}
	return nil
}

func names(ps []projections.Projector) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name()
	}
	return strings.Join(out, ", ")
}

// openShadows migrates the live store and opens a rebuild shadow per
// projection; on an error it returns the shadows opened so far.
func (o *Operator) openShadows(ctx context.Context, ps []projections.Projector) ([]readmodel.Shadow, error) {
	if err := o.migrateLive(ctx, ps); err != nil {
		return nil, err
	}
	var shadows []readmodel.Shadow
	for _, p := range ps {
		shadower, name, err := o.shadower(p, rebuildPrefix)
		if err != nil {
			return shadows, err
		}
		sh, err := shadower.Shadow(ctx, name)
		if err != nil {
			return shadows, fmt.Errorf("rebuild %s: %w", p.Name(), err)
		}
		shadows = append(shadows, sh)
	}
	return shadows, nil
}

func closeAll(shadows []readmodel.Shadow) {
	for _, sh := range shadows {
		sh.Close()
	}
}

// migrateLive creates the runtime's tables and the projections' in the
// live store if they are missing, so that the swap finds the poison
// table.
func (o *Operator) migrateLive(ctx context.Context, ps []projections.Projector) error {
	rt, err := projections.New(projections.Config{Events: o.cfg.Events, ReadModels: o.cfg.ReadModels,
		Catalogue: o.cfg.Catalogue, Projectors: ps})
	if err == nil {
		err = rt.Migrate(ctx)
	}
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", names(ps), err)
	}
	return nil
}

func (b *build) swap(ctx context.Context, started, built time.Time) (Report, error) {
	tables, err := b.shadow.Tables(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("rebuild %s: %w", b.p.Name(), err)
	}
	swapping := time.Now()
	if err := b.shadow.Swap(ctx, b.p.Name(), b.at.Position, b.recordSkipped); err != nil {
		return Report{}, fmt.Errorf("rebuild %s: swap: %w", b.p.Name(), err)
	}
	rep := Report{Projection: b.p.Name(), Events: b.events, Position: b.at.Position, Tables: tables,
		Skipped: len(b.skipped), Build: built.Sub(started), Swap: time.Since(swapping)}
	if d := (rep.Build + rep.Swap).Seconds(); d > 0 {
		rep.EventsPerSecond = float64(rep.Events) / d
	}
	return rep, nil
}
