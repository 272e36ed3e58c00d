package projections

import (
	"context"
	"errors"
	"sync"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Event is a stored event handed to a projector, which decodes its payload
// only if it needs it.
type Event struct {
	eventstore.Record
	cat     *domain.Catalogue
	decoded *decoding
}

// decoding is an event's payload, decoded once however many projectors
// ask for it.
type decoding struct {
	once  sync.Once
	event domain.Event
	err   error
}

// Known reports whether this build's catalogue knows the event's type.
func (e Event) Known() bool {
	_, ok := e.cat.Spec(e.Type)
	return ok
}

// Payload decodes and upcasts the event's payload, once: the projectors
// sharing a batch (a rebuild of several models) share the result, so
// they must not modify it. It is safe for concurrent use.
func (e Event) Payload() (domain.Event, error) {
	d := e.decoded
	d.once.Do(func() { d.event, d.err = e.cat.Decode(e.Type, e.SchemaVersion, e.Data) })
	return d.event, d.err
}

// Recorded returns the domain view of e for aggregate-style folds.
func (e Event) Recorded() (domain.Recorded, error) {
	p, err := e.Payload()
	if err != nil {
		return domain.Recorded{}, err
	}
	return domain.Recorded{ID: e.ID, Stream: e.Stream, Version: e.Version, Position: e.Position,
		At: e.OccurredAt, Event: p}, nil
}

// Projector builds one read model. Implementations must be deterministic:
// the same events give the same rows, so a rebuild equals the live model.
type Projector interface {
	// Name identifies the projection and its checkpoint, e.g. "timeline".
	Name() string
	// Schema returns idempotent DDL creating the projection's tables.
	Schema(d readmodel.Dialect) []string
	// Project applies a batch of consecutive events inside tx. An error
	// wrapping ErrPermanent sends the batch to the poison queue; any
	// other error is retried.
	Project(ctx context.Context, tx readmodel.Tx, events []Event) error
}

// ErrPermanent marks a projector error that retrying cannot cure.
var ErrPermanent = errors.New("projections: permanent failure")

// Events wraps recs for projectors, decoding through cat.
func Events(cat *domain.Catalogue, recs []eventstore.Record) []Event {
	out := make([]Event, len(recs))
	decoded := make([]decoding, len(recs))
	for i, r := range recs {
		out[i] = Event{Record: r, cat: cat, decoded: &decoded[i]}
	}
	return out
}
