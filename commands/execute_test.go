package commands_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
)

var at = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func env() commands.Envelope {
	return commands.Envelope{CommandID: uuid.New(), Actor: "user:test", At: at}
}

func newState() *customer.State { return &customer.State{} }

func setup(t *testing.T) (*commands.Handler, eventstore.Store, uuid.UUID) {
	store := memory.New(nil)
	h := commands.NewHandler(store, catalogue.New())
	id := uuid.New()
	_, err := commands.Execute(context.Background(), h, env(), customer.Register{CustomerID: id, Kind: customer.Person, Name: "Ann Example"}, newState)
	require.NoError(t, err)
	return h, store, id
}

func call(id uuid.UUID, topic string) customer.LogInteraction {
	return customer.LogInteraction{CustomerID: id, Channel: channel.Phone, Direction: channel.Inbound, Topic: topic}
}

func TestExecuteAppendsWithEnvelopeMetadata(t *testing.T) {
	h, store, id := setup(t)
	e := env()
	e.CorrelationID = uuid.New()
	res, err := commands.Execute(context.Background(), h, e, call(id, "billing question"), newState)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), res.Version)
	recs, err := store.ReadStream(context.Background(), customer.Stream(id), eventstore.ReadStreamOptions{From: 2})
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, res.EventIDs[0], recs[0].ID)
	assert.Equal(t, e.EventID(0), recs[0].ID)
	assert.Equal(t, eventstore.Metadata{Actor: "user:test", CommandID: e.CommandID, CorrelationID: e.CorrelationID, CausationID: e.CommandID}, recs[0].Metadata)
	assert.Equal(t, at, recs[0].OccurredAt)
}

func TestRetriedCommandNeverAppendsTwice(t *testing.T) {
	h, store, id := setup(t)
	e := env()
	first, err := commands.Execute(context.Background(), h, e, call(id, "first"), newState)
	require.NoError(t, err)
	_, err = commands.Execute(context.Background(), h, env(), call(id, "someone else's"), newState)
	require.NoError(t, err)
	again, err := commands.Execute(context.Background(), h, e, call(id, "first"), newState)
	require.NoError(t, err)
	assert.True(t, again.Replayed)
	assert.Equal(t, first.EventIDs, again.EventIDs)
	recs, err := store.ReadStream(context.Background(), customer.Stream(id), eventstore.ReadStreamOptions{})
	require.NoError(t, err)
	assert.Len(t, recs, 3, "registration and two interactions, not three")
}

func TestConcurrentCommandsAllLand(t *testing.T) {
	h, store, id := setup(t)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := commands.Execute(context.Background(), h, env(), call(id, "race"), newState)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	recs, err := store.ReadStream(context.Background(), customer.Stream(id), eventstore.ReadStreamOptions{})
	require.NoError(t, err)
	assert.Len(t, recs, n+1)
}

func TestRuleViolationsComeBackTyped(t *testing.T) {
	h, _, id := setup(t)
	tests := []struct {
		name  string
		env   commands.Envelope
		cmd   domain.Command[*customer.State]
		field string
		kind  error
	}{
		{"unknown channel", env(), customer.LogInteraction{CustomerID: id, Channel: "pigeon", Direction: channel.Inbound, Topic: "x"}, "channel", domain.ErrInvalid},
		{"unregistered customer", env(), call(uuid.New(), "x"), "customer_id", domain.ErrNotFound},
		{"registered twice", env(), customer.Register{CustomerID: id, Kind: customer.Person, Name: "Ann"}, "customer_id", domain.ErrAlreadyExists},
		{"missing envelope time", commands.Envelope{CommandID: uuid.New(), Actor: "user:test"}, call(id, "x"), "at", domain.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := commands.Execute(context.Background(), h, tt.env, tt.cmd, newState)
			var v *domain.ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, tt.field, v.Field)
			assert.ErrorIs(t, err, tt.kind)
		})
	}
}
