package tests

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	wmjs "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/jetstream"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/embedded"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/publish"
	pubnats "github.com/ledgerline/ledgerline/projections/publish/nats"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// pubSharding is the sharding of the publish fault tests; each runs its
// own NATS server, so the default prefix is theirs alone.
var pubSharding = publish.Sharding{Shards: 4}

// TestPublishSurvivesNATSRestartDuringLoad stops the broker for 1.5 s
// while writers append, the forwarder publishes and a consumer reads,
// then starts it again on the same store: the forwarder reports the
// outage, resumes by itself from its checkpoint, and the streams end up
// holding every event, each customer's in version order, any duplicate
// the same event; the consumer, resumed by itself too, handled every
// event in order.
func TestPublishSurvivesNATSRestartDuringLoad(t *testing.T) {
	srv := newNATSServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	events := memory.New(nil)
	fwd := startForwarder(t, ctx, events, srv.URL())
	rec := &orderRecorder{seen: map[uuid.UUID]bool{}, last: map[string]uint64{}}
	runConsumer(t, ctx, srv.URL(), rec)
	w := startWriters(ctx, events, 2)
	waitPublished(t, ctx, fwd, 1000)
	srv.Stop()
	time.Sleep(1500 * time.Millisecond)
	srv.Start()
	waitPublished(t, ctx, fwd, fwd.Status().Published+1000)
	head := w.stop()
	require.NoError(t, fwd.WaitFor(ctx, head))
	st := fwd.Status()
	assert.Positive(t, st.Failures, "the forwarder saw the outage")
	log := readAll(t, ctx, events)
	got := readShards(t, ctx, srv.URL())
	dups := assertPublished(t, log, got)
	require.Eventually(t, func() bool { return rec.unique() == len(log) }, 30*time.Second, 10*time.Millisecond, "the consumer got every event")
	rec.mu.Lock()
	defer rec.mu.Unlock()
	assert.Empty(t, rec.violations, "the consumer saw each customer's events in order")
	t.Logf("%d events appended, %d failed attempts during the outage, %d published (with re-publishes), %d duplicates stored, %d redeliveries to the consumer",
		len(log), st.Failures, st.Published, dups, rec.dups)
}

