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

// TestPostgresRestartDuringLoad crashes a private PostgreSQL server
// (pg_ctl restart -m immediate) twice while four writers append, a
// subscriber reads the feed and the timeline projection runs: the first
// time while the projection is inside its read-model transaction, the
// second at whatever moment load reaches. Then it stops the server for 2 s,
// longer than the runtime's in-process retries last (MaxRetries 2: about
// 0.5 s), so that the projection must also recover through a nack and a
// new subscription. Writers survive the outage the
// way a client does: they retry the same events with the same ids until
// the store acknowledges them. Afterwards every acknowledged event is in
// the log once, where its acknowledgement said, streams are dense, the
// subscriber saw the log once and in order, the timeline holds one row
// per event, the hash chains verify, and the runtime's log shows the
// outage.
func TestPostgresRestartDuringLoad(t *testing.T) {
	srv := newPGServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	events, models := openPostgres(t, ctx, srv.DSN())
	logs := &syncBuffer{}
	projector := newGatedTimeline()
	rt, err := projections.New(projections.Config{Events: events, ReadModels: models, Catalogue: catalogue.New(),
		Projectors: []projections.Projector{projector}, MaxRetries: 2, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	require.NoError(t, err)
	runCtx, stopRun := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- rt.Run(runCtx) }()
	rec := &recorder{}
	go rec.run(runCtx, events)
	load := startLoad(ctx, events, 4)

	const perPhase = 250
	require.NoError(t, load.waitAcked(ctx, perPhase), "writers before the first crash")
	require.NoError(t, projector.stopInside(ctx))
	crash(t, srv, "inside a projection transaction", load)
	projector.release()
	require.NoError(t, load.waitAcked(ctx, 2*perPhase), "writers before the second crash")
	crash(t, srv, "under load", load)
	require.NoError(t, load.waitAcked(ctx, 3*perPhase), "writers before the outage")
	srv.Stop("fast")
	time.Sleep(2 * time.Second)
	srv.Start()
	t.Logf("2 s outage after %d appends", load.count())
	require.NoError(t, load.waitAcked(ctx, 4*perPhase), "writers after the outage")
	acks, failures := load.stop()
	head := lastPosition(acks)
	require.NoError(t, rt.WaitFor(ctx, head), "the projection resumed by itself")
	require.NoError(t, rec.waitFor(ctx, head))
	stopRun()
	require.NoError(t, ignoreCanceled(<-ran))
	t.Logf("%d appends acknowledged, %d failed attempts retried, %d subscriber errors", len(acks), len(failures), rec.errors.Load())

	log := readLog(t, ctx, events)
	assertStreamsDense(t, log)
	assertAcknowledged(t, log, acks)
	assert.Equal(t, positionsAndIDs(log), positionsAndIDs(rec.received()), "the subscriber saw the log once, in order")
	assert.Equal(t, positionsAndIDs(log), timelineRows(t, ctx, models), "one timeline row per event")
	assertVerifies(t, ctx, events, len(log))
	assertWriterErrorsUnavailable(t, failures)
	assertOutageLogged(t, logs.String())
}

func crash(t *testing.T, srv *pgServer, when string, load *load) {
	start := time.Now()
	srv.Restart("immediate")
	t.Logf("crash %s after %d appends: server back in %s", when, load.count(), time.Since(start).Round(time.Millisecond))
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
// fast as it can with SIGKILL, several times at random moments, and then
// finds every batch whole or absent, every acknowledged batch present,
// streams dense, ids unique and the hash chains intact.
func TestPostgresKillWriterMidAppend(t *testing.T) {
	dsn := pgtest.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	acked := map[string]bool{}
	var inFlight int
	var failures []string
	for i := range 5 {
		delay := time.Duration(100+rng.IntN(700)) * time.Millisecond
		run := killWriter(t, ctx, dsn, delay)
		t.Logf("kill %d after %s: %d batches acknowledged, %d failed, %d statements in flight",
			i+1, delay, len(run.acks), len(run.failures), run.active)
		inFlight += run.active
		failures = append(failures, run.failures...)
		for _, b := range run.acks {
			acked[b] = true
		}
	}
	waitForOtherBackends(t, ctx, dsn)

	store, err := postgres.Open(ctx, dsn, postgres.Config{})
	require.NoError(t, err)
	defer store.Close()
	log := readLog(t, ctx, store)
	require.Equal(t, countEventRows(t, ctx, dsn), len(log), "ReadAll returns every stored event")
	assertStreamsDense(t, log)
	batches := batchCounts(t, log)
	for b := range acked {
		assert.Contains(t, batches, b, "acknowledged batch %s is stored", b)
	}
	unacked := 0
	for b, c := range batches {
		assert.Equal(t, c.size, c.stored, "batch %s is whole", b)
		if !acked[b] {
			unacked++
		}
	}
	t.Logf("%d events in %d batches (%d committed without an acknowledgement); %d statements were in flight at the kills",
		len(log), len(batches), unacked, inFlight)
	require.NotEmpty(t, acked, "the writers made progress")
	for _, f := range failures {
		t.Logf("an append failed while no kill was under way: %s", f)
	}
	assertVerifies(t, ctx, store, len(log))
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
		cmd := exec.Command(cli(t), "--store", dsn, "import", "cdnow", masterFile)
		require.NoError(t, cmd.Start())
		time.Sleep(delay)
		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()
		n := countEventRows(t, ctx, dsn)
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

	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	count := func(q string) int64 {
		var n int64
		require.NoError(t, conn.QueryRow(ctx, q).Scan(&n), q)
		return n
	}
	assert.Equal(t, int64(93229), count(`SELECT count(*) FROM ledgerline.events`), "each line once in the log")
	assert.Equal(t, int64(69659), count(`SELECT count(DISTINCT convert_from(data, 'UTF8')::jsonb->>'purchase_id')
		FROM ledgerline.events WHERE type = 'customer.purchase_recorded'`), "every purchase stored")
	assert.Zero(t, count(`SELECT count(*) FROM (SELECT 1 FROM ledgerline.events WHERE type = 'customer.purchase_recorded'
		GROUP BY convert_from(data, 'UTF8')::jsonb->>'purchase_id' HAVING count(*) > 1) AS twice`), "no purchase twice")
	assert.Equal(t, int64(93229), count(`SELECT count(*) FROM readmodels.timeline`), "each event once in the timeline")
	assert.Equal(t, int64(93229), count(`SELECT sum(events) FROM readmodels.customers`), "no event counted twice")
	v := runStore(t, dsn, "verify")
	assert.Zero(t, v.code, v.stdout+v.stderr)
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
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() { appendBatches(store, uint64(w)) })
	}
	wg.Wait()
}

