package postgres_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/eventstore/storetest"
)

// benchWriters is the concurrency of the append benchmarks (DESIGN §6).
const benchWriters = 16

// commandsPerStream is how many commands a benchmark writer appends to a
// stream before it moves on to a new one.
const commandsPerStream = 50

// BenchmarkStore runs the port's shared benchmarks.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) eventstore.Store {
		return open(b, pgtest.Database(b), postgres.Config{})
	})
}

// BenchmarkAppendConcurrent16: 16 writers, each appending commands of 1–3
// events with an exact expected version, one Append per command. Compare
// its events/s with BenchmarkBaselineInsert16 (target: at least 0.8×).
func BenchmarkAppendConcurrent16(b *testing.B) {
	s := open(b, pgtest.Database(b), postgres.Config{MaxConns: benchWriters})
	runWriters(b, func(ctx context.Context, w *benchWriter) error {
		_, err := s.Append(ctx, w.stream, eventstore.Exact(w.version), w.command())
		return err
	})
}

// baselineTable is the events table without the store: the same columns
// and indexes, positions from an identity column.
const baselineTable = `CREATE TABLE baseline_events (
	position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
	stream text NOT NULL, version bigint NOT NULL, id uuid NOT NULL UNIQUE, type text NOT NULL,
	schema_version int NOT NULL, data bytea NOT NULL, occurred_at timestamptz NOT NULL,
	recorded_at timestamptz NOT NULL, actor text NOT NULL, command_id uuid NOT NULL,
	correlation_id uuid NOT NULL, causation_id uuid NOT NULL, hash bytea NOT NULL,
	UNIQUE (stream, version))`

// BenchmarkBaselineInsert16: the same commands as
// BenchmarkAppendConcurrent16 from the same 16 writers, each stored by one
// plain multi-row INSERT … VALUES (its own transaction) into
// baseline_events, with no expected-version check, no hash chain and no
// notification: the most PostgreSQL can do for this workload.
func BenchmarkBaselineInsert16(b *testing.B) {
	pool := baselinePool(b)
	runWriters(b, func(ctx context.Context, w *benchWriter) error {
		sql, args := baselineInsert(w, "")
		_, err := pool.Exec(ctx, sql, args...)
		return err
	})
}

// BenchmarkBaselineInsertNotify16 is BenchmarkBaselineInsert16 with a
// pg_notify inside each command's transaction: the cost that made the
// store notify after commit instead (see doc.go).
func BenchmarkBaselineInsertNotify16(b *testing.B) {
	pool := baselinePool(b)
	runWriters(b, func(ctx context.Context, w *benchWriter) error {
		sql, args := baselineInsert(w, "pg_notify('bench', 'x')")
		_, err := pool.Exec(ctx, sql, args...)
		return err
	})
}

// BenchmarkHeadsTable16 is the alternative design with a streams table
// whose row is locked for the expected-version check and the previous
// hash: per command, BEGIN and an upsert that locks the head in one round
// trip, then the events' INSERT, the head's UPDATE and COMMIT in another.
func BenchmarkHeadsTable16(b *testing.B) {
	pool := baselinePool(b)
	_, err := pool.Exec(b.Context(), `CREATE TABLE heads (stream text PRIMARY KEY, version bigint NOT NULL, hash bytea)`)
	require.NoError(b, err)
	runWriters(b, func(ctx context.Context, w *benchWriter) error {
		return headsTableAppend(ctx, pool, w)
	})
}

func headsTableAppend(ctx context.Context, pool *pgxpool.Pool, w *benchWriter) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	lock := &pgx.Batch{}
	lock.Queue("BEGIN")
	var version int64
	var hash []byte
	lock.Queue(`INSERT INTO heads VALUES ($1, 0, NULL) ON CONFLICT (stream) DO UPDATE SET stream = excluded.stream
		RETURNING version, hash`, w.stream).QueryRow(func(row pgx.Row) error { return row.Scan(&version, &hash) })
	if err := conn.SendBatch(ctx, lock).Close(); err != nil {
		return err
	}
	if uint64(version) != w.version {
		return fmt.Errorf("head at %d, expected %d", version, w.version)
	}
	sql, args := baselineInsert(w, "")
	write := &pgx.Batch{}
	write.Queue(sql, args...)
	write.Queue("UPDATE heads SET version = $2, hash = $3 WHERE stream = $1",
		w.stream, int64(w.version)+int64(len(w.pending)), w.hash[:])
	write.Queue("COMMIT")
	return conn.SendBatch(ctx, write).Close()
}

