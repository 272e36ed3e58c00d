package ops

import (
	"context"
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// ErrLiveMoving means the live projection kept applying events while
// verify compared it, so no comparison saw it still; stop its runtime, or
// retry when the log is quiet.
var ErrLiveMoving = errors.New("ops: the live projection kept moving during verify")

// verifyRounds bounds how often verify catches up with a live projection
// that moved during a comparison.
const verifyRounds = 3

// Verification is the outcome of a verify.
type Verification struct {
	Projection string `json:"projection"`
	// Position is the checkpoint both sides were compared at.
	Position uint64 `json:"position"`
	// Equal holds when every table has the same rows on both sides.
	Equal  bool         `json:"equal"`
	Tables []TableCheck `json:"tables"`
	// Skipped counts events the projector refused while rebuilding.
	Skipped int `json:"skipped_events"`
}

// Verify rebuilds p's model into a scratch shadow up to the live
// checkpoint and compares every table of the rebuilt model with the live
// one: row counts, order-independent checksums, and the first difference
// in primary-key order. The live model is never written. A live runtime
// may go on applying p: verify compares again, after catching up the
// scratch copy, if the live checkpoint moved during a comparison, and
// gives up with [ErrLiveMoving] after a few rounds.
func (o *Operator) Verify(ctx context.Context, p projections.Projector) (Verification, error) {
	shadower, name, err := o.shadower(p, verifyPrefix)
	if err != nil {
		return Verification{}, err
	}
	cp, err := o.cfg.ReadModels.Checkpoint(ctx, p.Name())
	if err != nil {
		return Verification{}, fmt.Errorf("verify %s: %w", p.Name(), err)
	}
	shadow, err := shadower.Shadow(ctx, name)
	if err != nil {
		return Verification{}, fmt.Errorf("verify %s: %w", p.Name(), err)
	}
	defer shadow.Close()
	b, err := o.startBuild(ctx, p, shadow, cp.Position)
	if err != nil {
		return Verification{}, fmt.Errorf("verify %s: %w", p.Name(), err)
	}
	for range verifyRounds {
		v, moved, err := b.verifyAt(ctx, o.cfg.ReadModels, cp.Position)
		if err != nil || !moved {
			return v, err
		}
		if cp, err = o.cfg.ReadModels.Checkpoint(ctx, p.Name()); err != nil {
			return Verification{}, fmt.Errorf("verify %s: %w", p.Name(), err)
		}
	}
	return Verification{}, fmt.Errorf("verify %s: %w", p.Name(), ErrLiveMoving)
}

// verifyAt builds the shadow up to position and compares it with live; it
// reports moved if the live checkpoint left position meanwhile.
func (b *build) verifyAt(ctx context.Context, live readmodel.Store, position uint64) (Verification, bool, error) {
	if position < b.at.Position {
		return Verification{}, false, fmt.Errorf("verify %s: the live checkpoint went back to %d, below %d: was it rebuilt meanwhile?",
			b.p.Name(), position, b.at.Position)
	}
	b.target = position
	if err := runAll(ctx, b.cfg, []*build{b}, b.at.Position, position); err != nil {
		return Verification{}, false, fmt.Errorf("verify %s: %w", b.p.Name(), err)
	}
	if err := b.finish(ctx); err != nil {
		return Verification{}, false, fmt.Errorf("verify %s: %w", b.p.Name(), err)
	}
	v, err := b.compare(ctx, live)
	if err != nil {
		return Verification{}, false, fmt.Errorf("verify %s: %w", b.p.Name(), err)
	}
	now, err := live.Checkpoint(ctx, b.p.Name())
	if err != nil {
		return Verification{}, false, fmt.Errorf("verify %s: %w", b.p.Name(), err)
	}
	v.Position = position
	return v, now.Position != position, nil
}

func (b *build) compare(ctx context.Context, live readmodel.Store) (Verification, error) {
	tables, err := b.shadow.Tables(ctx)
	if err != nil {
		return Verification{}, err
	}
	v := Verification{Projection: b.p.Name(), Equal: true, Skipped: len(b.skipped)}
	for _, t := range tables {
		check, err := compareTable(ctx, live, b.shadow, live.Dialect(), t)
		if err != nil {
			return Verification{}, err
		}
		v.Tables = append(v.Tables, check)
		v.Equal = v.Equal && check.Equal
	}
	return v, nil
}
