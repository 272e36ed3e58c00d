package postgres

import (
	"errors"
	"fmt"
	"regexp"
)

// DefaultSchema is the PostgreSQL schema that holds the read models when
// [Config.Schema] is empty (see the package documentation for why not
// public).
const DefaultSchema = "readmodels"

// Config tunes a [Store]. The zero Config is ready to use.
type Config struct {
	// Schema holds the read-model tables and checkpoints; it is created if
	// missing and is the connections' search_path, so projectors' SQL
	// names tables without a schema. It must be a lowercase identifier.
	// Default [DefaultSchema].
	Schema string
	// MaxConns caps the connection pool. Zero keeps pgxpool's default, or
	// the DSN's pool_max_conns.
	MaxConns int32
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if c.Schema != "" && !schemaName.MatchString(c.Schema) {
		errs = append(errs, fmt.Errorf("schema %q: want a lowercase identifier of at most 63 characters", c.Schema))
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
	return c
}
