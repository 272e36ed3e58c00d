package sql

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Defaults of the subscribers.
const (
	// PollInterval is how often an idle subscriber polls its topic.
	PollInterval = 10 * time.Millisecond
	// SubscribeBatch is how many rows a subscriber reads at once.
	SubscribeBatch = 500
)

// Schema is the messages' table layout: Watermill's default PostgreSQL
// schema, whose JSON payload column keeps the envelope's text byte for
// byte (JSONB would reformat the event's data, which its hash covers).
func Schema() wsql.DefaultPostgreSQLSchema {
	return wsql.DefaultPostgreSQLSchema{SubscribeBatchSize: SubscribeBatch}
}

// Publisher is a Watermill publisher to PostgreSQL tables that owns its
// connection pool. It is safe for concurrent use.
type Publisher struct {
	*wsql.Publisher
	pool *pgxpool.Pool
}

// Open connects to the database dsn names and returns a publisher that
// creates each topic's table on first use.
func Open(ctx context.Context, dsn string, logger watermill.LoggerAdapter) (*Publisher, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("sql publisher: open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("sql publisher: connect: %w", err)
	}
	if logger == nil {
		logger = watermill.NopLogger{}
	}
	p, err := wsql.NewPublisher(wsql.BeginnerFromPgx(pool), wsql.PublisherConfig{SchemaAdapter: Schema(), AutoInitializeSchema: true}, logger)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("sql publisher: %w", err)
	}
	return &Publisher{Publisher: p, pool: pool}, nil
}

// Close closes the publisher, then its pool.
func (p *Publisher) Close() error {
	err := p.Publisher.Close()
	p.pool.Close()
	return err
}

// NewSubscriber returns a Watermill subscriber of consumer group group on
// pool: it reads each topic from the group's offset (the first row for a
// new group), in commit order.
func NewSubscriber(pool *pgxpool.Pool, group string, logger watermill.LoggerAdapter) (*wsql.Subscriber, error) {
	if group == "" {
		return nil, errors.New("sql: a subscriber needs a group")
	}
	if logger == nil {
		logger = watermill.NopLogger{}
	}
	sub, err := wsql.NewSubscriber(wsql.BeginnerFromPgx(pool), wsql.SubscriberConfig{
		ConsumerGroup: group, PollInterval: PollInterval, InitializeSchema: true,
		SchemaAdapter: Schema(), OffsetsAdapter: wsql.DefaultPostgreSQLOffsetsAdapter{},
	}, logger)
	if err != nil {
		return nil, fmt.Errorf("sql subscriber %s: %w", group, err)
	}
	return sub, nil
}