// appendBatches appends batches for ever, printing "acked <batch>" for
// each acknowledged one and "failed <error>" for each failed one.
func appendBatches(store *postgres.Store, seed uint64) {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), seed))
	for {
		batch, reqs := randomBatch(rng)
		var err error
		if len(reqs) == 1 {
			_, err = store.Append(context.Background(), reqs[0].Stream, eventstore.Any, reqs[0].Events)
		} else {
			_, err = store.AppendBatch(context.Background(), reqs)
		}
		if err != nil {
			fmt.Println("failed", strings.Join(strings.Fields(err.Error()), " "))
			continue
		}
		fmt.Println("acked", batch)
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

// writerRun is what one killed writer process did.
type writerRun struct {
	acks     []string // batches acknowledged
	failures []string // errors of failed appends
	active   int      // its statements running just before the kill
}

// killWriter runs the writer process and kills it with SIGKILL delay
// after it is ready.
func killWriter(t *testing.T, ctx context.Context, dsn string, delay time.Duration) writerRun {
	app := "ll-writer-" + uuid.NewString()[:8]
	cmd := exec.Command(os.Args[0], "-test.run=^TestPGWriterProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), writerEnv+"="+withApplicationName(t, dsn, app))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	ready, done := make(chan struct{}), make(chan writerRun, 1)
	go func() { done <- readWriterOutput(out, ready) }()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("writer not ready: %s", stderr.String())
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
func withApplicationName(t *testing.T, dsn, name string) string {
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
		WHERE datname = current_database() AND application_name = $1 AND state = 'active'`, app).Scan(&n))
	return n
}

// waitForOtherBackends waits until no other session is connected to dsn's
// database: the killed writers' transactions have committed or aborted.
func waitForOtherBackends(t *testing.T, ctx context.Context, dsn string) {
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

func countEventRows(t *testing.T, ctx context.Context, dsn string) int {
	var n int
	queryOne(t, ctx, dsn, `SELECT count(*) FROM ledgerline.events`, &n)
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
		if a.res = l.appendUntilStored(ctx, stream, evs); a.res.LastPosition > 0 {
			l.acked(a)
		}
	}
}

// appendUntilStored retries the same append until it succeeds or ctx
// ends (then it returns the zero result).
func (l *load) appendUntilStored(ctx context.Context, stream string, evs []eventstore.EventData) eventstore.AppendResult {
	for {
		res, err := l.store.Append(ctx, stream, eventstore.Any, evs)
		if err == nil || ctx.Err() != nil {
			return res
		}
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
