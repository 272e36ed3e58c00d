package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/eventstore/pgerr"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Swap implements [readmodel.Shadow] without copying a row: in one live
// transaction, under the schema's migration lock and the projection's
// checkpoint row lock (the one Apply takes), it drops each live table the
// shadow has, moves the shadow's table into the live schema with ALTER
// TABLE … SET SCHEMA (its indexes, constraints and owned sequences move
// with it), re-grants what had been granted on the table it replaces
// (default privileges of the live schema apply only to tables created
// there), installs the checkpoint, runs fn and drops the shadow schema.
// ALTER TABLE and DROP TABLE take ACCESS EXCLUSIVE locks, so the swap
// waits for running queries on those tables, and queries that start
// meanwhile wait for the commit and then read the new tables. A view or
// foreign key on a live table makes the DROP fail: the swap then changes
// nothing.
func (sh *shadow) Swap(ctx context.Context, projection string, at uint64, fn func(context.Context, readmodel.Tx) error) error {
	defer sh.Close()
	tables, err := sh.Tables(ctx)
	if err != nil {
		return err
	}
	sh.Store.Close()
	return sh.live.migrate(ctx, func(tx pgx.Tx) error {
		if _, err := lockCheckpoint(ctx, tx, projection); err != nil {
			return err
		}
		cp, err := sh.checkpointIn(ctx, tx, projection)
		if err != nil {
			return err
		}
		if cp.Position != at {
			return fmt.Errorf("swap %s at %d: shadow checkpoint is %d: %w", projection, at, cp.Position, readmodel.ErrCheckpointMoved)
		}
		if err := sh.moveTables(ctx, tx, tables); err != nil {
			return fmt.Errorf("swap %s: %w", projection, err)
		}
		_, err = tx.Exec(ctx, `UPDATE projection_checkpoints SET position = $2, recorded_at = $3 WHERE projection = $1`,
			projection, int64(cp.Position), recordedAt(cp.RecordedAt))
		if err != nil {
			return pgerr.Translate(ctx, "swap "+projection+": install checkpoint", err)
		}
		if err := fn(ctx, txn{tx: tx}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{sh.schema}.Sanitize()+` CASCADE`)
		return pgerr.Translate(ctx, "swap "+projection+": drop shadow schema", err)
	})
}

// checkpointIn reads projection's checkpoint in the shadow schema from tx.
func (sh *shadow) checkpointIn(ctx context.Context, tx pgx.Tx, projection string) (readmodel.Checkpoint, error) {
	var pos int64
	var at *time.Time
	err := tx.QueryRow(ctx, `SELECT position, recorded_at FROM `+pgx.Identifier{sh.schema, "projection_checkpoints"}.Sanitize()+
		` WHERE projection = $1`, projection).Scan(&pos, &at)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return readmodel.Checkpoint{}, nil
	case err != nil:
		return readmodel.Checkpoint{}, pgerr.Translate(ctx, "read shadow checkpoint of "+projection, err)
	}
	cp := readmodel.Checkpoint{Position: uint64(pos)}
	if at != nil {
		cp.RecordedAt = at.UTC()
	}
	return cp, nil
}

func (sh *shadow) moveTables(ctx context.Context, tx pgx.Tx, tables []string) error {
	live := pgx.Identifier{sh.live.schema}.Sanitize()
	for _, t := range tables {
		grants, err := grantsOn(ctx, tx, pgx.Identifier{sh.live.schema, t}.Sanitize())
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS `+pgx.Identifier{sh.live.schema, t}.Sanitize()); err != nil {
			return pgerr.Translate(ctx, "drop live "+t, err)
		}
		if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{sh.schema, t}.Sanitize()+` SET SCHEMA `+live); err != nil {
			return pgerr.Translate(ctx, "move "+t, err)
		}
		for _, g := range grants {
			if _, err := tx.Exec(ctx, g); err != nil {
				return pgerr.Translate(ctx, "grant on "+t, err)
			}
		}
	}
	return nil
}

// grantsOn returns GRANT statements recreating the privileges others than
// its owner hold on table (a quoted, qualified name), none if it does not
// exist.
func grantsOn(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT format('GRANT %s ON %s TO %s%s', a.privilege_type, $1::text,
			CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
			CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
		FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
		WHERE c.oid = to_regclass($1) AND a.grantee <> c.relowner ORDER BY 1`, table)
	if err != nil {
		return nil, pgerr.Translate(ctx, "read grants on "+table, err)
	}
	grants, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return grants, pgerr.Translate(ctx, "read grants on "+table, err)
}
