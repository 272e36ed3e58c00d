package snapshot

import (
	"context"
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Attempts is how often Replace evaluates before a write; the last
// attempt evaluates inside the write's transaction, which holds the
// projection's checkpoint (and, on the embedded store, the writer) for
// the evaluation's time but cannot be overtaken.
const Attempts = 3

// Evaluator computes an evaluation from the facts q shows.
type Evaluator func(ctx context.Context, q readmodel.Querier) error

// Writer writes the last evaluation in tx, noting that it reflects the
// log up to position.
type Writer func(ctx context.Context, tx readmodel.Tx, position uint64) error

// Replace runs evaluate and then write in one transaction of store at the
// checkpoint of projection, as the package documentation describes.
func Replace(ctx context.Context, store readmodel.Store, projection string, evaluate Evaluator, write Writer) error {
	for attempt := 1; ; attempt++ {
		cp, err := store.Checkpoint(ctx, projection)
		if err != nil {
			return fmt.Errorf("snapshot of %s: %w", projection, err)
		}
		inside := attempt == Attempts
		if !inside {
			if err := evaluate(ctx, store); err != nil {
				return err
			}
		}
		err = store.Apply(ctx, projection, cp.Position, cp, func(ctx context.Context, tx readmodel.Tx) error {
			if inside {
				if err := evaluate(ctx, tx); err != nil {
					return err
				}
			}
			return write(ctx, tx, cp.Position)
		})
		if err == nil || !errors.Is(err, readmodel.ErrCheckpointMoved) || attempt == Attempts {
			return err
		}
	}
}