// BenchmarkReadStream10k reads one 10,000-event stream and reports the
// 99th percentile latency (DESIGN §6: under 20 ms).
func BenchmarkReadStream10k(b *testing.B) {
	const n, chunk = 10_000, 1_000
	s := open(b, pgtest.Database(b), postgres.Config{})
	for i := 0; i < n; i += chunk {
		_, err := s.Append(b.Context(), "customer-long", eventstore.Any, events(chunk))
		require.NoError(b, err)
	}
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		recs, err := s.ReadStream(b.Context(), "customer-long", eventstore.ReadStreamOptions{})
		took = append(took, time.Since(start))
		if err != nil || len(recs) != n {
			b.Fatalf("read %d events: %v", len(recs), err)
		}
	}
	slices.Sort(took)
	p99 := took[min(len(took)-1, len(took)*99/100)]
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(n*len(took))/b.Elapsed().Seconds(), "events/s")
}

// benchWriter is one benchmark writer: its current stream, that stream's
// version and the commands it has sent.
type benchWriter struct {
	stream   string
	version  uint64
	commands int
	pending  []eventstore.EventData
	hash     [sha256.Size]byte
}

// command returns the next command's events, 1–3 of them in turn.
func (w *benchWriter) command() []eventstore.EventData {
	w.pending = events(1 + w.commands%3)
	return w.pending
}

// done records that the last command was stored.
func (w *benchWriter) done() {
	w.version += uint64(len(w.pending))
	if w.commands++; w.commands%commandsPerStream == 0 {
		w.stream, w.version = "customer-"+uuid.NewString(), 0
	}
}

// runWriters runs b.N commands through store from benchWriters
// goroutines and reports events/s.
func runWriters(b *testing.B, store storeFunc) {
	b.ResetTimer()
	events := drive(b, b.N, store, newWriters())
	b.StopTimer()
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// storeFunc stores w's next command.
type storeFunc func(ctx context.Context, w *benchWriter) error

func newWriters() []*benchWriter {
	ws := make([]*benchWriter, benchWriters)
	for i := range ws {
		ws[i] = &benchWriter{stream: "customer-" + uuid.NewString()}
	}
	return ws
}

// drive has writers store n commands between them, concurrently, and
// returns how many events they stored.
func drive(b *testing.B, n int, store storeFunc, writers []*benchWriter) int64 {
	var next, stored atomic.Int64
	var wg sync.WaitGroup
	for _, w := range writers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := store(b.Context(), w); err != nil {
					b.Errorf("append: %v", err)
					return
				}
				stored.Add(int64(len(w.pending)))
				w.done()
			}
		})
	}
	wg.Wait()
	return stored.Load()
}

// BenchmarkAppendVersusBaseline16 alternates BenchmarkAppendConcurrent16's
// and BenchmarkBaselineInsert16's workloads in short rounds (each op is
// one round of 500 commands of each, in alternating order) and reports
// both rates and their ratio: on a shared machine whose load drifts, the
// ratio of interleaved rounds is steadier than that of two separate runs.
func BenchmarkAppendVersusBaseline16(b *testing.B) {
	const round = 500
	s := open(b, pgtest.Database(b), postgres.Config{MaxConns: benchWriters})
	pool := baselinePool(b)
	storeWriters, baseWriters := newWriters(), newWriters()
	appendCmd := func(ctx context.Context, w *benchWriter) error {
		_, err := s.Append(ctx, w.stream, eventstore.Exact(w.version), w.command())
		return err
	}
	insertCmd := func(ctx context.Context, w *benchWriter) error {
		sql, args := baselineInsert(w, "")
		_, err := pool.Exec(ctx, sql, args...)
		return err
	}
	var storeTime, baseTime time.Duration
	var storeEvents, baseEvents int64
	timed := func(store storeFunc, ws []*benchWriter, took *time.Duration, events *int64) {
		start := time.Now()
		*events += drive(b, round, store, ws)
		*took += time.Since(start)
	}
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			timed(appendCmd, storeWriters, &storeTime, &storeEvents)
			timed(insertCmd, baseWriters, &baseTime, &baseEvents)
		} else {
			timed(insertCmd, baseWriters, &baseTime, &baseEvents)
			timed(appendCmd, storeWriters, &storeTime, &storeEvents)
		}
	}
	storeRate, baseRate := float64(storeEvents)/storeTime.Seconds(), float64(baseEvents)/baseTime.Seconds()
	b.ReportMetric(storeRate, "store-events/s")
	b.ReportMetric(baseRate, "baseline-events/s")
	b.ReportMetric(storeRate/baseRate, "ratio")
}

