package sql_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections/publish"
	"github.com/ledgerline/ledgerline/projections/publish/publishtest"
	pubsql "github.com/ledgerline/ledgerline/projections/publish/sql"
)

func TestConformance(t *testing.T) {
	publishtest.Run(t, func(t testing.TB) publishtest.Broker {
		dsn := pgtest.Database(t)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		pool, err := pgxpool.New(ctx, dsn)
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		s := publish.Sharding{Shards: 4}
		open := func(t testing.TB) publish.Publisher {
			p, err := pubsql.Open(context.Background(), dsn, nil)
			require.NoError(t, err)
			return publish.FromWatermill(p)
		}
		sub, err := pubsql.NewSubscriber(pool, "publishtest", nil)
		require.NoError(t, err)
		return publishtest.Broker{
			Name: "sql", Publisher: open(t), Sharding: s, Subscriber: sub,
			Break:  func(t testing.TB) { renameTables(t, pool, s, "watermill_%s", "broken_%s") },
			Repair: func(t testing.TB) { renameTables(t, pool, s, "broken_%s", "watermill_%s") },
			Reopen: func(t testing.TB) publish.Publisher { return open(t) },
		}
	})
}

// renameTables renames every topic's messages table: the publisher's
// INSERT then fails, as when the database refuses.
func renameTables(t testing.TB, pool *pgxpool.Pool, s publish.Sharding, from, to string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, topic := range s.Topics() {
		_, err := pool.Exec(ctx, "ALTER TABLE "+pgx.Identifier{fmt.Sprintf(from, topic)}.Sanitize()+" RENAME TO "+pgx.Identifier{fmt.Sprintf(to, topic)}.Sanitize())
		require.NoError(t, err)
	}
}
