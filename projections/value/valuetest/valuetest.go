package valuetest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// Commander executes customer commands on one store.
type Commander struct {
	t *testing.T
	h *commands.Handler
}

// NewCommander returns a Commander appending to events.
func NewCommander(t *testing.T, events eventstore.Store) *Commander {
	return &Commander{t: t, h: commands.NewHandler(events, catalogue.New())}
}

// Run executes cmd as of at and returns the ids of the events it
// appended; it fails the test if the command fails.
func (c *Commander) Run(at time.Time, cmd domain.Command[*customer.State]) []uuid.UUID {
	c.t.Helper()
	env := commands.Envelope{CommandID: uuid.New(), Actor: "user:test", At: at}
	res, err := commands.Execute(c.t.Context(), c.h, env, cmd, func() *customer.State { return &customer.State{} })
	require.NoError(c.t, err, "%T", cmd)
	return res.EventIDs
}

// One executes cmd as of at and returns the id of the one event it
// appended.
func (c *Commander) One(at time.Time, cmd domain.Command[*customer.State]) uuid.UUID {
	c.t.Helper()
	ids := c.Run(at, cmd)
	require.Len(c.t, ids, 1, "%T", cmd)
	return ids[0]
}

// SQLite opens a read-model store in a temporary file.
func SQLite(t testing.TB) readmodel.Store {
	t.Helper()
	models, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rm.db"))
	require.NoError(t, err)
	t.Cleanup(func() { models.Close() })
	return models
}

// Project creates the projectors' tables and runs them over events into
// models until they have applied the whole log, then stops them.
func Project(t testing.TB, events eventstore.Store, models readmodel.Store, ps ...projections.Projector) {
	t.Helper()
	head, err := eventstore.Head(context.Background(), events)
	require.NoError(t, err)
	rt, err := projections.New(projections.Config{Events: events, ReadModels: models, Catalogue: catalogue.New(),
		Projectors: ps, MaxBatch: 500, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, rt.Migrate(ctx))
	if head == 0 {
		return
	}
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	require.NoError(t, rt.WaitFor(ctx, head), "projecting into %s", models.Dialect())
	cancel()
	require.NoError(t, <-done)
}
