package tests

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	rmpostgres "github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

// TestPostgresRestartDuringLoad injects faults into a private PostgreSQL
// server while four writers append, a subscriber reads the feed and the
// timeline projection runs: a crash (pg_ctl restart -m immediate) while
// the projection is inside its read-model transaction, a crash at
// whatever moment load reaches, and a 2 s stop, longer than the runtime's
// in-process retries last (MaxRetries 2: about 0.5 s), so that the
// projection must also recover through a nack and a new subscription.
// Writers survive the outages the way a client does: they retry the same
// events with the same ids until the store acknowledges them. Afterwards
// every acknowledged event is in the log once, where its acknowledgement
// said, streams are dense, the subscriber saw the log once and in order,
// the timeline holds one row per event, the hash chains verify, and the
// runtime's log shows the outage.
func TestPostgresRestartDuringLoad(t *testing.T) {
	srv := newPGServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rig := startRig(t, ctx, srv.DSN())
	faults := []struct {
		name   string
		inject func()
	}{
		{"crash inside a projection transaction", func() {
			require.NoError(t, rig.projector.stopInside(ctx))
			srv.Restart("immediate")
			rig.projector.release()
		}},
		{"crash under load", func() { srv.Restart("immediate") }},
		{"2 s stop", func() { srv.Stop("fast"); time.Sleep(2 * time.Second); srv.Start() }},
	}
	const perPhase = 250
	for i, f := range faults {
		require.NoError(t, rig.load.waitAcked(ctx, (i+1)*perPhase), "writers before %s", f.name)
		start := time.Now()
		f.inject()
		t.Logf("%s after %d appends: server back in %s", f.name, rig.load.count(), time.Since(start).Round(time.Millisecond))
	}
	require.NoError(t, rig.load.waitAcked(ctx, (len(faults)+1)*perPhase), "writers after the faults")
	acks, failures := rig.settle(t, ctx)

	log := readLog(t, ctx, rig.events)
	assertStreamsDense(t, log)
	assertAcknowledged(t, log, acks)
	assert.Equal(t, positionsAndIDs(log), positionsAndIDs(rig.recorder.received()), "the subscriber saw the log once, in order")
	assert.Equal(t, positionsAndIDs(log), timelineRows(t, ctx, rig.models), "one timeline row per event")
	assertVerifies(t, ctx, rig.events, len(log))
	assertWriterErrorsUnavailable(t, failures)
	assertOutageLogged(t, rig.logs.String())
	retried, lost := lostAcknowledgements(log, acks)
	t.Logf("%d appends acknowledged, %d failed attempts, %d appends retried (%d had committed before their last failure), %d subscriber errors",
		len(acks), len(failures), retried, lost, rig.recorder.errors.Load())
}

// rig is the event store, the read models, the projection runtime, the
// writers and the subscriber of TestPostgresRestartDuringLoad.
type rig struct {
	events    *postgres.Store
	models    *rmpostgres.Store
	projector *gatedTimeline
	runtime   *projections.Runtime
	logs      *syncBuffer
	load      *load
	recorder  *recorder
	stop      context.CancelFunc
	ran       chan error
}

func startRig(t *testing.T, ctx context.Context, dsn string) *rig {
	r := &rig{projector: newGatedTimeline(), logs: &syncBuffer{}, recorder: &recorder{}, ran: make(chan error, 1)}
	r.events, r.models = openPostgres(t, ctx, dsn)
	var err error
	r.runtime, err = projections.New(projections.Config{Events: r.events, ReadModels: r.models, Catalogue: catalogue.New(),
		Projectors: []projections.Projector{r.projector}, MaxRetries: 2, Logger: slog.New(slog.NewTextHandler(r.logs, nil))})
	require.NoError(t, err)
	runCtx, stop := context.WithCancel(ctx)
	r.stop = stop
	t.Cleanup(stop)
	go func() { r.ran <- r.runtime.Run(runCtx) }()
	go r.recorder.run(runCtx, r.events)
	r.load = startLoad(ctx, r.events, 4)
	return r
}

