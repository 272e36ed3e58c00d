package tests

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// natsServerBin is where Debian's nats-server package installs the server.
const natsServerBin = "/usr/sbin/nats-server"

// natsServer is a private NATS server with JetStream for one test: its
// own free port on 127.0.0.1 and its own store directory, so that the
// test may stop and start it without touching the shared server on 4222
// that other tests use.
type natsServer struct {
	t     testing.TB
	bin   string
	store string
	port  int
	cmd   *exec.Cmd
	exit  chan error
}

// newNATSServer starts a private server; t.Cleanup stops it. Without the
// binary the test is skipped loudly, or fails under CI=true.
func newNATSServer(t testing.TB) *natsServer {
	t.Helper()
	bin := natsServerBin
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("nats-server"); err != nil {
			natsMissing(t, fmt.Sprintf("no %s and no nats-server on PATH", natsServerBin))
		}
	}
	s := &natsServer{t: t, bin: bin, store: filepath.Join(t.TempDir(), "jetstream"), port: freePort(t)}
	t.Cleanup(s.stopIfRunning)
	s.Start()
	return s
}

func natsMissing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("FAIL: cannot run a private NATS server (CI=true requires it): %s", why)
	}
	t.Skipf("SKIP: cannot run a private NATS server: %s; install the nats-server package or run under CI=true to require it", why)
}

// URL returns the server's client URL.
func (s *natsServer) URL() string { return fmt.Sprintf("nats://127.0.0.1:%d", s.port) }

// Start starts the server on its port and store and waits until it
// accepts connections.
func (s *natsServer) Start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "-a", "127.0.0.1", "-p", fmt.Sprint(s.port), "-js", "-sd", s.store)
	require.NoError(s.t, s.cmd.Start())
	s.exit = make(chan error, 1)
	go func(cmd *exec.Cmd, exit chan error) { exit <- cmd.Wait() }(s.cmd, s.exit)
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.port), 200*time.Millisecond)
		if err == nil {
			_ = c.Close()
			return
		}
		require.True(s.t, time.Now().Before(deadline), "private NATS server did not listen on %d: %v", s.port, err)
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop shuts the server down cleanly (SIGTERM; JetStream flushes its
// store) and waits for it to exit.
func (s *natsServer) Stop() {
	s.t.Helper()
	require.NoError(s.t, s.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-s.exit:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exit
		s.t.Fatalf("private NATS server did not stop within 15 s")
	}
	s.cmd = nil
}

func (s *natsServer) stopIfRunning() {
	if s.cmd != nil {
		_ = s.cmd.Process.Kill()
		<-s.exit
		s.cmd = nil
	}
}
