package nats_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/publish"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
)

// memberEnv makes the test binary a consumer-group member (see
// TestConsumerGroupMemberProcess); it holds the member's settings.
const memberEnv = "LEDGERLINE_TEST_CONSUMER_MEMBER"

// TestConsumerGroupSharesShardsInOrder runs a group of three member
// processes over JetStream while the forwarder publishes, kills one of
// them with SIGKILL half-way and starts it again. Every event is handled
// by exactly one member (duplicates after the kill are recognised by
// event id and not handled twice), by the member its shard is assigned
// to, and each customer's events in version order.
func TestConsumerGroupSharesShardsInOrder(t *testing.T) {
	_, js := connect(t)
	s := sharding(t, js, 6)
	r := newLoad(t, s)
	dir := t.TempDir()
	group := "group_" + uuid.NewString()[:8]
	t.Cleanup(func() { forgetPositions(t, js, s, group) })
	members := make([]*exec.Cmd, 3)
	for i := range members {
		members[i] = startMember(t, s, group, i, dir)
	}
	half := r.publish(t, 1500)
	waitHandled(t, dir, half/2)
	require.NoError(t, members[1].Process.Kill())
	_ = members[1].Wait()
	members[1] = startMember(t, s, group, 1, dir)
	total := half + r.publish(t, 1500)
	handled := waitHandled(t, dir, total)
	for _, m := range members {
		require.NoError(t, m.Process.Signal(syscall.SIGTERM))
		require.NoError(t, m.Wait(), "a member stops cleanly on SIGTERM")
	}
	assertGroupHandled(t, s, r.log(t), handled)
}

// startMember starts the test binary as member i of group.
func startMember(t *testing.T, s publish.Sharding, group string, i int, dir string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestConsumerGroupMemberProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d|%s|%d|3|%s", memberEnv, natsURL(), s.Prefix, s.Shards, group, i, dir))
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	return cmd
}

// TestConsumerGroupMemberProcess is a consumer-group member when run by
// TestConsumerGroupSharesShardsInOrder; otherwise it does nothing. It
// records each event it handles as a line "member event_id stream
// version" in its file, skipping events the file already holds.
func TestConsumerGroupMemberProcess(t *testing.T) {
	spec := os.Getenv(memberEnv)
	if spec == "" {
		t.Skip("helper process of TestConsumerGroupSharesShardsInOrder")
	}
	f := strings.Split(spec, "|")
	shards, _ := strconv.Atoi(f[2])
	member, _ := strconv.Atoi(f[4])
	members, _ := strconv.Atoi(f[5])
	rec := openRecord(t, filepath.Join(f[6], "member-"+f[4]), member)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	go exitWhenOrphaned(stop)
	c, err := pubnats.NewConsumer(pubnats.ConsumerConfig{URL: f[0], Sharding: publish.Sharding{Prefix: f[1], Shards: shards},
		Group: f[3], Member: member, Members: members, Handler: rec.handle, Fetch: 200,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	require.NoError(t, err)
	require.NoError(t, c.Run(ctx))
}

// record is a member's file of handled events, which is also its
// deduplication memory across restarts.
type record struct {
	mu     sync.Mutex
	f      *os.File
	member int
	seen   map[string]bool
}

func openRecord(t *testing.T, path string, member int) *record {
	r := &record{member: member, seen: map[string]bool{}}
	for _, line := range readLines(t, path) {
		r.seen[strings.Fields(line)[1]] = true
	}
	var err error
	r.f, err = os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	require.NoError(t, err)
	return r
}

func (r *record) handle(_ context.Context, env feed.Envelope) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[env.EventID.String()] {
		return nil
	}
	r.seen[env.EventID.String()] = true
	_, err := fmt.Fprintf(r.f, "%d %s %s %d\n", r.member, env.EventID, env.Stream, env.Version)
	return err
}

func readLines(t testing.TB, path string) []string {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); len(strings.Fields(line)) == 4 {
			out = append(out, line)
		}
	}
	return out
}

// handledLine is one line of a member's record.
type handledLine struct {
	member  int
	id      string
	stream  string
	version uint64
}

// waitHandled waits until the members' records hold at least n lines and
// returns them, each file in its order.
func waitHandled(t *testing.T, dir string, n int) []handledLine {
	deadline := time.Now().Add(40 * time.Second)
	for {
		var out []handledLine
		for i := range 3 {
			for _, line := range readLines(t, filepath.Join(dir, fmt.Sprintf("member-%d", i))) {
				f := strings.Fields(line)
				v, _ := strconv.ParseUint(f[3], 10, 64)
				m, _ := strconv.Atoi(f[0])
				out = append(out, handledLine{member: m, id: f[1], stream: f[2], version: v})
			}
		}
		if len(out) >= n || time.Now().After(deadline) {
			require.GreaterOrEqual(t, len(out), n, "events handled by the group")
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func assertGroupHandled(t *testing.T, s publish.Sharding, log []eventLine, handled []handledLine) {
	byID := map[string]eventLine{}
	for _, e := range log {
		byID[e.id] = e
	}
	times := map[string]int{}
	last := map[string]uint64{}
	for _, h := range handled {
		times[h.id]++
		e, ok := byID[h.id]
		require.True(t, ok, "handled event %s was published", h.id)
		assert.Contains(t, publish.Assign(h.member, 3, s.Shards), s.Shard(e.stream), "event %s handled by its shard's member", h.id)
		assert.Equal(t, last[h.stream]+1, h.version, "stream %s handled in version order", h.stream)
		last[h.stream] = h.version
	}
	for _, e := range log {
		assert.Equal(t, 1, times[e.id], "event %s handled exactly once by the group", e.id)
	}
	t.Logf("%d events handled once each by 3 members over %d shards", len(handled), s.Shards)
}

// forgetPositions deletes group's positions from the shared bucket.
func forgetPositions(t testing.TB, js jetstream.JetStream, s publish.Sharding, group string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	kv, err := js.KeyValue(ctx, pubnats.PositionsBucket)
	require.NoError(t, err)
	for shard := range s.Shards {
		_ = kv.Purge(ctx, pubnats.StreamName(s, shard)+"."+group)
	}
}

// exitWhenOrphaned calls stop when the process that started this helper
// has died, so that a failed test leaves no member running.
func exitWhenOrphaned(stop func()) {
	parent := os.Getppid()
	for os.Getppid() == parent {
		time.Sleep(200 * time.Millisecond)
	}
	stop()
}
