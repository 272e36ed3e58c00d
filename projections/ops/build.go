package ops

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// batchAttempts bounds the tries of a batch that fails for a reason other
// than [projections.ErrPermanent] (a dropped connection, a busy file).
const batchAttempts = 3

// skipped is an event the build skipped because the projector failed on
// it permanently; it becomes a projection_poison row of the rebuilt model.
type skipped struct {
	after  uint64
	rec    eventstore.Record
	reason string
}

// build is a projection being built in a shadow.
type build struct {
	cfg     Config
	p       projections.Projector
	shadow  readmodel.Shadow
	at      readmodel.Checkpoint // the shadow's checkpoint
	events  uint64
	target  uint64
	skipped []skipped
	// fold, while the bulk pass of a [projections.Rebuilder] runs, builds
	// the model instead of Project; deferred are the index statements it
	// leaves for after the bulk load.
	fold     projections.Fold
	deferred []string
}

// startBuild creates the projector's tables in shadow, which is empty. A
// [projections.Rebuilder] gets a fold, and its indexes wait until the end
// of the bulk pass ([build.finish]): building an index once over the
// loaded rows costs less than maintaining it row by row.
func (o *Operator) startBuild(ctx context.Context, p projections.Projector, shadow readmodel.Shadow, target uint64) (*build, error) {
	b := &build{cfg: o.cfg, p: p, shadow: shadow, target: target}
	ddl := p.Schema(shadow.Dialect())
	if r, ok := p.(projections.Rebuilder); ok {
		b.fold = r.Fold()
		ddl, b.deferred = splitIndexes(ddl)
	}
	if err := shadow.Migrate(ctx, ddl); err != nil {
		return nil, fmt.Errorf("create %s's tables in the shadow: %w", p.Name(), err)
	}
	return b, nil
}

// runAll applies the log after position after, up to until (0: to the
// end of the log as it is when the reads reach it), to every build in bs,
// which must all be at after. One goroutine reads the log; each build
// applies every batch in a goroutine of its own, so that reading and the
// projectors overlap and the log is read once for them all.
func runAll(ctx context.Context, cfg Config, bs []*build, after, until uint64) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	feeds := make([]chan []projections.Event, len(bs))
	var wg sync.WaitGroup
	for i, b := range bs {
		feeds[i] = make(chan []projections.Event, 2)
		wg.Go(func() {
			if err := b.run(ctx, feeds[i]); err != nil {
				cancel(err)
			}
		})
	}
	err := read(ctx, cfg, after, until, feeds)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	return err
}

