package embedded

import (
	"context"
	"fmt"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Append implements [eventstore.Store].
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedVersion, events []eventstore.EventData) (eventstore.AppendResult, error) {
	if err := eventstore.ValidateAppend(stream, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	var res eventstore.AppendResult
	err := s.inTx(ctx, func(quiet context.Context, w *writer) error {
		var err error
		res, err = w.append(quiet, stream, expected, events)
		return err
	})
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	return res, nil
}

// AppendBatch implements [eventstore.BatchAppender]: every request of the
// batch is written in one transaction, so the batch costs one commit (one
// fsync) whatever the number of streams it touches.
func (s *Store) AppendBatch(ctx context.Context, reqs []eventstore.AppendRequest) ([]eventstore.AppendResult, error) {
	for _, r := range reqs {
		if err := eventstore.ValidateAppend(r.Stream, r.Events); err != nil {
			return nil, fmt.Errorf("append batch: %w", err)
		}
	}
	out := make([]eventstore.AppendResult, 0, len(reqs))
	err := s.inTx(ctx, func(quiet context.Context, w *writer) error {
		for _, r := range reqs {
			if err := ctx.Err(); err != nil {
				return err
			}
			res, err := w.append(quiet, r.Stream, r.Expected, r.Events)
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("append batch: %w", err)
	}
	return out, nil
}

// inTx runs fn in a write transaction and commits it, then wakes this
// process's subscriptions. The single write connection serialises this
// process's writers; the immediate transaction's write lock serialises
// them with every other connection to the file.
//
// fn runs its statements with quiet, ctx without its cancellation: with a
// cancellable context the driver starts a goroutine per statement to
// interrupt it, which costs more than inserting the row. ctx still bounds
// the wait for the write lock and ends the transaction (database/sql rolls
// it back when ctx is done); a batch also checks it between requests.
func (s *Store) inTx(ctx context.Context, fn func(quiet context.Context, w *writer) error) error {
	release, err := s.enter()
	if err != nil {
		return err
	}
	defer release()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", translate(ctx, err))
	}
	defer tx.Rollback() // a no-op after Commit
	quiet := context.WithoutCancel(ctx)
	w := newWriter(quiet, tx, &s.stmts, s.cfg.Clock())
	if err := fn(quiet, w); err != nil {
		return canceled(ctx, err)
	}
	if err := w.flush(quiet); err != nil {
		return canceled(ctx, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", translate(ctx, err))
	}
	s.wake.Notify()
	return nil
}

// canceled returns ctx's error if ctx is done, since a transaction that
// database/sql rolled back for it fails with a less telling error, and err
// otherwise.
func canceled(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}