func baselinePool(b *testing.B) *pgxpool.Pool {
	cfg, err := pgxpool.ParseConfig(pgtest.Database(b))
	require.NoError(b, err)
	cfg.MaxConns = benchWriters
	pool, err := pgxpool.NewWithConfig(b.Context(), cfg)
	require.NoError(b, err)
	b.Cleanup(pool.Close)
	_, err = pool.Exec(b.Context(), baselineTable)
	require.NoError(b, err)
	return pool
}

// baselineInsert builds a multi-row INSERT … VALUES of w's next command;
// with a non-empty also, the statement selects it after the insert, in
// the same transaction.
func baselineInsert(w *benchWriter, also string) (string, []any) {
	evs := w.command()
	sql := `INSERT INTO baseline_events (stream, version, id, type, schema_version, data, occurred_at,
		recorded_at, actor, command_id, correlation_id, causation_id, hash) VALUES `
	var args []any
	now := time.Now()
	for i, ev := range evs {
		if i > 0 {
			sql += ", "
		}
		n := len(args)
		sql += fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)",
			n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10, n+11, n+12, n+13)
		w.hash = sha256.Sum256(append(w.hash[:], ev.Data...))
		m := ev.Metadata
		args = append(args, w.stream, int64(w.version)+int64(i)+1, [16]byte(ev.ID), ev.Type, int32(ev.SchemaVersion),
			ev.Data, ev.OccurredAt, now, m.Actor, [16]byte(m.CommandID), [16]byte(m.CorrelationID),
			[16]byte(m.CausationID), w.hash[:])
	}
	if also != "" {
		sql = "WITH ins AS (" + sql + " RETURNING position) SELECT " + also
	}
	return sql, args
}

// importStreams and importStreamLen shape one bulk-import transaction: 10
// new streams of 100 events.
const importStreams, importStreamLen = 10, 100

// BenchmarkAppendBatch1000 imports 1,000 events per AppendBatch (10 new
// streams of 100), one writer; compare with BenchmarkBaselineCopy1000
// (DESIGN §6: at least 0.5×).
func BenchmarkAppendBatch1000(b *testing.B) {
	s := open(b, pgtest.Database(b), postgres.Config{})
	imported := 0
	for b.Loop() {
		reqs := make([]eventstore.AppendRequest, importStreams)
		for i := range reqs {
			reqs[i] = eventstore.AppendRequest{Stream: "customer-" + uuid.NewString(), Expected: eventstore.NoStream,
				Events: events(importStreamLen)}
		}
		_, err := s.AppendBatch(b.Context(), reqs)
		require.NoError(b, err)
		imported += importStreams * importStreamLen
	}
	b.ReportMetric(float64(imported)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkBaselineCopy1000 copies the same 1,000 rows per transaction
// into baseline_events with pgx's CopyFrom, hashes included.
func BenchmarkBaselineCopy1000(b *testing.B) {
	pool := baselinePool(b)
	cols := []string{"stream", "version", "id", "type", "schema_version", "data", "occurred_at",
		"recorded_at", "actor", "command_id", "correlation_id", "causation_id", "hash"}
	copied := 0
	for b.Loop() {
		var rows [][]any
		now := time.Now()
		for range importStreams {
			stream, prev := "customer-"+uuid.NewString(), []byte(nil)
			for v, ev := range events(importStreamLen) {
				h := sha256.Sum256(append(prev, ev.Data...))
				prev = h[:]
				m := ev.Metadata
				rows = append(rows, []any{stream, int64(v + 1), [16]byte(ev.ID), ev.Type, int32(ev.SchemaVersion), ev.Data,
					ev.OccurredAt, now, m.Actor, [16]byte(m.CommandID), [16]byte(m.CorrelationID), [16]byte(m.CausationID), prev})
			}
		}
		_, err := pool.CopyFrom(b.Context(), pgx.Identifier{"baseline_events"}, cols, pgx.CopyFromRows(rows))
		require.NoError(b, err)
		copied += len(rows)
	}
	b.ReportMetric(float64(copied)/b.Elapsed().Seconds(), "events/s")
}
