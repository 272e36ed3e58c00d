package kurrentdb_test

import (
	"os"
	"testing"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb"
	"github.com/ledgerline/ledgerline/eventstore/storetest"
)

// realURL returns the connection string of a real KurrentDB from
// KURRENTDB_URL, or skips tb with one loud line.
func realURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv("KURRENTDB_URL")
	if url == "" {
		tb.Skip("SKIP: KURRENTDB_URL not set; the KurrentDB adapter ran against the in-process test server only. " +
			"Set KURRENTDB_URL (e.g. esdb://127.0.0.1:2113?tls=false for a node started with --insecure, " +
			"or esdb://admin:changeit@host:2113 for a secure one) to run the conformance suite on a real server.")
	}
	return url
}

// realNamespace is a namespace of its own for one store on a shared real
// server, so that cases see empty logs and fixed stream names do not
// collide across cases and runs.
func realNamespace() string { return "lltest-" + uuid.NewString()[:8] + "-" }

// TestConformanceOnRealServer runs the event-store contract against the
// KurrentDB that KURRENTDB_URL names: what the test server cannot vouch
// for (real positions, system events in $all, server-side filters,
// idempotency and revision checks as the server implements them).
func TestConformanceOnRealServer(t *testing.T) {
	url := realURL(t)
	storetest.Run(t, func(t *testing.T) eventstore.Store {
		return open(t, url, kurrentdb.Config{Namespace: realNamespace()})
	})
}
