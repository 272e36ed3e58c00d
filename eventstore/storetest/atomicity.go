package storetest

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// invalidAppend is an append that must fail with ErrInvalidEvent and store
// nothing. Unless it says otherwise, it appends three events to a new
// stream, the middle one spoilt by spoil, so that the case also proves
// that one invalid event keeps the valid ones out.
type invalidAppend struct {
	name   string
	stream string
	spoil  func(evs []eventstore.EventData) []eventstore.EventData
}

func atomicityCases() []contractCase {
	middle := func(f func(ev *eventstore.EventData)) func([]eventstore.EventData) []eventstore.EventData {
		return func(evs []eventstore.EventData) []eventstore.EventData {
			f(&evs[1])
			return evs
		}
	}
	invalids := []invalidAppend{
		{"NilIDStoresNothing", streamB, middle(func(ev *eventstore.EventData) { ev.ID = uuid.Nil })},
		{"EmptyTypeStoresNothing", streamB, middle(func(ev *eventstore.EventData) { ev.Type = "" })},
		{"SchemaVersionZeroStoresNothing", streamB, middle(func(ev *eventstore.EventData) { ev.SchemaVersion = 0 })},
		{"NegativeSchemaVersionStoresNothing", streamB, middle(func(ev *eventstore.EventData) { ev.SchemaVersion = -1 })},
		{"NonJSONDataStoresNothing", streamB, middle(func(ev *eventstore.EventData) { ev.Data = []byte(`{"n":`) })},
		{"EmptyDataStoresNothing", streamB, middle(func(ev *eventstore.EventData) { ev.Data = nil })},
		{"ZeroOccurredAtStoresNothing", streamB, middle(func(ev *eventstore.EventData) { ev.OccurredAt = time.Time{} })},
		{"SameIDTwiceInOneAppendStoresNothing", streamB, func(evs []eventstore.EventData) []eventstore.EventData {
			evs[2].ID = evs[0].ID
			return evs
		}},
		{"EmptyStreamNameStoresNothing", "", func(evs []eventstore.EventData) []eventstore.EventData { return evs }},
		{"NilEventsAreInvalid", streamB, func([]eventstore.EventData) []eventstore.EventData { return nil }},
		{"EmptyEventsAreInvalid", streamB, func([]eventstore.EventData) []eventstore.EventData { return []eventstore.EventData{} }},
	}
	cases := make([]contractCase, 0, len(invalids))
	for _, c := range invalids {
		cases = append(cases, contractCase{name: c.name, run: c.run})
	}
	return cases
}

func (c invalidAppend) run(t *testing.T, s eventstore.Store) {
	stored := newEvents(1)
	mustAppend(t, s, streamA, eventstore.NoStream, stored)
	_, err := s.Append(t.Context(), c.stream, eventstore.Any, c.spoil(newEvents(3)))
	require.ErrorIs(t, err, eventstore.ErrInvalidEvent)
	requireLog(t, s, eventIDs(stored))
	requireStreamMissing(t, s, streamB)
}