// settle stops the writers, waits until the projection and the
// subscriber have reached the last acknowledged event, stops them, and
// returns the writers' acknowledgements and failures.
func (r *rig) settle(t *testing.T, ctx context.Context) ([]ack, []error) {
	acks, failures := r.load.stop()
	head := lastPosition(acks)
	require.NoError(t, r.runtime.WaitFor(ctx, head), "the projection resumed by itself")
	require.NoError(t, r.recorder.waitFor(ctx, head))
	r.stop()
	require.NoError(t, ignoreCanceled(<-r.ran))
	return acks, failures
}

// gatedTimeline is the timeline projector with a gate: stopInside makes
// its next batch wait inside the read-model transaction until release, so
// that the test can crash the server under an open transaction.
type gatedTimeline struct {
	timeline.Projector
	armed   atomic.Bool
	inside  chan struct{}
	opened  chan struct{}
	release func()
}

func newGatedTimeline() *gatedTimeline {
	g := &gatedTimeline{Projector: timeline.New(), inside: make(chan struct{}, 1), opened: make(chan struct{})}
	var once sync.Once
	g.release = func() { once.Do(func() { close(g.opened) }) }
	return g
}

// Project implements [projections.Projector].
func (g *gatedTimeline) Project(ctx context.Context, tx readmodel.Tx, events []projections.Event) error {
	if g.armed.CompareAndSwap(true, false) {
		g.inside <- struct{}{}
		<-g.opened
	}
	return g.Projector.Project(ctx, tx, events)
}

// stopInside arms the gate and waits until a batch is stopped at it.
func (g *gatedTimeline) stopInside(ctx context.Context) error {
	g.armed.Store(true)
	select {
	case <-g.inside:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for a projection batch: %w", ctx.Err())
	}
}

// TestPostgresKillWriterMidAppend kills a process appending batches as
// fast as it can with SIGKILL, several times at random moments (each new
// writer racing what the last one's sessions still run), and then finds
// every batch whole or absent, every acknowledged batch present, streams
// dense, ids unique and the hash chains intact.
func TestPostgresKillWriterMidAppend(t *testing.T) {
	dsn := pgtest.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	var runs writerRun
	for i := range 5 {
		delay := time.Duration(100+rng.IntN(700)) * time.Millisecond
		run := killWriter(t, ctx, dsn, delay)
		t.Logf("kill %d after %s: %d batches acknowledged, %d failed, %d statements in flight",
			i+1, delay, len(run.acks), len(run.failures), run.active)
		runs.add(run)
	}
	require.NotEmpty(t, runs.acks, "the writers made progress")
	for _, f := range runs.failures {
		t.Logf("an append failed while no kill was under way: %s", f)
	}
	waitForOtherSessions(t, ctx, dsn)

	store, err := postgres.Open(ctx, dsn, postgres.Config{})
	require.NoError(t, err)
	defer store.Close()
	log := readLog(t, ctx, store)
	require.Equal(t, countEventRows(t, ctx, dsn), len(log), "ReadAll returns every stored event")
	assertStreamsDense(t, log)
	unacked := assertBatchesWhole(t, log, runs.acks)
	assertVerifies(t, ctx, store, len(log))
	t.Logf("%d events in %d batches, %d of them committed without an acknowledgement; %d statements were in flight at the kills",
		len(log), len(runs.acks)+unacked, unacked, runs.active)
}

// assertBatchesWhole checks that every stored batch is whole and every
// acknowledged one stored, and returns how many were stored without an
// acknowledgement.
func assertBatchesWhole(t *testing.T, log []eventstore.Record, acked []string) int {
	batches := batchCounts(t, log)
	for _, b := range acked {
		assert.Contains(t, batches, b, "acknowledged batch %s is stored", b)
	}
	for b, c := range batches {
		assert.Equal(t, c.size, c.stored, "batch %s is whole", b)
	}
	return len(batches) - len(acked)
}

