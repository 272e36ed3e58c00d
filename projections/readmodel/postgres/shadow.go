package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ledgerline/ledgerline/eventstore/pgerr"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

var _ readmodel.Shadower = (*Store)(nil)

// shadowInfix joins the live schema's name and a shadow's name into the
// shadow schema's: readmodels_shadow_rebuild_timeline.
const shadowInfix = "_shadow_"

// Shadow implements [readmodel.Shadower]: the shadow is a schema of its
// own in the same database, with a pool whose search_path is that schema
// alone, so a projector's plain table names resolve there. A session
// advisory lock, held on a connection of its own for the shadow's life,
// makes the name exclusive across processes and tells [Store.Shadows] it
// is busy; a schema left without its lock is dropped and made again.
func (s *Store) Shadow(ctx context.Context, name string) (readmodel.Shadow, error) {
	schema, err := s.shadowSchema(name)
	if err != nil {
		return nil, err
	}
	lock, err := s.lockShadow(ctx, schema)
	if err != nil {
		return nil, err
	}
	sh, err := s.openShadow(ctx, schema, lock)
	if err != nil {
		return nil, errors.Join(err, lock.Close(context.WithoutCancel(ctx)))
	}
	return sh, nil
}

func (s *Store) shadowSchema(name string) (string, error) {
	schema := s.schema + shadowInfix + name
	if !readmodel.ValidShadowName(name) || len(schema) > 63 {
		return "", fmt.Errorf("shadow %q: not a valid shadow name (or %q is longer than 63 bytes)", name, schema)
	}
	return schema, nil
}

// shadowKey is the advisory lock key of a shadow schema, as SQL over $1.
const shadowKey = `hashtextextended('ledgerline shadow ' || $1, 0)`

// lockShadow connects and takes schema's advisory lock on that
// connection, failing with ErrShadowBusy if another session holds it.
func (s *Store) lockShadow(ctx context.Context, schema string) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, pgerr.Translate(ctx, "connect for shadow "+schema, err)
	}
	var locked bool
	err = conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+shadowKey+`)`, schema).Scan(&locked)
	switch {
	case err != nil:
		err = pgerr.Translate(ctx, "lock shadow "+schema, err)
	case !locked:
		err = fmt.Errorf("shadow %s: %w", schema, readmodel.ErrShadowBusy)
	}
	if err != nil {
		return nil, errors.Join(err, conn.Close(context.WithoutCancel(ctx)))
	}
	return conn, nil
}

// openShadow drops what an earlier holder of schema left, then opens a
// store on a fresh schema.
func (s *Store) openShadow(ctx context.Context, schema string, lock *pgx.Conn) (*shadow, error) {
	if _, err := lock.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
		return nil, pgerr.Translate(ctx, "drop abandoned shadow "+schema, err)
	}
	pcfg := s.pool.Config().Copy()
	pcfg.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, pgerr.Translate(ctx, "open shadow "+schema, err)
	}
	st := &Store{pool: pool, schema: schema}
	if err := st.setUp(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return &shadow{Store: st, live: s, lock: lock}, nil
}

// Shadows implements [readmodel.Shadower]. A shadow's checkpoints are
// read as committed, busy or not.
func (s *Store) Shadows(ctx context.Context) ([]readmodel.ShadowInfo, error) {
	prefix := s.schema + shadowInfix
	rows, err := s.pool.Query(ctx, `SELECT n.nspname, EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 1
			AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('ledgerline shadow ' || n.nspname, 0))
		FROM pg_namespace n WHERE starts_with(n.nspname, $1) ORDER BY n.nspname`, prefix)
	if err != nil {
		return nil, pgerr.Translate(ctx, "list shadows", err)
	}
	infos, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (readmodel.ShadowInfo, error) {
		var info readmodel.ShadowInfo
		err := r.Scan(&info.Name, &info.Busy)
		info.Name = strings.TrimPrefix(info.Name, prefix)
		return info, err
	})
	if err != nil {
		return nil, pgerr.Translate(ctx, "list shadows", err)
	}
	for i := range infos {
		if infos[i].Checkpoints, err = s.shadowCheckpoints(ctx, prefix+infos[i].Name); err != nil {
			return nil, err
		}
	}
	return infos, nil
}

func (s *Store) shadowCheckpoints(ctx context.Context, schema string) (map[string]readmodel.Checkpoint, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, pgx.Identifier{schema, "projection_checkpoints"}.Sanitize()).Scan(&exists); err != nil || !exists {
		return nil, pgerr.Translate(ctx, "read checkpoints of shadow "+schema, err)
	}
	rows, err := s.pool.Query(ctx, `SELECT projection, position, recorded_at FROM `+pgx.Identifier{schema, "projection_checkpoints"}.Sanitize())
	if err != nil {
		return nil, pgerr.Translate(ctx, "read checkpoints of shadow "+schema, err)
	}
	out := map[string]readmodel.Checkpoint{}
	var p string
	var pos int64
	var at *time.Time
	_, err = pgx.ForEachRow(rows, []any{&p, &pos, &at}, func() error {
		cp := readmodel.Checkpoint{Position: uint64(pos)}
		if at != nil {
			cp.RecordedAt = at.UTC()
		}
		out[p] = cp
		return nil
	})
	return out, pgerr.Translate(ctx, "read checkpoints of shadow "+schema, err)
}

// shadow is a [readmodel.Shadow]: a [Store] on the shadow schema, and the
// connection that holds its lock.
type shadow struct {
	*Store
	live *Store
	lock *pgx.Conn
	once sync.Once
	err  error
}

// Tables implements [readmodel.Shadow].
func (sh *shadow) Tables(ctx context.Context) ([]string, error) {
	rows, err := sh.pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'projection_checkpoints'
		ORDER BY tablename`, sh.schema)
	if err != nil {
		return nil, pgerr.Translate(ctx, "list shadow tables", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return names, pgerr.Translate(ctx, "list shadow tables", err)
}

// Close implements [readmodel.Store]: it drops the shadow schema (unless
// Swap moved it in), closes its pool and releases its lock.
func (sh *shadow) Close() error {
	sh.once.Do(func() {
		sh.Store.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := sh.lock.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{sh.schema}.Sanitize()+` CASCADE`)
		err = pgerr.Translate(ctx, "drop shadow "+sh.schema, err)
		// Unlocked explicitly: a closed session's locks go only once the
		// server has noticed, and the name must be free when Close returns.
		_, unlockErr := sh.lock.Exec(ctx, `SELECT pg_advisory_unlock(`+shadowKey+`)`, sh.schema)
		sh.err = errors.Join(err, pgerr.Translate(ctx, "unlock shadow "+sh.schema, unlockErr), sh.lock.Close(ctx))
	})
	return sh.err
}
