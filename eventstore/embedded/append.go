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
	err := s.inTx(ctx, func(w *writer) error {
		var err error
		res, err = w.append(ctx, stream, expected, events)
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
	err := s.inTx(ctx, func(w *writer) error {
		for _, r := range reqs {
			res, err := w.append(ctx, r.Stream, r.Expected, r.Events)
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
func (s *Store) inTx(ctx context.Context, fn func(w *writer) error) error {
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
	w := newWriter(ctx, tx, &s.stmts, s.cfg.Clock())
	if err := fn(w); err != nil {
		return err
	}
	if err := w.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", translate(ctx, err))
	}
	s.wake.Notify()
	return nil
}
