package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  postgres.Config
		want []string
	}{
		{"zero value is valid", postgres.Config{}, nil},
		{"custom schema", postgres.Config{Schema: "crm_events", PollInterval: time.Millisecond, MaxConns: 8}, nil},
		{"quoted schema", postgres.Config{Schema: `x"; DROP`}, []string{"lowercase identifier"}},
		{"every problem", postgres.Config{Schema: "Upper", PollInterval: -1, MaxConns: -1},
			[]string{"schema", "poll interval", "max conns"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tt.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}

// TestOpenMigratesConcurrently opens two stores on a new schema at once,
// then a third: the migration runs once and nobody fails.
func TestOpenMigratesConcurrently(t *testing.T) {
	dsn := pgtest.Database(t)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { open(t, dsn, postgres.Config{Schema: "crm"}) })
	}
	wg.Wait()
	s := open(t, dsn, postgres.Config{Schema: "crm"})
	_, err := s.Append(t.Context(), "customer-a", eventstore.NoStream, events(1))
	require.NoError(t, err)
	var applied int
	err = connect(t, dsn).QueryRow(t.Context(), "SELECT count(*) FROM crm.schema_migrations").Scan(&applied)
	require.NoError(t, err)
	assert.Equal(t, 1, applied)
}

func TestOpenUnreachableIsUnavailable(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://postgres@127.0.0.1:1/none?connect_timeout=2", postgres.Config{})
	require.ErrorIs(t, err, eventstore.ErrUnavailable)
	var connErr *pgconn.ConnectError
	assert.False(t, errors.As(err, &connErr), "driver errors stay out of the chain")
}

func TestOpenKeepsContextErrors(t *testing.T) {
	dsn := pgtest.Database(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := postgres.Open(ctx, dsn, postgres.Config{})
	require.ErrorIs(t, err, context.Canceled)
}

// TestDriverErrorsAreText appends what PostgreSQL refuses (a NUL byte in
// text): the error carries the server's words but not its type.
func TestDriverErrorsAreText(t *testing.T) {
	s := open(t, pgtest.Database(t), postgres.Config{})
	_, err := s.Append(t.Context(), "customer-\x00", eventstore.NoStream, events(1))
	require.Error(t, err)
	assert.ErrorContains(t, err, "append to customer-")
	assert.ErrorContains(t, err, "22021")
	var pgErr *pgconn.PgError
	assert.False(t, errors.As(err, &pgErr), "a *pgconn.PgError must not be in the chain: %v", err)
}

func TestAppendRefusesMoreEventsThanATransactionHolds(t *testing.T) {
	s := open(t, pgtest.Database(t), postgres.Config{})
	evs := events(postgres.MaxEventsPerTx + 1)
	_, err := s.Append(t.Context(), "import-1", eventstore.NoStream, evs)
	require.ErrorIs(t, err, eventstore.ErrInvalidEvent)
	_, err = s.AppendBatch(t.Context(), []eventstore.AppendRequest{
		{Stream: "import-1", Expected: eventstore.Any, Events: evs[:postgres.MaxEventsPerTx]},
		{Stream: "import-2", Expected: eventstore.Any, Events: evs[postgres.MaxEventsPerTx:]},
	})
	require.ErrorIs(t, err, eventstore.ErrInvalidEvent)
}

// TestSurvivesDroppedConnections terminates every connection of the
// store, as a server restart does: the next calls succeed.
func TestSurvivesDroppedConnections(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.Database(t)
	s := open(t, dsn, postgres.Config{MaxConns: 8})
	var wg sync.WaitGroup
	for range 4 { // fill the pool with connections to kill
		wg.Go(func() {
			_, err := s.Append(ctx, "customer-a", eventstore.Any, events(1))
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	_, err := connect(t, dsn).Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	require.NoError(t, err)
	_, err = s.Append(ctx, "customer-a", eventstore.Exact(4), events(2))
	require.NoError(t, err)
	recs, err := s.ReadAll(ctx, eventstore.ReadAllOptions{Limit: 10})
	require.NoError(t, err)
	assert.Len(t, recs, 6)
}

// TestStaleHeadsFromAnotherProcess appends to one stream from two stores,
// as two processes would: each store's remembered head goes stale, and
// appends must still check versions and chain hashes correctly.
func TestStaleHeadsFromAnotherProcess(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.Database(t)
	a, b := open(t, dsn, postgres.Config{}), open(t, dsn, postgres.Config{})
	_, err := a.Append(ctx, "customer-a", eventstore.NoStream, events(1))
	require.NoError(t, err)
	_, err = b.Append(ctx, "customer-a", eventstore.Exact(1), events(2))
	require.NoError(t, err)

	_, err = a.Append(ctx, "customer-a", eventstore.Exact(1), events(1))
	var conflict *eventstore.ConflictError
	require.ErrorAs(t, err, &conflict, "a remembers version 1, the stream is at 3")
	assert.Equal(t, uint64(3), conflict.Actual)
	res, err := a.Append(ctx, "customer-a", eventstore.Exact(3), events(1))
	require.NoError(t, err)
	assert.Equal(t, uint64(4), res.FirstVersion)
	_, err = b.Append(ctx, "customer-a", eventstore.NoStream, events(1))
	require.ErrorIs(t, err, eventstore.ErrWrongExpectedVersion)
	res, err = b.Append(ctx, "customer-a", eventstore.Any, events(3))
	require.NoError(t, err)
	assert.Equal(t, eventstore.AppendResult{FirstVersion: 5, LastVersion: 7, LastPosition: res.LastPosition}, res)
	report, err := eventstore.Verify(ctx, a, nil)
	require.NoError(t, err)
	assert.Equal(t, 7, report.Events)
}
