package ops

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// ExactLag is how many events Status reads to count a lag. A longer lag is
// extrapolated from them: the positions still to go, times the share of
// positions the counted events took up, which is exact on a log with
// consecutive positions (the embedded and in-memory stores) and an
// estimate on PostgreSQL, whose positions have gaps.
const ExactLag = 10000

// Status is a projection's state for operators.
type Status struct {
	Projection string `json:"projection"`
	// Position is the projection's checkpoint: the last event applied.
	Position uint64 `json:"position"`
	// RecordedAt is when the store accepted that event.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
	// Head is the position of the log's last event.
	Head uint64 `json:"head"`
	// LagEvents is how many events the projection has still to apply;
	// LagEstimated says it is extrapolated (see [ExactLag]).
	LagEvents    uint64 `json:"lag_events"`
	LagEstimated bool   `json:"lag_estimated,omitempty"`
	// LagSeconds is how much older the checkpoint's event is than the
	// head's, by recorded_at: how far behind the projection is in time.
	LagSeconds float64 `json:"lag_seconds"`
	// Poisoned counts the batches the projection skipped (see the
	// projection_poison table); LastError is the latest one's reason.
	Poisoned  int64  `json:"poisoned_batches"`
	LastError string `json:"last_error,omitempty"`
	// Rebuild describes a rebuild in progress, or one a crash abandoned.
	Rebuild *Rebuilding `json:"rebuild,omitempty"`
}

// Rebuilding is a rebuild's shadow as status sees it.
type Rebuilding struct {
	// Running is false for a shadow whose rebuild died; the next rebuild
	// of the projection drops it.
	Running bool `json:"running"`
	// Position is how far the shadow has been built, when the store can
	// tell while the rebuild holds it.
	Position *uint64 `json:"position,omitempty"`
}

// Status reports the state of each named projection, in the order given.
// It creates the runtime's poison table if it is missing.
func (o *Operator) Status(ctx context.Context, names []string) ([]Status, error) {
	if err := o.cfg.ReadModels.Migrate(ctx, projections.PoisonSchema(o.cfg.ReadModels.Dialect())); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	head, _, err := Head(ctx, o.cfg.Events)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	rebuilds, err := o.rebuilds(ctx)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	out := make([]Status, len(names))
	for i, name := range names {
		if out[i], err = o.status(ctx, name, head); err != nil {
			return nil, fmt.Errorf("status of %s: %w", name, err)
		}
		out[i].Rebuild = rebuilds[name]
	}
	return out, nil
}

func (o *Operator) status(ctx context.Context, name string, head eventstore.Record) (Status, error) {
	cp, err := o.cfg.ReadModels.Checkpoint(ctx, name)
	if err != nil {
		return Status{}, err
	}
	st := Status{Projection: name, Position: cp.Position, RecordedAt: cp.RecordedAt, Head: head.Position}
	if head.Position > cp.Position {
		if st.LagEvents, st.LagEstimated, err = o.lag(ctx, cp.Position, head.Position); err != nil {
			return Status{}, err
		}
		if st.LagSeconds, err = o.lagSeconds(ctx, cp, head); err != nil {
			return Status{}, err
		}
	}
	st.Poisoned, st.LastError, err = o.poison(ctx, name)
	return st, err
}

// lag counts the events after position up to head, reading at most
// ExactLag of them, and extrapolates beyond.
func (o *Operator) lag(ctx context.Context, position, head uint64) (uint64, bool, error) {
	page, err := o.cfg.Events.ReadAll(ctx, eventstore.ReadAllOptions{After: position, Limit: ExactLag})
	if err != nil {
		return 0, false, fmt.Errorf("count lag: %w", err)
	}
	var n uint64
	for _, r := range page {
		if r.Position <= head {
			n++
		}
	}
	if len(page) < ExactLag || page[len(page)-1].Position >= head {
		return n, false, nil
	}
	seen := page[len(page)-1].Position - position
	return uint64(float64(n) * float64(head-position) / float64(seen)), true, nil
}

// lagSeconds compares recorded_at of the head with that of the
// checkpoint's event, or of the log's first event for a projection that
// has applied nothing.
func (o *Operator) lagSeconds(ctx context.Context, cp readmodel.Checkpoint, head eventstore.Record) (float64, error) {
	from := cp.RecordedAt
	if from.IsZero() {
		first, _, err := firstAfter(ctx, o.cfg.Events, cp.Position)
		if err != nil {
			return 0, err
		}
		from = first.RecordedAt
	}
	return max(head.RecordedAt.Sub(from).Seconds(), 0), nil
}

func (o *Operator) poison(ctx context.Context, name string) (int64, string, error) {
	rows, err := o.cfg.ReadModels.Query(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM projection_poison WHERE projection = $1`, name)
	if err != nil {
		return 0, "", fmt.Errorf("count poisoned batches: %w", err)
	}
	var n, last int64
	if err := scanOne(rows, &n, &last); err != nil || n == 0 {
		return 0, "", err
	}
	rows, err = o.cfg.ReadModels.Query(ctx, `SELECT reason FROM projection_poison WHERE id = $1`, last)
	if err != nil {
		return 0, "", fmt.Errorf("read last poisoned batch: %w", err)
	}
	var reason string
	err = scanOne(rows, &reason)
	return n, reason, err
}

// scanOne scans the only row of rows and closes them.
func scanOne(rows readmodel.Rows, dest ...any) error {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return fmt.Errorf("no row")
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}

// rebuilds returns the rebuild shadows by projection.
func (o *Operator) rebuilds(ctx context.Context) (map[string]*Rebuilding, error) {
	sh, ok := o.cfg.ReadModels.(readmodel.Shadower)
	if !ok {
		return nil, nil
	}
	infos, err := sh.Shadows(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]*Rebuilding{}
	for _, info := range infos {
		name, ok := strings.CutPrefix(info.Name, rebuildPrefix)
		if !ok {
			continue
		}
		r := &Rebuilding{Running: info.Busy}
		if cp, ok := info.Checkpoints[name]; ok {
			r.Position = &cp.Position
		}
		out[name] = r
	}
	return out, nil
}
