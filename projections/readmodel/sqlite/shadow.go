package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

var _ readmodel.Shadower = (*Store)(nil)

// shadowInfix joins the live file's name and a shadow's name into the
// shadow file's name: ledgerline.db-shadow-rebuild_timeline.
const shadowInfix = "-shadow-"

// Shadow implements [readmodel.Shadower]: the shadow is a SQLite file next
// to the live one, written without durability (an in-memory rollback
// journal, synchronous=OFF: it is scratch, rebuilt from the log if lost)
// and locked exclusively for the shadow's life, which is how another
// caller sees it busy.
func (s *Store) Shadow(ctx context.Context, name string) (readmodel.Shadow, error) {
	path, err := s.shadowPath(ctx, name)
	if err != nil {
		return nil, err
	}
	if err := clearShadow(ctx, path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", fileDSN(path, shadowPragmas, "immediate"))
	if err != nil {
		return nil, fmt.Errorf("open shadow %s: %w", name, err)
	}
	db.SetMaxOpenConns(1)
	sh := &shadow{Store: &Store{write: db, read: db, owned: true}, live: s, path: path, name: name}
	if err := sh.Migrate(ctx, []string{checkpointDDL}); err != nil {
		return nil, errors.Join(busy(err, name), sh.Close())
	}
	return sh, nil
}

// shadowPragmas trade durability for speed and keep the file locked:
// after its first write the connection holds an exclusive lock until it
// closes.
var shadowPragmas = []string{"journal_mode(MEMORY)", "synchronous(OFF)", "locking_mode(EXCLUSIVE)",
	"temp_store(MEMORY)", "cache_size(-262144)", "busy_timeout(0)"}

// probePragmas open a shadow only to look at it, failing at once if it is
// locked.
var probePragmas = []string{"busy_timeout(0)", "query_only(ON)"}

func fileDSN(path string, pragmas []string, txlock string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", txlock)
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}).String()
}

// livePath returns the path of the live file, from the connection itself,
// so that a store on shared pools knows it too.
func (s *Store) livePath(ctx context.Context) (string, error) {
	var path string
	err := s.read.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path)
	if err != nil {
		return "", fmt.Errorf("locate read-model file: %w", err)
	}
	if path == "" {
		return "", errors.New("locate read-model file: an in-memory database has no room for shadows")
	}
	return path, nil
}

func (s *Store) shadowPath(ctx context.Context, name string) (string, error) {
	if !readmodel.ValidShadowName(name) {
		return "", fmt.Errorf("shadow %q: not a valid shadow name", name)
	}
	live, err := s.livePath(ctx)
	if err != nil {
		return "", err
	}
	return live + shadowInfix + name, nil
}

// clearShadow removes a shadow file a crashed caller left, unless a live
// caller holds it.
func clearShadow(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if _, err := probe(ctx, path); locked(err) {
		return busy(err, filepath.Base(path))
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove abandoned shadow: %w", err)
	}
	return nil
}

// probe reads the checkpoints of the shadow file at path.
func probe(ctx context.Context, path string) (map[string]readmodel.Checkpoint, error) {
	db, err := sql.Open("sqlite", fileDSN(path, probePragmas, "deferred"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT projection, position, recorded_at FROM projection_checkpoints`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]readmodel.Checkpoint{}
	for rows.Next() {
		var p string
		var pos, at int64
		if err := rows.Scan(&p, &pos, &at); err != nil {
			return nil, err
		}
		out[p] = readmodel.Checkpoint{Position: uint64(pos), RecordedAt: fromMicro(at)}
	}
	return out, rows.Err()
}

// busy maps SQLite's "database is locked" to [readmodel.ErrShadowBusy].
func busy(err error, name string) error {
	if locked(err) {
		return fmt.Errorf("shadow %s: %w", name, readmodel.ErrShadowBusy)
	}
	return fmt.Errorf("shadow %s: %w", name, err)
}

// locked reports whether err says another connection holds a lock.
func locked(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// Shadows implements [readmodel.Shadower]. A busy shadow's checkpoints
// cannot be read: its owner holds the file locked.
func (s *Store) Shadows(ctx context.Context) ([]readmodel.ShadowInfo, error) {
	live, err := s.livePath(ctx)
	if err != nil {
		return nil, err
	}
	paths, err := filepath.Glob(globEscape(live) + shadowInfix + "*")
	if err != nil {
		return nil, fmt.Errorf("list shadows: %w", err)
	}
	slices.Sort(paths)
	var out []readmodel.ShadowInfo
	for _, p := range paths {
		name := strings.TrimPrefix(p, live+shadowInfix)
		if !readmodel.ValidShadowName(name) {
			continue
		}
		cps, err := probe(ctx, p)
		out = append(out, readmodel.ShadowInfo{Name: name, Busy: locked(err), Checkpoints: cps})
	}
	return out, nil
}

func globEscape(path string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`).Replace(path)
}

// shadow is a [readmodel.Shadow]: a [Store] on the shadow file.
type shadow struct {
	*Store
	live *Store
	path string
	name string
	once sync.Once
	err  error
}

// Tables implements [readmodel.Shadow].
func (sh *shadow) Tables(ctx context.Context) ([]string, error) {
	return tableNames(ctx, sh.read)
}

func tableNames(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'projection_checkpoints' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list shadow tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list shadow tables: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Close implements [readmodel.Store]: it closes the shadow's pool and
// deletes its file.
func (sh *shadow) Close() error {
	sh.once.Do(func() {
		err := sh.Store.Close()
		if rmErr := os.Remove(sh.path); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			err = errors.Join(err, rmErr)
		}
		sh.err = err
	})
	return sh.err
}