// TestConsumerCatchesUpAfter100000Events stops a consumer, publishes
// 100,000 events, and starts it again: it handles every one, each
// customer's in order.
func TestConsumerCatchesUpAfter100000Events(t *testing.T) {
	srv := newNATSServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	events := memory.New(nil)
	fwd := startForwarder(t, ctx, events, srv.URL())
	rec := &orderRecorder{seen: map[uuid.UUID]bool{}, last: map[string]uint64{}}
	stop := runConsumer(t, ctx, srv.URL(), rec)
	require.NoError(t, fwd.WaitFor(ctx, appendMany(t, ctx, events, 1000)))
	require.Eventually(t, func() bool { return rec.unique() == 1000 }, 20*time.Second, 10*time.Millisecond)
	stop()
	start := time.Now()
	head := appendMany(t, ctx, events, 100_000)
	require.NoError(t, fwd.WaitFor(ctx, head))
	t.Logf("100,000 events published while the consumer was down in %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	runConsumer(t, ctx, srv.URL(), rec)
	require.Eventually(t, func() bool { return rec.unique() == 101_000 }, 60*time.Second, 20*time.Millisecond)
	t.Logf("the consumer caught up in %s", time.Since(start).Round(time.Millisecond))
	rec.mu.Lock()
	defer rec.mu.Unlock()
	assert.Empty(t, rec.violations, "each customer's events in version order")
	assert.Len(t, rec.seen, 101_000, "none missing")
	t.Logf("%d events handled, %d redeliveries recognised by event id", len(rec.seen), rec.dups)
}

// startForwarder runs a forwarder of events to the NATS at url until ctx
// ends or the test does.
func startForwarder(t *testing.T, ctx context.Context, events eventstore.Store, url string) *publish.Forwarder {
	models, err := rmsqlite.Open(ctx, filepath.Join(t.TempDir(), "checkpoints.db"))
	require.NoError(t, err)
	p, err := pubnats.Open(ctx, pubnats.Config{URL: url, Sharding: pubSharding, Timeout: 2 * time.Second})
	require.NoError(t, err)
	fwd, err := publish.New(publish.Config{Events: events, Checkpoints: models, Publisher: publish.FromWatermill(p),
		Name: "nats", Sharding: pubSharding, RetryDelay: 50 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- fwd.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		assert.NoError(t, <-done)
		_ = p.Close()
		_ = models.Close()
	})
	return fwd
}

func waitPublished(t *testing.T, ctx context.Context, fwd *publish.Forwarder, n uint64) {
	t.Helper()
	for fwd.Status().Published < n {
		select {
		case <-ctx.Done():
			require.FailNow(t, "publisher stalled", "%d of %d published: %+v", fwd.Status().Published, n, fwd.Status())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// writers append one to three events at a time to 50 customers, about
// 2,000 events/s in all, until stopped.
type writers struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	head   atomic.Uint64
}

func startWriters(ctx context.Context, store eventstore.Store, n int) *writers {
	ctx, cancel := context.WithCancel(ctx)
	w := &writers{cancel: cancel}
	for i := range n {
		w.wg.Go(func() { w.write(ctx, store, uint64(i)) })
	}
	return w
}

func (w *writers) write(ctx context.Context, store eventstore.Store, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	for ctx.Err() == nil {
		stream := fmt.Sprintf("customer-%s", uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(rng.IntN(50))}))
		evs := make([]eventstore.EventData, 1+rng.IntN(3))
		for i := range evs {
			evs[i] = pubEvent(i)
		}
		res, err := store.Append(ctx, stream, eventstore.Any, evs)
		if err == nil {
			for h := w.head.Load(); h < res.LastPosition && !w.head.CompareAndSwap(h, res.LastPosition); h = w.head.Load() {
			}
		}
		time.Sleep(time.Millisecond)
	}
}

// stop stops the writers and returns the last position they appended.
func (w *writers) stop() uint64 {
	w.cancel()
	w.wg.Wait()
	return w.head.Load()
}

func pubEvent(i int) eventstore.EventData {
	return eventstore.EventData{ID: uuid.New(), Type: "customer.interaction_logged", SchemaVersion: 1,
		Data: fmt.Appendf(nil, `{"n":%d}`, i), OccurredAt: time.Date(2025, 3, 1, 9, 0, i, 0, time.UTC),
		Metadata: eventstore.Metadata{Actor: "test:publish", CommandID: uuid.New(), CorrelationID: uuid.New(), CausationID: uuid.New()}}
}

// appendMany appends n events to 500 customers, ten per append, and
// returns the last position.
func appendMany(t *testing.T, ctx context.Context, store eventstore.Store, n int) uint64 {
	var last uint64
	for i := 0; i < n; i += 10 {
		evs := make([]eventstore.EventData, min(10, n-i))
		for j := range evs {
			evs[j] = pubEvent(j)
		}
		res, err := store.Append(ctx, fmt.Sprintf("customer-%04d", (i/10)%500), eventstore.Any, evs)
		require.NoError(t, err)
		last = res.LastPosition
	}
	return last
}

func readAll(t *testing.T, ctx context.Context, store eventstore.Store) []eventstore.Record {
	var out []eventstore.Record
	for {
		page, err := store.ReadAll(ctx, eventstore.ReadAllOptions{After: lastOf(out), Limit: 10_000})
		require.NoError(t, err)
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
	}
}

func lastOf(recs []eventstore.Record) uint64 {
	if len(recs) == 0 {
		return 0
	}
	return recs[len(recs)-1].Position
}

// readShards reads every message of every shard's stream, in stream
// order, and returns their envelopes by shard.
func readShards(t *testing.T, ctx context.Context, url string) map[int][]feed.Envelope {
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	out := map[int][]feed.Envelope{}
	for shard := range pubSharding.Shards {
		out[shard] = readShard(t, ctx, js, pubnats.StreamName(pubSharding, shard))
	}
	return out
}

func readShard(t *testing.T, ctx context.Context, js jetstream.JetStream, name string) []feed.Envelope {
	st, err := js.Stream(ctx, name)
	require.NoError(t, err)
	want := int(st.CachedInfo().State.Msgs)
	cons, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	var out []feed.Envelope
	for len(out) < want {
		batch, err := cons.Fetch(min(want-len(out), 1000), jetstream.FetchMaxWait(2*time.Second))
		require.NoError(t, err)
		for m := range batch.Messages() {
			out = append(out, decodeJS(t, m))
		}
		require.NoError(t, ctx.Err())
	}
	return out
}

func decodeJS(t *testing.T, m jetstream.Msg) feed.Envelope {
	msgs, err := wmjs.DefaultUnmarshaler{}.Unmarshal(m)
	require.NoError(t, err)
	env, err := publish.Decode(msgs)
	require.NoError(t, err)
	assert.Equal(t, env.EventID.String(), m.Headers().Get(nats.MsgIdHdr), "Nats-Msg-Id is the event id")
	return env
}

// assertPublished checks the shards against the log: every event is on
// its stream's shard, first seen in its stream's version order, any
// duplicate is the same event; it returns the number of duplicates.
func assertPublished(t *testing.T, log []eventstore.Record, shards map[int][]feed.Envelope) int {
	t.Helper()
	byID := map[uuid.UUID]eventstore.Record{}
	for _, r := range log {
		byID[r.ID] = r
	}
	seen, dups := map[uuid.UUID]bool{}, 0
	last := map[string]uint64{}
	for shard, envs := range shards {
		for _, env := range envs {
			rec, ok := byID[env.EventID]
			require.True(t, ok, "message %s is a stored event", env.EventID)
			assert.Equal(t, feed.ToEnvelope(rec).Hash, env.Hash, "event %s is the stored one", env.EventID)
			assert.Equal(t, pubSharding.Shard(rec.Stream), shard, "event %d on its stream's shard", rec.Position)
			if seen[env.EventID] {
				dups++
				continue
			}
			seen[env.EventID] = true
			assert.Equal(t, last[rec.Stream]+1, rec.Version, "stream %s in version order", rec.Stream)
			last[rec.Stream] = rec.Version
		}
	}
	assert.Len(t, seen, len(log), "every event published")
	return dups
}

// orderRecorder is a consumer's handler: it deduplicates by event id and
// notes any customer event handled out of version order.
type orderRecorder struct {
	mu         sync.Mutex
	seen       map[uuid.UUID]bool
	last       map[string]uint64
	violations []string
	dups       int
}

func (r *orderRecorder) handle(_ context.Context, env feed.Envelope) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[env.EventID] {
		r.dups++
		return nil
	}
	r.seen[env.EventID] = true
	if env.Version != r.last[env.Stream]+1 && len(r.violations) < 10 {
		r.violations = append(r.violations, fmt.Sprintf("%s: version %d after %d", env.Stream, env.Version, r.last[env.Stream]))
	}
	r.last[env.Stream] = env.Version
	return nil
}

