package embedded

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Defaults for the zero values of [Config].
const (
	// DefaultPollInterval is how often an idle subscription re-reads the
	// log to see events appended by another process.
	DefaultPollInterval = 250 * time.Millisecond
	// DefaultBusyTimeout is how long a write waits for another writer on
	// the same file (this store, a read-model projector, another process)
	// before it fails with [eventstore.ErrUnavailable].
	DefaultBusyTimeout = 10 * time.Second
)

// Config tunes a [Store]. The zero Config is valid: every zero field takes
// its default.
type Config struct {
	// Clock stamps recorded_at, the time the store accepts an event; it is
	// read once per transaction and used for nothing else. Default
	// time.Now.
	Clock func() time.Time
	// PollInterval is how long a subscription waits without an in-process
	// wake-up before it reads the log again. In-process appends wake
	// subscriptions at once; polling is only for writers in other
	// processes. Default [DefaultPollInterval].
	PollInterval time.Duration
	// BusyTimeout is how long SQLite waits for the file's write lock held
	// by another connection before giving up. Default [DefaultBusyTimeout].
	BusyTimeout time.Duration
}

// Validate reports every field that cannot be used.
func (c Config) Validate() error {
	var errs []error
	if c.PollInterval < 0 {
		errs = append(errs, fmt.Errorf("poll interval %s is negative", c.PollInterval))
	}
	if c.BusyTimeout < 0 {
		errs = append(errs, fmt.Errorf("busy timeout %s is negative", c.BusyTimeout))
	}
	return errors.Join(errs...)
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.BusyTimeout == 0 {
		c.BusyTimeout = DefaultBusyTimeout
	}
	return c
}

// DefaultPath returns the default database file in the user's data
// directory: $XDG_DATA_HOME/ledgerline/ledgerline.db, or
// ~/.local/share/ledgerline/ledgerline.db when XDG_DATA_HOME is unset or
// not absolute (the XDG base-directory rule). The event log is data, not
// configuration, hence not os.UserConfigDir.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find default path: %w", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "ledgerline", "ledgerline.db"), nil
}

// DSN returns the modernc.org/sqlite data source name that every
// connection pool writing to the file at path must use: WAL journal,
// synchronous=FULL (a commit is on disk when it returns), a busy timeout so
// that writers from different pools queue instead of failing, and
// immediate write transactions, which take the write lock at BEGIN so that
// two writers never deadlock upgrading a read lock. It also gives each
// connection a page cache of up to 64 MiB and memory-mapped reads of up to
// 1 GiB of the file, so that a bulk import with its projections does not
// re-read evicted pages (memory is taken only as pages are used). A
// read-model store on the same file opens its pool with
// sql.Open("sqlite", dsn). path is made absolute, which is the only way DSN
// fails.
func DSN(path string, busyTimeout time.Duration) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "mmap_size(1073741824)")
	q.Set("_txlock", "immediate")
	// A file: URI escapes any '?' or '#' in the path, which a plain file
	// name followed by a query could not carry.
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String(), nil
}
