package cdnow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
)

// DefaultBatchLines is how many lines one import transaction covers.
const DefaultBatchLines = 5000

// Actor is recorded on every imported event.
const Actor = "import:cdnow"

// Options tune [Import].
type Options struct {
	// BatchLines is the number of lines validated and committed together;
	// 0 means DefaultBatchLines.
	BatchLines int
	// Progress, if set, is called after each committed batch.
	Progress func(Progress)
}

// Progress reports an import under way.
type Progress struct {
	Lines  int
	Events int
}

// Summary reports a finished import.
type Summary struct {
	File      string  `json:"file"`
	Dataset   Dataset `json:"dataset"`
	Lines     int     `json:"lines"`
	Customers int     `json:"customers"`
	Purchases int     `json:"purchases"`
	Cents     int64   `json:"cents"`
	// Events is how many events the file maps to; Appended how many of
	// them were new (a re-import appends none).
	Events       int           `json:"events"`
	Appended     int           `json:"appended"`
	LastPosition uint64        `json:"last_position"`
	Duration     time.Duration `json:"duration_ns"`
}

// importer carries one import's state across batches.
type importer struct {
	store   eventstore.Store
	cat     *domain.Catalogue
	parser  *Parser
	opts    Options
	head    uint64
	states  map[string]*customer.State
	summary Summary
}

// Import reads a CDNOW file from r (named file in errors and the summary)
// and appends its customers and purchases to store. A malformed line stops
// it with a *LineError; nothing of that line's batch is stored.
func Import(ctx context.Context, store eventstore.Store, cat *domain.Catalogue, r io.Reader, file string, opts Options) (Summary, error) {
	start := time.Now()
	if opts.BatchLines <= 0 {
		opts.BatchLines = DefaultBatchLines
	}
	p, err := NewParser(r, file)
	if err != nil {
		return Summary{}, err
	}
	head, err := eventstore.Head(ctx, store)
	if err != nil {
		return Summary{}, err
	}
	im := &importer{store: store, cat: cat, parser: p, opts: opts, head: head, states: map[string]*customer.State{},
		summary: Summary{File: file, Dataset: p.Dataset()}}
	for done := false; !done; {
		if done, err = im.batch(ctx); err != nil {
			return im.summary, err
		}
	}
	im.summary.Customers = len(im.states)
	im.summary.Duration = time.Since(start)
	return im.summary, nil
}

// batch validates up to BatchLines lines and commits their events in one
// append; it reports whether the file is done.
func (im *importer) batch(ctx context.Context) (bool, error) {
	var reqs []eventstore.AppendRequest
	index := map[string]int{}
	lines, purchases, cents, done := 0, 0, int64(0), false
	for lines < im.opts.BatchLines {
		row, err := im.parser.Next()
		if errors.Is(err, io.EOF) {
			done = true
			break
		}
		if err != nil {
			return false, err
		}
		events, err := im.decide(row)
		if err != nil {
			return false, err
		}
		stream := customer.Stream(CustomerID(im.parser.Dataset(), row.CustomerID))
		i, ok := index[stream]
		if !ok {
			i, index[stream] = len(reqs), len(reqs)
			reqs = append(reqs, eventstore.AppendRequest{Stream: stream, Expected: eventstore.Any})
		}
		reqs[i].Events = append(reqs[i].Events, events...)
		lines, purchases, cents = lines+1, purchases+1, cents+row.Cents
	}
	if err := im.commit(ctx, reqs); err != nil {
		return false, err
	}
	im.summary.Lines += lines
	im.summary.Purchases += purchases
	im.summary.Cents += cents
	if im.opts.Progress != nil {
		im.opts.Progress(Progress{Lines: im.summary.Lines, Events: im.summary.Events})
	}
	return done, nil
}

func (im *importer) commit(ctx context.Context, reqs []eventstore.AppendRequest) error {
	if len(reqs) == 0 {
		return nil
	}
	results, err := eventstore.AppendBatch(ctx, im.store, reqs)
	if err != nil {
		return fmt.Errorf("import %s: %w", im.summary.File, err)
	}
	for i, res := range results {
		n := len(reqs[i].Events)
		im.summary.Events += n
		if res.LastPosition > im.head {
			im.summary.Appended += n
		}
		im.summary.LastPosition = max(im.summary.LastPosition, res.LastPosition)
	}
	return nil
}

// decide turns a row into events through the customer aggregate's rules:
// a registration the first time a source customer appears, then the
// purchase.
func (im *importer) decide(row Row) ([]eventstore.EventData, error) {
	d := im.parser.Dataset()
	state, seen := im.states[row.CustomerID]
	if !seen {
		state = &customer.State{}
		im.states[row.CustomerID] = state
	}
	var out []eventstore.EventData
	if !seen {
		evs, err := im.apply(state, register(d, row), row, registrationID(d, row.CustomerID))
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
	}
	evs, err := im.apply(state, purchase(d, row), row, lineID(d, row.Line))
	return append(out, evs...), err
}

func (im *importer) apply(state *customer.State, cmd domain.Command[*customer.State], row Row, id uuid.UUID) ([]eventstore.EventData, error) {
	events, err := cmd.Decide(state, row.Date)
	if err != nil {
		return nil, &LineError{File: im.summary.File, Line: row.Line, Rule: err.Error()}
	}
	out := make([]eventstore.EventData, len(events))
	for i, e := range events {
		state.Apply(domain.Recorded{ID: id, Stream: cmd.Stream(), At: row.Date, Event: e})
		typ, v, data, err := im.cat.Encode(e)
		if err != nil {
			return nil, err
		}
		eid := id
		if i > 0 {
			eid = uuid.NewSHA1(id, []byte{byte(i)})
		}
		out[i] = eventstore.EventData{ID: eid, Type: typ, SchemaVersion: v, Data: data, OccurredAt: row.Date,
			Metadata: eventstore.Metadata{Actor: Actor, CommandID: id, CorrelationID: correlationID(im.parser.Dataset()), CausationID: id}}
	}
	return out, nil
}
