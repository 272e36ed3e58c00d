package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// positionShift places a transaction's id in the high bits of its events'
// positions: position = xid8 << positionShift + ordinal (see doc.go).
const positionShift = 16

// MaxEventsPerTx is the most events one Append or AppendBatch can store:
// the ordinal of an event within its transaction fills the low 16 bits of
// its position.
const MaxEventsPerTx = 1<<positionShift - 1

// migration is one versioned step of the schema; {{s}} stands for the
// quoted schema name.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are applied in order, each once; never edit a released one,
// append a new one.
var migrations = []migration{{
	version: 1,
	name:    "events table",
	sql: `
CREATE TABLE {{s}}.events (
	position       bigint      NOT NULL,
	tx             xid8        NOT NULL DEFAULT pg_current_xact_id(),
	stream         text        NOT NULL,
	version        bigint      NOT NULL,
	id             uuid        NOT NULL,
	type           text        NOT NULL,
	schema_version int         NOT NULL,
	data           bytea       NOT NULL,
	occurred_at    timestamptz NOT NULL,
	recorded_at    timestamptz NOT NULL,
	actor          text        NOT NULL,
	command_id     uuid        NOT NULL,
	correlation_id uuid        NOT NULL,
	causation_id   uuid        NOT NULL,
	hash           bytea       NOT NULL,
	CONSTRAINT events_pkey PRIMARY KEY (position),
	CONSTRAINT events_stream_version_key UNIQUE (stream, version),
	CONSTRAINT events_id_key UNIQUE (id),
	CONSTRAINT events_version_check CHECK (version >= 1),
	CONSTRAINT events_position_check CHECK (position >> 16 = tx::text::bigint AND position & 65535 > 0)
)`,
}}

// migrate brings schema up to the latest migration in one transaction,
// serialised by an advisory lock so that two processes opening the store
// at once neither fail nor apply a step twice.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", "ledgerline migrate "+schema); err != nil {
			return err
		}
		current, err := migrationVersion(ctx, tx, schema)
		if err != nil {
			return err
		}
		if current > len(migrations) {
			return fmt.Errorf("schema %s is at version %d, newer than this build knows (%d)", schema, current, len(migrations))
		}
		for _, m := range migrations[current:] {
			if err := apply(ctx, tx, schema, m); err != nil {
				return err
			}
		}
		return nil
	})
}

func migrationVersion(ctx context.Context, tx pgx.Tx, schema string) (int, error) {
	q := qualify(schema, `CREATE SCHEMA IF NOT EXISTS {{s}};
CREATE TABLE IF NOT EXISTS {{s}}.schema_migrations (
	version    int         PRIMARY KEY,
	name       text        NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now())`)
	if _, err := tx.Exec(ctx, q); err != nil {
		return 0, err
	}
	var v int
	err := tx.QueryRow(ctx, qualify(schema, "SELECT coalesce(max(version), 0) FROM {{s}}.schema_migrations")).Scan(&v)
	return v, err
}

func apply(ctx context.Context, tx pgx.Tx, schema string, m migration) error {
	if _, err := tx.Exec(ctx, qualify(schema, m.sql)); err != nil {
		return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
	}
	_, err := tx.Exec(ctx, qualify(schema, "INSERT INTO {{s}}.schema_migrations (version, name) VALUES ($1, $2)"), m.version, m.name)
	return err
}

// qualify replaces {{s}} in sql with the quoted schema name.
func qualify(schema, sql string) string {
	return strings.ReplaceAll(sql, "{{s}}", pgx.Identifier{schema}.Sanitize())
}
