package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// attached is the schema name of the shadow file while it is attached to
// the live writer connection.
const attached = "ll_shadow"

// schemaObject is a table, index or trigger of the shadow as
// sqlite_master records it.
type schemaObject struct {
	kind, name, sql string
}

// Swap implements [readmodel.Shadow]. SQLite cannot move a table from one
// file to another, so the swap copies: on the live writer connection it
// attaches the shadow file and, in one immediate transaction, drops each
// live table, recreates it with its indexes from the shadow's DDL and
// copies the rows with INSERT … SELECT * (SQLite's transfer optimisation
// then copies records without decoding them, and the indexes already
// exist), creates the triggers, installs the checkpoint and runs fn. WAL
// readers keep their snapshot of the old tables until the commit. The
// writer, shared with the event store, is held for the copy: appends wait.
func (sh *shadow) Swap(ctx context.Context, projection string, at uint64, fn func(context.Context, readmodel.Tx) error) error {
	defer sh.Close()
	cp, objects, err := sh.prepareSwap(ctx, projection, at)
	if err != nil {
		return err
	}
	if err := sh.Store.Close(); err != nil { // releases the exclusive lock for ATTACH
		return fmt.Errorf("swap %s: close shadow: %w", projection, err)
	}
	conn, err := sh.live.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("swap %s: %w", projection, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE $1 AS `+attached, sh.path); err != nil {
		return fmt.Errorf("swap %s: attach shadow: %w", projection, err)
	}
	err = install(ctx, conn, projection, cp, objects, fn)
	_, detachErr := conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE `+attached)
	return errors.Join(err, detachErr)
}

// prepareSwap checks the shadow's checkpoint and reads its DDL: tables
// first, then indexes, then triggers.
func (sh *shadow) prepareSwap(ctx context.Context, projection string, at uint64) (readmodel.Checkpoint, []schemaObject, error) {
	cp, err := sh.Checkpoint(ctx, projection)
	if err != nil {
		return cp, nil, err
	}
	if cp.Position != at {
		return cp, nil, fmt.Errorf("swap %s at %d: shadow checkpoint is %d: %w", projection, at, cp.Position, readmodel.ErrCheckpointMoved)
	}
	rows, err := sh.read.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master
		WHERE sql IS NOT NULL AND type IN ('table', 'index', 'trigger')
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND tbl_name <> 'projection_checkpoints'
		ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name`)
	if err != nil {
		return cp, nil, fmt.Errorf("swap %s: read shadow schema: %w", projection, err)
	}
	defer rows.Close()
	var out []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			return cp, nil, fmt.Errorf("swap %s: read shadow schema: %w", projection, err)
		}
		out = append(out, o)
	}
	return cp, out, rows.Err()
}

// install runs the swap's transaction on conn, which has the shadow
// attached.
func install(ctx context.Context, conn *sql.Conn, projection string, cp readmodel.Checkpoint, objects []schemaObject, fn func(context.Context, readmodel.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("swap %s: begin: %w", projection, err)
	}
	defer tx.Rollback()
	if err := replaceTables(ctx, tx, objects); err != nil {
		return fmt.Errorf("swap %s: %w", projection, err)
	}
	_, err = tx.ExecContext(ctx, upsertCheckpoint, projection, int64(cp.Position), cp.RecordedAt.UnixMicro())
	if err != nil {
		return fmt.Errorf("swap %s: install checkpoint: %w", projection, err)
	}
	t := &txn{tx: tx, stmts: map[string]*sql.Stmt{}}
	defer t.close()
	if err := fn(ctx, t); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("swap %s: commit: %w", projection, err)
	}
	return nil
}

// replaceTables drops the live tables the shadow has, recreates them from
// the shadow's DDL and copies the rows, before the triggers exist.
func replaceTables(ctx context.Context, tx *sql.Tx, objects []schemaObject) error {
	for _, o := range objects {
		if o.kind == "trigger" {
			break
		}
		if o.kind == "table" {
			if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS main.`+quote(o.name)); err != nil {
				return fmt.Errorf("drop live %s: %w", o.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, o.sql); err != nil {
			return fmt.Errorf("create %s %s: %w", o.kind, o.name, err)
		}
	}
	for _, o := range objects {
		if o.kind != "table" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO main.`+quote(o.name)+` SELECT * FROM `+attached+`.`+quote(o.name)); err != nil {
			return fmt.Errorf("copy %s: %w", o.name, err)
		}
	}
	for _, o := range objects {
		if o.kind != "trigger" {
			continue
		}
		if _, err := tx.ExecContext(ctx, o.sql); err != nil {
			return fmt.Errorf("create trigger %s: %w", o.name, err)
		}
	}
	return nil
}

// quote returns name as a quoted SQL identifier.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
