package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// columns lists the events columns in the order scanRecord reads them.
const columns = `position, stream, version, id, type, schema_version, data,
	occurred_at, recorded_at, actor, command_id, correlation_id, causation_id, hash`

// SQL of the statements prepared once per store.
const (
	insertEventSQL = `INSERT INTO events (` + columns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	findIDSQL     = `SELECT stream, version FROM events WHERE id = ?`
	headSQL       = `SELECT version, hash FROM streams WHERE stream = ?`
	lastPosSQL    = `SELECT COALESCE(MAX(position), 0) FROM events`
	upsertHeadSQL = `INSERT INTO streams (stream, version, hash) VALUES (?, ?, ?)
	ON CONFLICT (stream) DO UPDATE SET version = excluded.version, hash = excluded.hash`
	forwardSQL = `SELECT ` + columns + ` FROM events
	WHERE stream = ? AND version >= ? ORDER BY version LIMIT ?`
	backwardSQL = `SELECT ` + columns + ` FROM events
	WHERE stream = ? AND version <= ? ORDER BY version DESC LIMIT ?`
	readAllSQL = `SELECT ` + columns + ` FROM events
	WHERE position > ? ORDER BY position LIMIT ?`
)

// statements are prepared on the store's pools and reused by every call;
// a write transaction binds the write ones with Tx.StmtContext, which
// reuses the statement already prepared on the single write connection.
type statements struct {
	// write pool
	insert, findID, head, lastPos, upsertHead, replay *sql.Stmt
	// read pool
	forward, backward, readAll, exists *sql.Stmt
}

func (st *statements) prepare(ctx context.Context, wdb, rdb *sql.DB) error {
	for _, p := range []struct {
		db   *sql.DB
		dst  **sql.Stmt
		text string
	}{
		{wdb, &st.insert, insertEventSQL}, {wdb, &st.findID, findIDSQL},
		{wdb, &st.head, headSQL}, {wdb, &st.lastPos, lastPosSQL},
		{wdb, &st.upsertHead, upsertHeadSQL}, {wdb, &st.replay, forwardSQL},
		{rdb, &st.forward, forwardSQL}, {rdb, &st.backward, backwardSQL},
		{rdb, &st.readAll, readAllSQL}, {rdb, &st.exists, headSQL},
	} {
		stmt, err := p.db.PrepareContext(ctx, p.text)
		if err != nil {
			return fmt.Errorf("prepare statements: %w", translate(ctx, err))
		}
		*p.dst = stmt
	}
	return nil
}

func (st *statements) close() error {
	var errs []error
	for _, stmt := range []*sql.Stmt{st.insert, st.findID, st.head, st.lastPos, st.upsertHead,
		st.replay, st.forward, st.backward, st.readAll, st.exists} {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	return errors.Join(errs...)
}