// TestPostgresKillDuringImport kills `ledgerline import cdnow` into
// PostgreSQL with SIGKILL at random moments, runs it to completion, and
// checks that the log holds each purchase once, the timeline each event
// once, and verify passes.
func TestPostgresKillDuringImport(t *testing.T) {
	dsn := pgtest.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 13))
	partial := false
	for i := range 3 {
		// The first kill comes early enough to land in the appends; the
		// others may land anywhere, the projection's catch-up included.
		delay := time.Duration(500+rng.IntN(1000+i*1000)) * time.Millisecond
		n := killImport(t, ctx, dsn, delay)
		partial = partial || n > 0 && n < 93229
		t.Logf("kill %d after %s: %d events stored", i+1, delay, n)
	}
	require.True(t, partial, "a kill landed in the middle of the import")
	start := time.Now()
	r := runStore(t, dsn, "import", "cdnow", masterFile, "--json")
	require.Zero(t, r.code, r.stderr)
	t.Logf("final import in %s", time.Since(start).Round(time.Millisecond))
	var sum importSummary
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &sum), r.stdout)
	assert.Equal(t, 69659+23570, sum.Events)
	assertImportedOnce(t, ctx, dsn)
	v := runStore(t, dsn, "verify")
	assert.Zero(t, v.code, v.stdout+v.stderr)
}

// killImport starts the CDNOW import, kills it after delay and returns how
// many events are stored.
func killImport(t *testing.T, ctx context.Context, dsn string, delay time.Duration) int {
	cmd := exec.Command(cli(t), "--store", dsn, "import", "cdnow", masterFile)
	require.NoError(t, cmd.Start())
	time.Sleep(delay)
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	return countEventRows(t, ctx, dsn)
}

// assertImportedOnce checks the log and the timeline of a complete CDNOW
// master import with SQL, independently of the CLI.
func assertImportedOnce(t *testing.T, ctx context.Context, dsn string) {
	const purchase = `convert_from(data, 'UTF8')::jsonb->>'purchase_id'`
	tests := []struct {
		name, query string
		want        int64
	}{
		{"each line once in the log", `SELECT count(*) FROM ledgerline.events`, 93229},
		{"every purchase stored", `SELECT count(DISTINCT ` + purchase + `) FROM ledgerline.events WHERE type = 'customer.purchase_recorded'`, 69659},
		{"no purchase twice", `SELECT count(*) FROM (SELECT 1 FROM ledgerline.events WHERE type = 'customer.purchase_recorded'
			GROUP BY ` + purchase + ` HAVING count(*) > 1) AS twice`, 0},
		{"each event once in the timeline", `SELECT count(*) FROM readmodels.timeline`, 93229},
		{"no event counted twice in the directory", `SELECT sum(events) FROM readmodels.customers`, 93229},
	}
	for _, tt := range tests {
		var got int64
		queryOne(t, ctx, dsn, tt.query, &got)
		assert.Equal(t, tt.want, got, tt.name)
	}
}

// writerEnv carries the DSN to the helper process of
// TestPostgresKillWriterMidAppend and selects its mode.
const writerEnv = "LEDGERLINE_PGFAULT_WRITER_DSN"

// TestPGWriterProcess is not a test: it is the writer that
// TestPostgresKillWriterMidAppend starts as a child process and kills. It
// returns at once unless writerEnv is set.
func TestPGWriterProcess(t *testing.T) {
	dsn := os.Getenv(writerEnv)
	if dsn == "" {
		return
	}
	store, err := postgres.Open(context.Background(), dsn, postgres.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("ready")
	// An orphan (its parent died before killing it) stops by itself.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() { appendBatches(ctx, store, uint64(w)) })
	}
	wg.Wait()
}