// read sends the log's batches after position after, up to until, to
// every feed, and closes the feeds at the end. Every build gets the same
// slice of events, which decodes each payload for whoever asks.
func read(ctx context.Context, cfg Config, after, until uint64, feeds []chan []projections.Event) error {
	defer func() {
		for _, f := range feeds {
			close(f)
		}
	}()
	for {
		recs, err := cfg.Events.ReadAll(ctx, eventstore.ReadAllOptions{After: after, Limit: cfg.Batch})
		if err != nil {
			return fmt.Errorf("read the log after %d: %w", after, err)
		}
		if recs = below(recs, until); len(recs) == 0 {
			return nil
		}
		events := projections.Events(cfg.Catalogue, recs) // shared: builds only read them
		for _, f := range feeds {
			select {
			case f <- events:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		after = recs[len(recs)-1].Position
	}
}

// below returns the records at or below until (all of them for 0).
func below(recs []eventstore.Record, until uint64) []eventstore.Record {
	if until == 0 {
		return recs
	}
	for i, r := range recs {
		if r.Position > until {
			return recs[:i]
		}
	}
	return recs
}

// run applies the batches of feed: through Project, or during a fold's
// bulk pass through the fold.
func (b *build) run(ctx context.Context, feed <-chan []projections.Event) error {
	if b.fold != nil {
		return b.runFold(ctx, feed)
	}
	for events := range feed {
		if err := b.apply(ctx, events); err != nil {
			return err
		}
		b.progress()
	}
	return nil
}

// apply applies events in one shadow transaction, retrying a transient
// failure; on a permanent one it applies them one by one and skips those
// the projector refuses.
func (b *build) apply(ctx context.Context, events []projections.Event) error {
	err := attempt(ctx, func() error { return b.applyBatch(ctx, events) })
	if errors.Is(err, projections.ErrPermanent) {
		return b.applySingly(ctx, events)
	}
	return err
}

// attempt runs fn up to batchAttempts times, pausing in between, until it
// succeeds or fails with [projections.ErrPermanent].
func attempt(ctx context.Context, fn func() error) error {
	var err error
	for i := range batchAttempts {
		if err = ctx.Err(); err != nil {
			return err
		}
		if err = fn(); err == nil || errors.Is(err, projections.ErrPermanent) {
			return err
		}
		if i < batchAttempts-1 {
			pause(ctx, i)
		}
	}
	return err
}

func pause(ctx context.Context, attempt int) {
	t := time.NewTimer(time.Duration(100<<attempt) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// applyBatch applies events through the projector, as the runtime's handler
// does, in a transaction that moves the shadow's checkpoint. Its context
// is not cancellable: SQLite's driver watches a cancellable context with a
// goroutine per statement, which costs more than the statement; ctx is
// checked between batches instead.
func (b *build) applyBatch(ctx context.Context, events []projections.Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("project %s: panic: %v", b.p.Name(), r)
		}
	}()
	last := events[len(events)-1]
	to := readmodel.Checkpoint{Position: last.Position, RecordedAt: last.RecordedAt}
	err = b.shadow.Apply(context.WithoutCancel(ctx), b.p.Name(), b.at.Position, to, func(ctx context.Context, tx readmodel.Tx) error {
		return b.p.Project(ctx, tx, events)
	})
	if err != nil {
		return fmt.Errorf("project %s after %d: %w", b.p.Name(), b.at.Position, err)
	}
	b.at, b.events = to, b.events+uint64(len(events))
	return nil
}

// applySingly applies events one event per transaction; an event the
// projector refuses permanently is skipped (the checkpoint moves past it)
// and remembered.
func (b *build) applySingly(ctx context.Context, events []projections.Event) error {
	for _, e := range events {
		err := b.applyBatch(ctx, []projections.Event{e})
		if err == nil {
			continue
		}
		if !errors.Is(err, projections.ErrPermanent) {
			return err
		}
		b.skipped = append(b.skipped, skipped{after: b.at.Position, rec: e.Record, reason: err.Error()})
		to := readmodel.Checkpoint{Position: e.Position, RecordedAt: e.RecordedAt}
		if err := b.shadow.Apply(context.WithoutCancel(ctx), b.p.Name(), b.at.Position, to, noRows); err != nil {
			return fmt.Errorf("skip event %d of %s: %w", e.Position, b.p.Name(), err)
		}
		b.at = to
	}
	return nil
}

func noRows(context.Context, readmodel.Tx) error { return nil }

func (b *build) progress() {
	if b.cfg.Progress != nil {
		b.cfg.Progress(Progress{Projection: b.p.Name(), Events: b.events, Position: b.at.Position, Target: max(b.target, b.at.Position)})
	}
}

// recordSkipped replaces the projection's poison rows with the events
// this build skipped: the rebuilt model has exactly those gaps.
func (b *build) recordSkipped(ctx context.Context, tx readmodel.Tx) error {
	if err := tx.Exec(ctx, `DELETE FROM projection_poison WHERE projection = $1`, b.p.Name()); err != nil {
		return fmt.Errorf("clear poisoned batches of %s: %w", b.p.Name(), err)
	}
	for _, s := range b.skipped {
		err := projections.RecordPoison(ctx, tx, b.p.Name(), s.after, s.rec.Position, s.reason, []eventstore.Record{s.rec})
		if err != nil {
			return fmt.Errorf("record skipped event %d of %s: %w", s.rec.Position, b.p.Name(), err)
		}
	}
	return nil
}
