package projections

import (
	"context"
	"errors"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Event is a stored event with its decoded payload.
type Event struct {
	eventstore.Record
	// Payload is the decoded, upcast event; nil when this build does not
	// know the event's type or cannot decode it (DecodeErr says why).
	Payload   domain.Event
	DecodeErr error
}

// Recorded returns the domain view of e for aggregate-style folds.
func (e Event) Recorded() domain.Recorded {
	return domain.Recorded{ID: e.ID, Stream: e.Stream, Version: e.Version, Position: e.Position,
		At: e.OccurredAt, Event: e.Payload}
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

// Decode decodes recs through cat.
func Decode(cat *domain.Catalogue, recs []eventstore.Record) []Event {
	out := make([]Event, len(recs))
	for i, r := range recs {
		p, err := cat.Decode(r.Type, r.SchemaVersion, r.Data)
		out[i] = Event{Record: r, Payload: p, DecodeErr: err}
	}
	return out
}