// appendBatches appends batches until ctx ends or the server is gone,
// printing "acked <batch>" for each acknowledged one and "failed <error>"
// for each failed one.
func appendBatches(ctx context.Context, store *postgres.Store, seed uint64) {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), seed))
	for ctx.Err() == nil {
		batch, reqs := randomBatch(rng)
		var err error
		if len(reqs) == 1 {
			_, err = store.Append(ctx, reqs[0].Stream, eventstore.Any, reqs[0].Events)
		} else {
			_, err = store.AppendBatch(ctx, reqs)
		}
		switch {
		case err == nil:
			fmt.Println("acked", batch)
		case errors.Is(err, eventstore.ErrUnavailable):
			return
		default:
			fmt.Println("failed", strings.Join(strings.Fields(err.Error()), " "))
		}
	}
}

// randomBatch returns an append of 1–30 events to one of eight streams,
// or, half the time, an atomic batch of 2–6 such requests; every event
// carries the batch's id and size.
func randomBatch(rng *rand.Rand) (string, []eventstore.AppendRequest) {
	batch := uuid.NewString()
	reqs := make([]eventstore.AppendRequest, 1+rng.IntN(2)*(1+rng.IntN(5)))
	size := 0
	for i := range reqs {
		reqs[i] = eventstore.AppendRequest{Stream: fmt.Sprintf("fault-%d", rng.IntN(8)), Expected: eventstore.Any,
			Events: make([]eventstore.EventData, 1+rng.IntN(30))}
		size += len(reqs[i].Events)
	}
	n := 0
	for _, r := range reqs {
		for j := range r.Events {
			r.Events[j] = faultEvent(fmt.Sprintf(`{"batch":%q,"size":%d,"n":%d}`, batch, size, n))
			n++
		}
	}
	return batch, reqs
}

func faultEvent(payload string) eventstore.EventData {
	id := uuid.New()
	return eventstore.EventData{ID: id, Type: "fault.noted", SchemaVersion: 1, Data: []byte(payload),
		OccurredAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Metadata: eventstore.Metadata{Actor: "test:pgfault", CommandID: id}}
}

// writerRun is what killed writer processes did.
type writerRun struct {
	acks     []string // batches acknowledged
	failures []string // errors of failed appends
	active   int      // statements running just before the kill
}

func (w *writerRun) add(run writerRun) {
	w.acks = append(w.acks, run.acks...)
	w.failures = append(w.failures, run.failures...)
	w.active += run.active
}

