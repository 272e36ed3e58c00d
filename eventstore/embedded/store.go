package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/ledgerline/ledgerline/eventstore"
)

// readConns caps the read pool. Readers never block the writer in WAL mode,
// so more than one lets a subscription page while a command loads a stream.
const readConns = 4

// Store is the embedded event store: one SQLite file. It is safe for
// concurrent use by multiple goroutines.
type Store struct {
	cfg Config
	// wdb has one connection: every write of this process goes through it,
	// in an immediate transaction.
	wdb *sql.DB
	// rdb is the read pool; its connections are query-only.
	rdb   *sql.DB
	stmts statements
	wake  eventstore.Signal

	// mu guards closed; calls hold it shared while they use the pools, so
	// Close waits for them.
	mu     sync.RWMutex
	closed bool
}

var (
	_ eventstore.Store         = (*Store)(nil)
	_ eventstore.BatchAppender = (*Store)(nil)
)

// Open opens the store in the file at path, creating the file and its
// parent directory if missing, and migrates its schema.
func Open(ctx context.Context, path string, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{cfg: cfg.withDefaults()}
	if err := s.open(ctx, path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, errors.Join(err, s.closePools()))
	}
	return s, nil
}

func (s *Store) open(ctx context.Context, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("create directory: %w", err)
	}
	dsn, err := DSN(path, s.cfg.BusyTimeout)
	if err != nil {
		return err
	}
	if s.wdb, err = openPool(dsn, 1); err != nil {
		return err
	}
	if err := migrateRetrying(ctx, s.wdb, s.cfg.BusyTimeout); err != nil {
		return err
	}
	if s.rdb, err = openPool(dsn+"&_query_only=1", readConns); err != nil {
		return err
	}
	return s.stmts.prepare(ctx, s.wdb, s.rdb)
}

func openPool(dsn string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// enter admits a call unless the store is closed; the caller must call the
// returned release when it no longer uses the pools.
func (s *Store) enter() (release func(), err error) {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, eventstore.ErrClosed
	}
	return s.mu.RUnlock, nil
}

// Subscribe implements [eventstore.Store]. Appends of this process wake
// the subscription at once; appends of other processes are seen within
// Config.PollInterval. The subscription is closed when ctx is done.
func (s *Store) Subscribe(ctx context.Context, opts eventstore.SubscribeOptions) (eventstore.Subscription, error) {
	release, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer release()
	sub := eventstore.NewCatchUp(s.ReadAll, &s.wake, s.cfg.PollInterval, opts)
	stop := context.AfterFunc(ctx, func() { _ = sub.Close() })
	return subscription{CatchUp: sub, stop: stop}, nil
}

// subscription is a catch-up subscription that ends with its Subscribe
// context.
type subscription struct {
	*eventstore.CatchUp
	stop func() bool // unregisters the close on ctx
}

// Close implements [eventstore.Subscription].
func (s subscription) Close() error {
	s.stop()
	return s.CatchUp.Close()
}

// Close implements [eventstore.Store]. It waits for calls in progress,
// checkpoints the write-ahead log into the database file (so that the file
// alone holds every event, unless another connection is reading it at that
// moment) and releases the file. Open subscriptions then
// fail with [eventstore.ErrClosed].
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	defer s.wake.Notify()
	_, err := s.wdb.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	if err != nil {
		err = fmt.Errorf("close: checkpoint: %w", translate(context.Background(), err))
	}
	return errors.Join(err, s.closePools())
}

// closePools closes the statements and both pools, whichever are open.
func (s *Store) closePools() error {
	errs := []error{s.stmts.close()}
	for _, db := range []*sql.DB{s.rdb, s.wdb} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}
