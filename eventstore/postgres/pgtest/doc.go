// Package pgtest gives tests a throw-away PostgreSQL database.
//
// [Database] creates a database with a random name ("ll_test_<hex>") on
// the server named by the LEDGERLINE_TEST_PG environment variable
// (default [DefaultServer]), returns its DSN, and drops it WITH (FORCE)
// when the test ends, so that tests never share state and leave nothing
// behind. Any package's tests may use it:
//
//	dsn := pgtest.Database(t)
//	s, err := postgres.Open(ctx, dsn, postgres.Config{})
//
// When the server does not answer, the test is skipped with one loud line
// ("SKIP: PostgreSQL not reachable at …"), so that a laptop without
// PostgreSQL still runs the rest of the tree; under CI=true it fails
// instead, so that CI can never pass by skipping.
package pgtest