// killWriter runs the writer process and kills it with SIGKILL delay
// after it is ready.
func killWriter(t *testing.T, ctx context.Context, dsn string, delay time.Duration) writerRun {
	app := "ll-writer-" + uuid.NewString()[:8]
	cmd := exec.Command(os.Args[0], "-test.run=^TestPGWriterProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), writerEnv+"="+withApplicationName(dsn, app))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	ready, done := make(chan struct{}), make(chan writerRun, 1)
	go func() { done <- readWriterOutput(out, ready) }()
	select {
	case <-ready:
	case <-done:
		t.Fatalf("writer exited before it was ready: %s", stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("writer not ready after 20 s: %s", stderr.String())
	}
	time.Sleep(delay)
	active := activeStatements(t, ctx, dsn, app)
	require.NoError(t, cmd.Process.Kill())
	run := <-done
	_ = cmd.Wait()
	run.active = active
	return run
}

// withApplicationName returns dsn with application_name set, by which the
// parent tells one writer's sessions from the others'.
func withApplicationName(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn + " application_name=" + name
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// readWriterOutput closes ready at the writer's "ready" line and collects
// its "acked" and "failed" lines.
func readWriterOutput(out io.Reader, ready chan<- struct{}) writerRun {
	var run writerRun
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if b, ok := strings.CutPrefix(line, "acked "); ok {
			run.acks = append(run.acks, b)
		} else if e, ok := strings.CutPrefix(line, "failed "); ok {
			run.failures = append(run.failures, e)
		} else if line == "ready" {
			close(ready)
		}
	}
	return run
}

// activeStatements counts the statements that sessions named app are
// running on dsn's database.
func activeStatements(t *testing.T, ctx context.Context, dsn, app string) int {
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var n int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = $1 AND state = 'active'
		AND query NOT LIKE 'SELECT pg_notify%'`, app).Scan(&n))
	return n
}

// waitForOtherSessions waits until no other session is connected to
// dsn's database: the killed writers' transactions have committed or
// aborted.
func waitForOtherSessions(t *testing.T, ctx context.Context, dsn string) {
	for {
		var n int
		queryOne(t, ctx, dsn, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`, &n)
		if n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d sessions of the killed writers still connected", n)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// countEventRows counts the rows of the events table, 0 if there is none
// yet.
func countEventRows(t *testing.T, ctx context.Context, dsn string) int {
	var exists bool
	queryOne(t, ctx, dsn, `SELECT to_regclass('ledgerline.events') IS NOT NULL`, &exists)
	var n int
	if exists {
		queryOne(t, ctx, dsn, `SELECT count(*) FROM ledgerline.events`, &n)
	}
	return n
}

func queryOne(t *testing.T, ctx context.Context, dsn, query string, dest any) {
	t.Helper()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	require.NoError(t, conn.QueryRow(ctx, query).Scan(dest), query)
}

// batchCount is how many events of a batch are stored, of how many.
type batchCount struct{ size, stored int }

func batchCounts(t *testing.T, log []eventstore.Record) map[string]batchCount {
	out := map[string]batchCount{}
	for _, r := range log {
		var p struct {
			Batch string `json:"batch"`
			Size  int    `json:"size"`
		}
		require.NoError(t, json.Unmarshal(r.Data, &p))
		c := out[p.Batch]
		out[p.Batch] = batchCount{size: p.Size, stored: c.stored + 1}
	}
	return out
}

// openPostgres opens the event store and the read-model store on dsn,
// closed in t.Cleanup.
func openPostgres(t *testing.T, ctx context.Context, dsn string) (*postgres.Store, *rmpostgres.Store) {
	events, err := postgres.Open(ctx, dsn, postgres.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { events.Close() })
	models, err := rmpostgres.Open(ctx, dsn, rmpostgres.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { models.Close() })
	return events, models
}

// ack is an acknowledged append.
type ack struct {
	stream string
	ids    []uuid.UUID
	res    eventstore.AppendResult
	// failedAt is when its last failed attempt failed; zero if none did.
	failedAt time.Time
}

// load is a set of writers appending 1–3 events at a time to a handful of
// customer streams, each retrying a failed append with the same events
// until it is acknowledged.
type load struct {
	store    eventstore.Store
	streams  []string
	stopping atomic.Bool
	wg       sync.WaitGroup
	mu       sync.Mutex
	acks     []ack
	failures []error
	moved    eventstore.Signal
}

func startLoad(ctx context.Context, store eventstore.Store, writers int) *load {
	l := &load{store: store}
	for range 5 {
		l.streams = append(l.streams, "customer-"+uuid.NewString())
	}
	for w := range writers {
		l.wg.Go(func() { l.write(ctx, uint64(w)) })
	}
	return l
}

func (l *load) write(ctx context.Context, seed uint64) {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), seed))
	for !l.stopping.Load() && ctx.Err() == nil {
		stream := l.streams[rng.IntN(len(l.streams))]
		a := ack{stream: stream}
		var evs []eventstore.EventData
		for i := range 1 + rng.IntN(3) {
			ev := faultEvent(fmt.Sprintf(`{"writer":%d,"n":%d}`, seed, i))
			a.ids = append(a.ids, ev.ID)
			evs = append(evs, ev)
		}
		if a.res, a.failedAt = l.appendUntilStored(ctx, stream, evs); a.res.LastPosition > 0 {
			l.acked(a)
		}
	}
}

