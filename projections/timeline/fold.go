package timeline

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Fold implements [projections.Rebuilder]: timeline rows are handed over
// a batch at a time; the customers directory, whose counters every event
// changes, is kept in memory and handed over once, at the end, as
// Project's statements would have left it.
func (Projector) Fold() projections.Fold { return &fold{dir: map[uuid.UUID]*customerRow{}} }

// fold is the timeline projection's [projections.Fold].
type fold struct {
	dir map[uuid.UUID]*customerRow
}

// customerRow is a customers row being folded.
type customerRow struct {
	registration
	registered time.Time
	events     int64
	last       time.Time
	forgotten  bool
}

// activityCount is what one batch adds to a customer's counters.
type activityCount struct {
	events int64
	latest time.Time
}

// Add implements [projections.Fold]. It describes the batch's events on
// every core, then folds the directory and builds the rows in log order.
func (f *fold) Add(events []projections.Event) ([]projections.Rows, []projections.Refusal) {
	entries := make([]entry, len(events))
	projections.Split(len(events), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			entries[i] = describe(events[i])
		}
	})
	rows := newTimelineColumns(len(events))
	counts := map[uuid.UUID]*activityCount{}
	var refused []projections.Refusal
	for i, e := range events {
		if id := entries[i].customer; id != uuid.Nil {
			if err := f.directory(e, id); err != nil {
				refused = append(refused, projections.Refusal{Event: e, Err: err})
				continue
			}
			if row := f.dir[id]; row != nil {
				row.count(1, e.OccurredAt) // registered by the batch's end too
			} else {
				count(counts, id, e.OccurredAt)
			}
		}
		rows.add(e, entries[i])
	}
	f.addActivity(counts)
	return []projections.Rows{rows.rows()}, refused
}

// directory folds a registration (the first stays) or a forgetting (of a
// registered customer), as the directory's statements apply them.
func (f *fold) directory(e projections.Event, id uuid.UUID) error {
	switch e.Type {
	case "customer.registered":
		r, err := registrationOf(e)
		if err != nil {
			return err
		}
		if f.dir[id] == nil {
			f.dir[id] = &customerRow{registration: r, registered: e.OccurredAt}
		}
	case "customer.forgotten":
		if row := f.dir[id]; row != nil {
			row.forgotten, row.Name = true, ""
		}
	}
	return nil
}

func count(counts map[uuid.UUID]*activityCount, id uuid.UUID, at time.Time) {
	c := counts[id]
	if c == nil {
		c = &activityCount{}
		counts[id] = c
	}
	c.events++
	if at.After(c.latest) {
		c.latest = at
	}
}

// addActivity adds the counts of a batch's events that came before their
// customer's registration to the customers registered by the batch's end,
// as the activity statement that ends Project does.
func (f *fold) addActivity(counts map[uuid.UUID]*activityCount) {
	for id, c := range counts {
		if row := f.dir[id]; row != nil {
			row.count(c.events, c.latest)
		}
	}
}

// count adds n events, the latest at latest, to the row's counters.
func (r *customerRow) count(n int64, latest time.Time) {
	r.events += n
	if latest.After(r.last) {
		r.last = latest
	}
}

var customerColumns = []string{"customer_id", "kind", "display_name", "source", "source_id", "sample_index",
	"registered_at", "events", "last_event_at", "forgotten"}

// Finish implements [projections.Fold]: the directory, in customer id
// order.
func (f *fold) Finish() []projections.Rows {
	ids := make([]uuid.UUID, 0, len(f.dir))
	for id := range f.dir {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	rows := make([][]any, len(ids))
	for i, id := range ids {
		r := f.dir[id]
		rows[i] = []any{id, r.Kind, r.Name, r.Source, r.SourceID, sampleIndex(r.SampleIndex), r.registered,
			r.events, r.last, r.forgotten}
	}
	return []projections.Rows{{Table: "customers", Columns: readmodel.ColumnsOf(customerColumns, rows)}}
}
