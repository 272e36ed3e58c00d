package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
)

// DefaultMaxAttempts bounds how often Execute decides again after losing a
// race for the stream.
const DefaultMaxAttempts = 8

// Handler executes commands on one store. It is safe for concurrent use.
type Handler struct {
	store       eventstore.Store
	cat         *domain.Catalogue
	maxAttempts int
}

// NewHandler returns a handler appending to store, encoding with cat.
func NewHandler(store eventstore.Store, cat *domain.Catalogue) *Handler {
	return &Handler{store: store, cat: cat, maxAttempts: DefaultMaxAttempts}
}

// Result reports what a command appended.
type Result struct {
	Stream string `json:"stream"`
	// EventIDs are the ids of the events the command produced (none for
	// a command that changed nothing).
	EventIDs []uuid.UUID `json:"event_ids"`
	// Version is the stream's version after the command.
	Version uint64 `json:"version"`
	// Position is the global position of the command's last event.
	Position uint64 `json:"position,omitempty"`
	// Replayed is true when the command id was already executed and this
	// is the original outcome.
	Replayed bool `json:"replayed,omitempty"`
}

// Execute runs cmd: load, decide, append, retrying on a version conflict.
// A domain rule violation comes back as a *domain.ValidationError (use
// errors.As); a store failure is wrapped with the stream name.
func Execute[S domain.State](ctx context.Context, h *Handler, env Envelope, cmd domain.Command[S], newState func() S) (Result, error) {
	if err := env.Validate(); err != nil {
		return Result{}, err
	}
	for attempt := 1; ; attempt++ {
		res, err := executeOnce(ctx, h, env, cmd, newState())
		if !errors.Is(err, eventstore.ErrWrongExpectedVersion) || attempt == h.maxAttempts {
			return res, err
		}
	}
}

func executeOnce[S domain.State](ctx context.Context, h *Handler, env Envelope, cmd domain.Command[S], state S) (Result, error) {
	stream := cmd.Stream()
	version, prior, err := h.load(ctx, stream, env.CommandID, state)
	if err != nil || prior != nil {
		return *orEmpty(prior), err
	}
	events, err := cmd.Decide(state, env.At)
	if err != nil || len(events) == 0 {
		return Result{Stream: stream, Version: version}, err
	}
	data, err := h.encode(env, events)
	if err != nil {
		return Result{}, err
	}
	res, err := h.store.Append(ctx, stream, eventstore.Exact(version), data)
	if err != nil {
		return Result{}, fmt.Errorf("execute command %s on %s: %w", env.CommandID, stream, err)
	}
	return Result{Stream: stream, EventIDs: ids(data), Version: res.LastVersion, Position: res.LastPosition}, nil
}

func orEmpty(r *Result) *Result {
	if r == nil {
		return &Result{}
	}
	return r
}

// load folds stream into state and returns its version; if the command id
// is already in the stream it returns the original result instead.
func (h *Handler) load(ctx context.Context, stream string, commandID uuid.UUID, state domain.State) (uint64, *Result, error) {
	var version uint64
	var prior *Result
	err := ReadStream(ctx, h.store, h.cat, stream, func(r eventstore.Record, e domain.Event) {
		version = r.Version
		state.Apply(domain.Recorded{ID: r.ID, Stream: r.Stream, Version: r.Version, Position: r.Position, At: r.OccurredAt, Event: e})
		if r.Metadata.CommandID == commandID {
			if prior == nil {
				prior = &Result{Stream: stream, Replayed: true}
			}
			prior.EventIDs = append(prior.EventIDs, r.ID)
			prior.Version, prior.Position = r.Version, r.Position
		}
	})
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return 0, nil, nil
	}
	return version, prior, err
}

func (h *Handler) encode(env Envelope, events []domain.Event) ([]eventstore.EventData, error) {
	out := make([]eventstore.EventData, len(events))
	for i, e := range events {
		typ, v, data, err := h.cat.Encode(e)
		if err != nil {
			return nil, err
		}
		out[i] = eventstore.EventData{ID: env.EventID(i), Type: typ, SchemaVersion: v, Data: data,
			OccurredAt: env.At, Metadata: env.Metadata()}
	}
	return out, nil
}

func ids(data []eventstore.EventData) []uuid.UUID {
	out := make([]uuid.UUID, len(data))
	for i, d := range data {
		out[i] = d.ID
	}
	return out
}
