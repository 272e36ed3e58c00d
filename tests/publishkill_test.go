package tests

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/embedded"
	"github.com/ledgerline/ledgerline/projections/publish"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// publisherEnv makes the test binary a publisher process (see
// TestPublisherProcess): "<embedded file>|<NATS URL>".
const publisherEnv = "LEDGERLINE_TEST_PUBLISHER"

// TestKillPublisherMidBatch kills a publisher process with SIGKILL while
// it forwards 20,000 events, then runs it again: the second run resumes
// from the checkpoint the first one left, and the streams end up with
// every event; whatever was published but not checkpointed came again
// with the same event id (and JetStream dropped it by Nats-Msg-Id).
func TestKillPublisherMidBatch(t *testing.T) {
	srv := newNATSServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db := filepath.Join(t.TempDir(), "events.db")
	head := fillEmbedded(t, ctx, db, 20_000)
	js := jetStreamOf(t, srv.URL())
	first := startPublisher(t, db, srv.URL())
	for storedMessages(t, ctx, js) < 6000 {
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, first.Process.Kill())
	_ = first.Wait()
	stored := storedMessages(t, ctx, js)
	killedAt := publishCheckpoint(t, ctx, db)
	require.Less(t, killedAt, head, "killed before the end")
	second := startPublisher(t, db, srv.URL())
	for publishCheckpoint(t, ctx, db) < head {
		require.NoError(t, ctx.Err(), "the second run reaches the head")
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, second.Process.Signal(syscall.SIGTERM))
	require.NoError(t, second.Wait())
	log := readEmbedded(t, ctx, db)
	dups := assertPublished(t, log, readShards(t, ctx, srv.URL()))
	t.Logf("killed with %d messages stored and the checkpoint at position %d (%d published but not checkpointed); after the restart %d events, %d duplicates stored",
		stored, killedAt, stored-int(killedAt), len(log), dups)
}

// TestPublisherProcess forwards an embedded store's log to NATS when run
// by TestKillPublisherMidBatch; otherwise it does nothing. It stops on
// SIGTERM, when orphaned, or after a minute.
func TestPublisherProcess(t *testing.T) {
	spec := os.Getenv(publisherEnv)
	if spec == "" {
		t.Skip("helper process of TestKillPublisherMidBatch")
	}
	db, url, _ := strings.Cut(spec, "|")
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	go stopWhenOrphaned(cancel)
	events, err := embedded.Open(ctx, db, embedded.Config{})
	require.NoError(t, err)
	defer events.Close()
	write, read := events.Pools()
	models, err := rmsqlite.Shared(ctx, write, read)
	require.NoError(t, err)
	p, err := pubnats.Open(ctx, pubnats.Config{URL: url, Sharding: pubSharding})
	require.NoError(t, err)
	defer p.Close()
	fwd, err := publish.New(publish.Config{Events: events, Checkpoints: models, Publisher: publish.FromWatermill(p),
		Name: "nats", Sharding: pubSharding, MaxBatch: 256, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	fmt.Println("ready")
	require.NoError(t, fwd.Run(ctx))
}

func stopWhenOrphaned(stop func()) {
	parent := os.Getppid()
	for os.Getppid() == parent {
		time.Sleep(200 * time.Millisecond)
	}
	stop()
}

func startPublisher(t *testing.T, db, url string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestPublisherProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), publisherEnv+"="+db+"|"+url)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "ready" {
	}
	go func() {
		for sc.Scan() {
		}
	}()
	return cmd
}

// fillEmbedded appends n events to 200 customers in an embedded store
// file, in batches of 500, and returns the last position.
func fillEmbedded(t *testing.T, ctx context.Context, db string, n int) uint64 {
	store, err := embedded.Open(ctx, db, embedded.Config{})
	require.NoError(t, err)
	defer store.Close()
	var last uint64
	for i := 0; i < n; i += 500 {
		var reqs []eventstore.AppendRequest
		for j := i; j < min(i+500, n); j += 5 {
			evs := []eventstore.EventData{pubEvent(0), pubEvent(1), pubEvent(2), pubEvent(3), pubEvent(4)}
			reqs = append(reqs, eventstore.AppendRequest{Stream: fmt.Sprintf("customer-%03d", (j/5)%200), Expected: eventstore.Any, Events: evs})
		}
		res, err := eventstore.AppendBatch(ctx, store, reqs)
		require.NoError(t, err)
		last = res[len(res)-1].LastPosition
	}
	return last
}

func readEmbedded(t *testing.T, ctx context.Context, db string) []eventstore.Record {
	store, err := embedded.Open(ctx, db, embedded.Config{})
	require.NoError(t, err)
	defer store.Close()
	return readAll(t, ctx, store)
}

func publishCheckpoint(t *testing.T, ctx context.Context, db string) uint64 {
	models, err := rmsqlite.Open(ctx, db)
	require.NoError(t, err)
	defer models.Close()
	cp, err := models.Checkpoint(ctx, publish.CheckpointPrefix+"nats")
	require.NoError(t, err)
	return cp.Position
}

func jetStreamOf(t *testing.T, url string) jetstream.JetStream {
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	return js
}

// storedMessages counts the messages in every shard's stream (0 before
// the publisher created them).
func storedMessages(t *testing.T, ctx context.Context, js jetstream.JetStream) int {
	n := 0
	for shard := range pubSharding.Shards {
		st, err := js.Stream(ctx, pubnats.StreamName(pubSharding, shard))
		if err != nil {
			return 0
		}
		n += int(st.CachedInfo().State.Msgs)
	}
	return n
}
