package tests

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pgBinRoot holds one directory per installed PostgreSQL major version,
// each with a bin/ of initdb and pg_ctl (the Debian layout).
const pgBinRoot = "/usr/lib/postgresql"

// pgServer is a private, throw-away PostgreSQL cluster for one test: a
// data directory in a temporary directory, a free port on 127.0.0.1 and
// its own socket directory, so that the test may crash and restart it
// without disturbing the shared server other packages' tests use. fsync
// stays on, as in production: a crash must not lose a commit.
type pgServer struct {
	t    testing.TB
	bin  string // directory holding initdb and pg_ctl
	root string // temporary directory: data/, the socket, server.log
	port int
	// asPostgres runs the binaries as the postgres user, which they
	// require when the test runs as root.
	asPostgres bool
}

// newPGServer initialises a cluster and starts it; t.Cleanup stops it and
// removes its files. Without the server binaries the test is skipped, or
// fails under CI=true, the rule pgtest applies to the shared server.
func newPGServer(t testing.TB) *pgServer {
	t.Helper()
	s := &pgServer{t: t, bin: pgBinDir(t), port: freePort(t), asPostgres: os.Geteuid() == 0}
	root, err := os.MkdirTemp("", "ll-pgserver-")
	require.NoError(t, err)
	s.root = root
	t.Cleanup(s.remove)
	if s.asPostgres {
		chownToPostgres(t, root)
	}
	start := time.Now()
	// --no-sync only skips flushing the fresh cluster's files at setup;
	// the running server keeps fsync on.
	s.run("initdb", "-D", s.data(), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
		"--locale=C", "--no-sync", "--no-instructions")
	conf := fmt.Sprintf("\nport = %d\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nmax_connections = 60\n",
		s.port, s.root)
	f, err := os.OpenFile(filepath.Join(s.data(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(conf)
	require.NoError(t, errors.Join(err, f.Close()))
	s.Start()
	t.Logf("private PostgreSQL (%s) on 127.0.0.1:%d ready in %s", filepath.Base(filepath.Dir(s.bin)), s.port, time.Since(start).Round(time.Millisecond))
	return s
}

// DSN returns the URL of the server's postgres database.
func (s *pgServer) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=5", s.port)
}

// Start starts the server and waits until it accepts connections.
func (s *pgServer) Start() {
	s.t.Helper()
	s.run("pg_ctl", "start", "-D", s.data(), "-l", s.log(), "-w", "-t", "60", "-s")
}

// Stop stops the server: mode "fast" is a clean shutdown, "immediate" a
// crash (no checkpoint; the next start runs crash recovery).
func (s *pgServer) Stop(mode string) {
	s.t.Helper()
	s.run("pg_ctl", "stop", "-D", s.data(), "-m", mode, "-w", "-t", "60", "-s")
}

// Restart stops the server in mode (see Stop) and starts it again.
func (s *pgServer) Restart(mode string) {
	s.t.Helper()
	s.run("pg_ctl", "restart", "-D", s.data(), "-l", s.log(), "-m", mode, "-w", "-t", "60", "-s")
}

// remove crashes the server if it runs and deletes its files.
func (s *pgServer) remove() {
	if _, err := os.Stat(filepath.Join(s.data(), "postmaster.pid")); err == nil {
		if out, err := s.command("pg_ctl", "stop", "-D", s.data(), "-m", "immediate", "-w", "-s").CombinedOutput(); err != nil {
			s.t.Errorf("stop private PostgreSQL: %v: %s", err, out)
		}
	}
	if err := os.RemoveAll(s.root); err != nil {
		s.t.Errorf("remove private PostgreSQL: %v", err)
	}
}

func (s *pgServer) data() string { return filepath.Join(s.root, "data") }
func (s *pgServer) log() string  { return filepath.Join(s.root, "server.log") }

// run runs one of the server's binaries and fails the test, showing the
// end of the server log, if it fails. The server's own output goes to
// the log file (-l), never to a pipe of ours, which it would hold open.
func (s *pgServer) run(name string, args ...string) {
	s.t.Helper()
	out, err := s.command(name, args...).CombinedOutput()
	if err != nil {
		logTail, _ := os.ReadFile(s.log())
		if len(logTail) > 4000 {
			logTail = logTail[len(logTail)-4000:]
		}
		s.t.Fatalf("%s %s: %v\n%s\nserver log:\n%s", name, strings.Join(args, " "), err, out, logTail)
	}
}

func (s *pgServer) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(s.bin, name)
	cmd := exec.Command(path, args...)
	if s.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	cmd.Dir = s.root // the postgres user may not enter the test's directory
	return cmd
}

// pgBinDir returns the bin directory of the newest installed PostgreSQL.
func pgBinDir(t testing.TB) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(pgBinRoot, "*", "bin", "pg_ctl"))
	var best string
	bestVersion := -1.0
	for _, m := range matches {
		dir := filepath.Dir(m)
		v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
		if _, statErr := os.Stat(filepath.Join(dir, "initdb")); err == nil && statErr == nil && v > bestVersion {
			best, bestVersion = dir, v
		}
	}
	if best == "" {
		missing(t, fmt.Sprintf("no initdb and pg_ctl under %s/<version>/bin", pgBinRoot))
	}
	return best
}

// missing skips t with one loud line, or fails it under CI=true so that
// CI can never pass by skipping.
func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("FAIL: cannot run a private PostgreSQL server (CI=true requires it): %s", why)
	}
	t.Skipf("SKIP: cannot run a private PostgreSQL server: %s; install the server package or run under CI=true to require it", why)
}

func chownToPostgres(t testing.TB, dir string) {
	t.Helper()
	u, err := user.Lookup("postgres")
	if err != nil {
		missing(t, "running as root and there is no postgres user to run the server as")
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	require.NoError(t, errors.Join(err1, err2))
	require.NoError(t, os.Chown(dir, uid, gid))
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}