// appendUntilStored retries the same append until it succeeds or ctx
// ends (then it returns the zero result), and reports when the last
// failed attempt failed.
func (l *load) appendUntilStored(ctx context.Context, stream string, evs []eventstore.EventData) (eventstore.AppendResult, time.Time) {
	var failedAt time.Time
	for {
		res, err := l.store.Append(ctx, stream, eventstore.Any, evs)
		if err == nil || ctx.Err() != nil {
			return res, failedAt
		}
		failedAt = time.Now()
		l.mu.Lock()
		l.failures = append(l.failures, err)
		l.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
}

func (l *load) acked(a ack) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acks = append(l.acks, a)
	l.moved.Notify()
}

func (l *load) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acks)
}

// waitAcked waits until n appends are acknowledged.
func (l *load) waitAcked(ctx context.Context, n int) error {
	for {
		moved := l.moved.C()
		if l.count() >= n {
			return nil
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return fmt.Errorf("wait for %d appends, have %d: %w", n, l.count(), ctx.Err())
		}
	}
}

// stop lets each writer finish its append and returns the acknowledged
// appends and the failed attempts.
func (l *load) stop() ([]ack, []error) {
	l.stopping.Store(true)
	l.wg.Wait()
	return l.acks, l.failures
}

func lastPosition(acks []ack) uint64 {
	var last uint64
	for _, a := range acks {
		last = max(last, a.res.LastPosition)
	}
	return last
}

// recorder is a client of the feed: it subscribes from the start and,
// when the subscription fails, subscribes again after the last event it
// received.
type recorder struct {
	mu     sync.Mutex
	recs   []eventstore.Record
	errors atomic.Int64
	moved  eventstore.Signal
}

func (r *recorder) run(ctx context.Context, store eventstore.Store) {
	for ctx.Err() == nil {
		sub, err := store.Subscribe(ctx, eventstore.SubscribeOptions{After: r.last()})
		if err == nil {
			err = r.drain(ctx, sub)
			sub.Close()
		}
		if ctx.Err() == nil {
			r.errors.Add(1)
			time.Sleep(50 * time.Millisecond)
		}
	}
}

func (r *recorder) drain(ctx context.Context, sub eventstore.Subscription) error {
	for {
		recs, err := sub.Next(ctx)
		if err != nil {
			return err
		}
		r.mu.Lock()
		r.recs = append(r.recs, recs...)
		r.mu.Unlock()
		r.moved.Notify()
	}
}

func (r *recorder) last() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.recs) == 0 {
		return 0
	}
	return r.recs[len(r.recs)-1].Position
}

func (r *recorder) waitFor(ctx context.Context, position uint64) error {
	for {
		moved := r.moved.C()
		if r.last() >= position {
			return nil
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return fmt.Errorf("subscriber waiting for %d, at %d: %w", position, r.last(), ctx.Err())
		}
	}
}

func (r *recorder) received() []eventstore.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.recs
}

// readLog reads the whole global log through ReadAll.
func readLog(t *testing.T, ctx context.Context, store eventstore.Store) []eventstore.Record {
	var log []eventstore.Record
	for {
		var after uint64
		if len(log) > 0 {
			after = log[len(log)-1].Position
		}
		page, err := store.ReadAll(ctx, eventstore.ReadAllOptions{After: after, Limit: 1000})
		require.NoError(t, err)
		if len(page) == 0 {
			return log
		}
		log = append(log, page...)
	}
}

// assertStreamsDense checks that no id appears twice and that each
// stream's versions run 1, 2, 3, … in position order.
func assertStreamsDense(t *testing.T, log []eventstore.Record) {
	ids := map[uuid.UUID]uint64{}
	versions := map[string]uint64{}
	for _, r := range log {
		if at, dup := ids[r.ID]; dup {
			t.Errorf("event %s at positions %d and %d", r.ID, at, r.Position)
		}
		ids[r.ID] = r.Position
		if want := versions[r.Stream] + 1; r.Version != want {
			t.Errorf("%s: version %d at position %d, want %d", r.Stream, r.Version, r.Position, want)
		}
		versions[r.Stream] = r.Version
	}
}

