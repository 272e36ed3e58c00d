package ops

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/batch"
)

// splitIndexes separates the CREATE INDEX statements of ddl from the rest.
func splitIndexes(ddl []string) (rest, indexes []string) {
	for _, st := range ddl {
		head := strings.ToUpper(strings.Join(strings.Fields(st), " "))
		if strings.HasPrefix(head, "CREATE INDEX") || strings.HasPrefix(head, "CREATE UNIQUE INDEX") {
			indexes = append(indexes, st)
		} else {
			rest = append(rest, st)
		}
	}
	return rest, indexes
}

// folded is a batch of the log through a fold: the rows it completed and
// the events it refused.
type folded struct {
	events  []projections.Event
	rows    []projections.Rows
	refused []projections.Refusal
	err     error
}

// runFold applies the batches of feed through the fold, which works on a
// batch in a goroutine of its own while this one copies the rows of the
// batch before, each batch in a shadow transaction that moves the
// shadow's checkpoint.
func (b *build) runFold(ctx context.Context, feed <-chan []projections.Event) error {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan folded, 1)
	var wg sync.WaitGroup
	wg.Go(func() { b.folding(ctx, feed, out) })
	defer wg.Wait()
	defer cancel()
	for f := range out {
		if f.err != nil {
			return f.err
		}
		if err := b.write(ctx, f); err != nil {
			return err
		}
		b.progress()
	}
	return nil
}

// folding folds the batches of feed and sends the results to out, which
// it closes at the end.
func (b *build) folding(ctx context.Context, feed <-chan []projections.Event, out chan<- folded) {
	defer close(out)
	for {
		var events []projections.Event
		var ok bool
		select {
		case events, ok = <-feed:
		case <-ctx.Done():
			return
		}
		if !ok {
			return
		}
		f := b.foldBatch(events)
		select {
		case out <- f:
		case <-ctx.Done():
			return
		}
		if f.err != nil {
			return
		}
	}
}

func (b *build) foldBatch(events []projections.Event) (f folded) {
	defer func() {
		if r := recover(); r != nil {
			f.err = fmt.Errorf("fold %s: panic: %v", b.p.Name(), r)
		}
	}()
	rows, refused := b.fold.Add(events)
	return folded{events: events, rows: rows, refused: refused}
}

// write copies a folded batch's rows in a shadow transaction that moves
// the shadow's checkpoint past the batch, retrying a failure, and
// remembers the events the fold refused.
func (b *build) write(ctx context.Context, f folded) error {
	last := f.events[len(f.events)-1]
	to := readmodel.Checkpoint{Position: last.Position, RecordedAt: last.RecordedAt}
	err := attempt(ctx, func() error {
		return b.shadow.Apply(context.WithoutCancel(ctx), b.p.Name(), b.at.Position, to, copyRows(f.rows))
	})
	if err != nil {
		return fmt.Errorf("copy %s's rows after %d: %w", b.p.Name(), b.at.Position, err)
	}
	b.refuse(f.events, f.refused)
	b.at, b.events = to, b.events+uint64(len(f.events))
	return nil
}

func copyRows(rows []projections.Rows) func(context.Context, readmodel.Tx) error {
	return func(ctx context.Context, tx readmodel.Tx) error {
		for _, r := range rows {
			if err := batch.CopyColumns(ctx, tx, r.Table, r.Columns); err != nil {
				return err
			}
		}
		return nil
	}
}

// refuse remembers the events a fold refused, each after the event before
// it in events (or the checkpoint before them).
func (b *build) refuse(events []projections.Event, refused []projections.Refusal) {
	for _, r := range refused {
		after := b.at.Position
		for _, e := range events {
			if e.Position >= r.Event.Position {
				break
			}
			after = e.Position
		}
		b.skipped = append(b.skipped, skipped{after: after, rec: r.Event.Record, reason: r.Err.Error()})
	}
}

// finish ends a fold's bulk pass: the rows the fold kept in memory are
// copied, then the deferred indexes are built. Later events go through
// Project.
func (b *build) finish(ctx context.Context) error {
	if b.fold == nil {
		return nil
	}
	rows := b.fold.Finish()
	b.fold = nil
	err := attempt(ctx, func() error {
		return b.shadow.Apply(context.WithoutCancel(ctx), b.p.Name(), b.at.Position, b.at, copyRows(rows))
	})
	if err != nil {
		return fmt.Errorf("copy the rows %s's fold kept: %w", b.p.Name(), err)
	}
	if err := b.shadow.Migrate(ctx, b.deferred); err != nil {
		return fmt.Errorf("index %s's rebuilt tables: %w", b.p.Name(), err)
	}
	b.deferred = nil
	return nil
}
