package kurrentdb

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Defaults for the zero fields of [Config].
const (
	// DefaultTimeout bounds one round trip to KurrentDB, the time to reach
	// a node included; it matches the esdb client's default deadline.
	DefaultTimeout = 10 * time.Second
	// DefaultIDIndexPrefix starts the name of the stream that claims an
	// event id. The "$" makes it a system stream: readers of $all that
	// skip system streams skip it, and writing it needs the right to write
	// system streams ($admins, or $systemStreamAcl granting it).
	DefaultIDIndexPrefix = "$ll-eventid-"
)

// Config tunes a [Store]. The zero Config is ready to use.
type Config struct {
	// Logger receives the esdb client's log lines (which it would
	// otherwise print to the standard logger) and the subscriptions'
	// reconnects. Nil discards them.
	Logger *slog.Logger
	// Namespace is put before every stream name the store writes and
	// removed from every name it reads; the store sees only its own
	// namespace. Stores with different namespaces share a cluster without
	// seeing each other's events, ids or streams (tests, tenants).
	Namespace string
	// StreamPrefixes narrows ReadAll and Subscribe to the product's
	// streams (e.g. "customer-", "lead-"), server-side for subscriptions.
	// Empty means every stream of the namespace but system streams.
	StreamPrefixes []string
	// Timeout bounds each round trip to KurrentDB (an append, an id
	// claim, a page of a read of at most 4096 events), including the wait
	// for a connection while the cluster is unreachable; the call then
	// fails with an error matching eventstore.ErrUnavailable. Opening a
	// subscription again after a lost connection waits as long as it
	// takes. Zero means DefaultTimeout.
	Timeout time.Duration
	// IDIndexPrefix starts the names of the streams that claim event ids
	// (see the package documentation). Empty means DefaultIDIndexPrefix.
	IDIndexPrefix string
}

// Validate reports every problem of c at once.
func (c Config) Validate() error {
	var errs []error
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s is negative", c.Timeout))
	}
	if strings.HasPrefix(c.Namespace, "$") {
		errs = append(errs, fmt.Errorf("namespace %q starts with $, which KurrentDB reserves for system streams", c.Namespace))
	}
	for _, p := range c.StreamPrefixes {
		if p == "" || strings.HasPrefix(p, "$") {
			errs = append(errs, fmt.Errorf("stream prefix %q is empty or starts with $", p))
		}
	}
	return errors.Join(errs...)
}

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.IDIndexPrefix == "" {
		c.IDIndexPrefix = DefaultIDIndexPrefix
	}
	return c
}