// assertAcknowledged checks that the log holds exactly the acknowledged
// events, each where its acknowledgement said.
func assertAcknowledged(t *testing.T, log []eventstore.Record, acks []ack) {
	byID := map[uuid.UUID]eventstore.Record{}
	for _, r := range log {
		byID[r.ID] = r
	}
	total := 0
	for _, a := range acks {
		total += len(a.ids)
		for i, id := range a.ids {
			r, ok := byID[id]
			if !assert.True(t, ok, "acknowledged event %s is stored", id) {
				continue
			}
			assert.Equal(t, a.stream, r.Stream)
			assert.Equal(t, a.res.FirstVersion+uint64(i), r.Version, "event %s's version as acknowledged", id)
		}
		last := byID[a.ids[len(a.ids)-1]]
		assert.Equal(t, a.res.LastPosition, last.Position, "append %s's last position as acknowledged", a.ids[0])
	}
	assert.Equal(t, total, len(log), "the log holds the acknowledged events and nothing else")
}

// lostAcknowledgements counts the appends that failed at least once, and
// those of them stored before their last failure: their commit's
// acknowledgement was lost and the retry that succeeded was a replay.
func lostAcknowledgements(log []eventstore.Record, acks []ack) (retried, lost int) {
	recordedAt := map[uuid.UUID]time.Time{}
	for _, r := range log {
		recordedAt[r.ID] = r.RecordedAt
	}
	for _, a := range acks {
		if a.failedAt.IsZero() {
			continue
		}
		retried++
		if recordedAt[a.ids[0]].Before(a.failedAt) {
			lost++
		}
	}
	return retried, lost
}

// positionAndID identifies a delivered or projected event.
type positionAndID struct {
	Position uint64
	ID       string
}

func positionsAndIDs(recs []eventstore.Record) []positionAndID {
	out := make([]positionAndID, len(recs))
	for i, r := range recs {
		out[i] = positionAndID{r.Position, r.ID.String()}
	}
	return out
}

func timelineRows(t *testing.T, ctx context.Context, models *rmpostgres.Store) []positionAndID {
	rows, err := models.Query(ctx, `SELECT position, event_id FROM timeline ORDER BY position`)
	require.NoError(t, err)
	defer rows.Close()
	out := []positionAndID{}
	for rows.Next() {
		var p positionAndID
		var pos int64
		require.NoError(t, rows.Scan(&pos, &p.ID))
		p.Position = uint64(pos)
		out = append(out, p)
	}
	require.NoError(t, rows.Err())
	return out
}

func assertVerifies(t *testing.T, ctx context.Context, store eventstore.Store, events int) {
	rep, err := eventstore.Verify(ctx, store, nil)
	require.NoError(t, err)
	assert.Equal(t, events, rep.Events)
}

// assertWriterErrorsUnavailable checks that the outage reached the
// writers as eventstore.ErrUnavailable, the error a client retries on.
func assertWriterErrorsUnavailable(t *testing.T, failures []error) {
	for _, err := range failures {
		assert.ErrorIs(t, err, eventstore.ErrUnavailable)
	}
}

// assertOutageLogged checks that the runtime's log names the timeline
// projection's failure to reach the server, at level ERROR. The runtime
// logs nothing when a projection recovers, so that it resumed is asserted
// by WaitFor reaching the head, not through the log.
func assertOutageLogged(t *testing.T, logs string) {
	outage := regexp.MustCompile(`(?m)^.*level=ERROR.*timeline.*unavailable.*$`)
	assert.Regexp(t, outage, logs, "the runtime logs the outage")
	t.Logf("runtime log:\n%s", logs)
}

// runStore runs the CLI against the PostgreSQL store at dsn.
func runStore(t *testing.T, dsn string, args ...string) result {
	t.Helper()
	cmd := exec.Command(cli(t), append([]string{"--store", dsn}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(t, err)
	}
	return result{stdout: out.String(), stderr: errOut.String(), code: cmd.ProcessState.ExitCode()}
}

func ignoreCanceled(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// syncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
