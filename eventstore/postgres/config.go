package postgres

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Defaults for the zero values of [Config].
const (
	// DefaultSchema is the PostgreSQL schema that holds the store's tables.
	DefaultSchema = "ledgerline"
	// DefaultPollInterval bounds how long an idle subscription waits
	// without a notification before it reads again: the safety net for a
	// notification lost to a crash between commit and NOTIFY.
	DefaultPollInterval = time.Second
	// DefaultHoldBackWait is how long ReadAll waits at most for in-flight
	// transactions that hold back events it found committed.
	DefaultHoldBackWait = 500 * time.Millisecond
)

// Config tunes a [Store]. The zero Config is ready to use.
type Config struct {
	// Schema is the PostgreSQL schema that holds the store's tables; it
	// is created if missing. It must be a lowercase identifier. Default
	// [DefaultSchema].
	Schema string
	// Clock stamps recorded_at; time.Now when nil.
	Clock func() time.Time
	// PollInterval is how often an idle subscription reads again without a
	// notification. Zero means [DefaultPollInterval].
	PollInterval time.Duration
	// HoldBackWait is how long ReadAll waits at most for in-flight
	// transactions that hold back events it found committed, before it
	// returns the prefix it has (see doc.go). Zero means
	// [DefaultHoldBackWait].
	HoldBackWait time.Duration
	// MaxConns caps the connection pool (the listener holds one more
	// connection of its own). Zero keeps pgxpool's default, or the DSN's
	// pool_max_conns.
	MaxConns int32
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if c.Schema != "" && !schemaName.MatchString(c.Schema) {
		errs = append(errs, fmt.Errorf("schema %q: want a lowercase identifier of at most 63 characters", c.Schema))
	}
	if c.PollInterval < 0 {
		errs = append(errs, fmt.Errorf("poll interval %s is negative", c.PollInterval))
	}
	if c.HoldBackWait < 0 {
		errs = append(errs, fmt.Errorf("hold-back wait %s is negative", c.HoldBackWait))
	}
	if c.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("max conns %d is negative", c.MaxConns))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.Schema == "" {
		c.Schema = DefaultSchema
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.HoldBackWait == 0 {
		c.HoldBackWait = DefaultHoldBackWait
	}
	return c
}
