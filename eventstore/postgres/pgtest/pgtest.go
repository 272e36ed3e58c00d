package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultServer is the server used when LEDGERLINE_TEST_PG is not set.
const DefaultServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// timeout bounds each administrative step (connect, create, drop).
const timeout = 30 * time.Second

// Database creates an empty database for t and returns its DSN; it is
// dropped in t.Cleanup. It skips t (fails it under CI=true) when the
// server is unreachable.
func Database(t testing.TB) string {
	t.Helper()
	server := Server()
	name := "ll_test_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		unreachable(t, server, err)
	}
	defer conn.Close(ctx)
	// template0 is never connected to, so CREATE DATABASE cannot fail
	// because another session is using the template.
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0"); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, server, name) })
	return withDatabase(server, name)
}

// Server returns the DSN of the test server: LEDGERLINE_TEST_PG or
// [DefaultServer].
func Server() string {
	if dsn := os.Getenv("LEDGERLINE_TEST_PG"); dsn != "" {
		return dsn
	}
	return DefaultServer
}

func unreachable(t testing.TB, server string, err error) {
	t.Helper()
	where, why := redact(server), strings.Join(strings.Fields(err.Error()), " ")
	if os.Getenv("CI") == "true" {
		t.Fatalf("FAIL: PostgreSQL not reachable at %s (CI=true requires it): %s", where, why)
	}
	t.Skipf("SKIP: PostgreSQL not reachable at %s; set LEDGERLINE_TEST_PG or run under CI=true to require it (%s)", where, why)
}

func drop(t testing.TB, server, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
	}
}

// withDatabase returns server's DSN pointed at database name; server is a
// URL or a keyword/value DSN, in which a later dbname overrides an
// earlier one.
func withDatabase(server, name string) string {
	if u, err := url.Parse(server); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return strings.TrimSpace(server) + " dbname=" + name
}

// redact hides a URL's password; keyword/value DSNs are shown by host
// only.
func redact(server string) string {
	if u, err := url.Parse(server); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	if cfg, err := pgx.ParseConfig(server); err == nil {
		return cfg.Host
	}
	return "(unparsable DSN)"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