func (r *orderRecorder) unique() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

// runConsumer runs a one-member group "catchup" until the returned stop
// (or the test's end).
func runConsumer(t *testing.T, ctx context.Context, url string, rec *orderRecorder) (stop func()) {
	c, err := pubnats.NewConsumer(pubnats.ConsumerConfig{URL: url, Sharding: pubSharding, Group: "catchup",
		Handler: rec.handle, Fetch: 1000, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); require.NoError(t, <-done) }) }
	t.Cleanup(stop)
	return stop
}

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
		require.NoError(t, ctx.Err(), "the first run publishes")
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
		return // only runs as the helper process of TestKillPublisherMidBatch
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

// TestPublishCommand runs `ledgerline publish` over a demo population
// until SIGINT: it forwards the whole log, prints its status as JSON, and
// a second run resumes from the checkpoint with nothing to publish.
func TestPublishCommand(t *testing.T) {
	srv := newNATSServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db := filepath.Join(t.TempDir(), "demo.db")
	var demo struct{ Events int }
	runJSON(t, db, &demo, "demo", "--customers", "20", "--days", "120")
	require.Positive(t, demo.Events)
	js := jetStreamOf(t, srv.URL())
	first := publishCommand(t, ctx, db, srv.URL(), func() bool { return storedMessages(t, ctx, js) >= demo.Events })
	assert.Equal(t, uint64(demo.Events), first.Published)
	assert.Equal(t, "publisher:nats", first.Name)
	log := readEmbedded(t, ctx, db)
	assert.Equal(t, lastOf(log), first.Checkpoint)
	assert.Zero(t, assertPublished(t, log, readShards(t, ctx, srv.URL())), "no duplicate")
	second := publishCommand(t, ctx, db, srv.URL(), func() bool { return true })
	assert.Zero(t, second.Published, "the second run resumes at the checkpoint")
	assert.Equal(t, first.Checkpoint, second.Checkpoint)
}

// publishCommand runs `ledgerline publish --json` until done reports true,
// interrupts it and returns its report.
func publishCommand(t *testing.T, ctx context.Context, db, url string, done func() bool) publish.Status {
	cmd := exec.Command(cli(t), "--db", db, "--log-level", "info", "publish", "--broker", url, "--shards", fmt.Sprint(pubSharding.Shards), "--json")
	var out strings.Builder
	cmd.Stdout = &out
	logs, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	sc := bufio.NewScanner(logs)
	for sc.Scan() && !strings.Contains(sc.Text(), "forwarding the log from the checkpoint") {
	}
	go func() {
		for sc.Scan() {
		}
	}()
	for !done() {
		require.NoError(t, ctx.Err(), "ledgerline publish did not publish the log")
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	require.NoError(t, cmd.Wait(), "exit 0 on SIGINT")
	var st publish.Status
	require.NoError(t, json.Unmarshal([]byte(out.String()), &st), out.String())
	return st
}

// TestPublishAdaptersDoNotImportEachOther keeps the broker adapters
// apart, as tests/deps_test.go does for the store adapters: each may
// import the publish port, never another adapter (nor its tests'
// support).
func TestPublishAdaptersDoNotImportEachOther(t *testing.T) {
	adapters := []string{module + "/projections/publish/nats", module + "/projections/publish/amqp", module + "/projections/publish/sql"}
	for _, p := range listPackages(t) {
		for _, self := range adapters {
			if !under(p.ImportPath, self) {
				continue
			}
			for _, d := range p.Deps {
				for _, other := range adapters {
					assert.False(t, other != self && under(d, other), "%s imports %s: adapters must not depend on each other", p.ImportPath, d)
				}
			}
		}
	}
}
