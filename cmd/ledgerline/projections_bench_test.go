package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/eventstore"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore/embedded"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	pgstore "github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/ops"
	"github.com/ledgerline/ledgerline/projections/ops/opstest"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	rmpostgres "github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

// benchEvents is the size of the rebuild benchmarks' log:
// LEDGERLINE_BENCH_EVENTS, default one million.
func benchEvents(b *testing.B) int {
	n := 1_000_000
	if s := os.Getenv("LEDGERLINE_BENCH_EVENTS"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(b, err, "LEDGERLINE_BENCH_EVENTS")
	}
	return n
}

// BenchmarkRebuild rebuilds every read model the CLI keeps
// (backend.projectors: the core timeline, value and churn models) from a
// synthetic log of benchEvents customer events, appended outside the
// timer, all at once as `ledgerline projections rebuild --all` does (one
// read of the log feeds a build per projection). events/s is the log's
// size over the time to rebuild and swap them all. Each rebuild swaps its
// model into a store that has none yet.
//
// The baseline writes the resulting rows, and nothing else, in the same
// run: PostgreSQL COPY … FROM STDIN of each rebuilt table (dumped with
// COPY … TO STDOUT beforehand) into empty tables made by the projector's
// DDL; on the embedded backend, batched multi-row INSERTs (64 rows per
// prepared statement, one transaction per table) into a file with the
// live store's settings. x-baseline is the rebuild's time over the
// baseline's: how much dearer the rebuild is than merely writing its
// output. memory-log is the embedded rebuild with the log in memory: what
// reading the log from SQLite costs the embedded figure.
func BenchmarkRebuild(b *testing.B) {
	b.Run("embedded", func(b *testing.B) {
		benchRebuild(b, embeddedBench(b), sqliteBaseline)
	})
	b.Run("postgres", func(b *testing.B) {
		benchRebuild(b, postgresBench(b), copyBaseline)
	})
	b.Run("memory-log", func(b *testing.B) {
		benchRebuild(b, memoryLogBench(b), sqliteBaseline)
	})
}

// BenchmarkFoldInMemory folds the core projections (the rebuild's
// CPU-bound part) over a synthetic log of benchEvents events held in
// memory, outside the timer, as a rebuild does: every projector's fold in
// a goroutine of its own over the same shared batches of events, each
// payload decoded by the CLI's catalogue; the rows are counted, not
// written. events/s is the ceiling a rebuild reaches on this machine when
// neither reading the log nor writing rows costs anything.
func BenchmarkFoldInMemory(b *testing.B) {
	be := memoryLogBench(b)
	n := appendSynthetic(b, be)
	recs, err := be.events.ReadAll(context.Background(), eventstore.ReadAllOptions{Limit: n})
	require.NoError(b, err)
	batches := batchesOf(projections.Events(be.catalogue, recs), benchBatch(b))
	var rows atomic.Int64
	defer bulkGC()()
	runtime.GC() // the setup's garbage is not the folds'
	user0, sys0 := cpuTime()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for _, p := range benchProjectors(b, be) {
		f := p.(projections.Rebuilder).Fold()
		wg.Go(func() {
			for _, events := range batches {
				rs, refused := f.Add(events)
				require.Empty(b, refused)
				rows.Add(count(rs))
			}
			rows.Add(count(f.Finish()))
		})
	}
	wg.Wait()
	took := time.Since(start)
	user, sys := cpuTime()
	b.ReportMetric((user - user0).Seconds(), "user-s") // wall ≥ (user + sys) / cores
	b.ReportMetric((sys - sys0).Seconds(), "sys-s")
	b.StopTimer()
	b.ReportMetric(float64(n)/took.Seconds(), "events/s")
	b.ReportMetric(float64(rows.Load()), "rows")
}

// cpuTime returns the CPU time the process has used so far, in user
// space and in the kernel (page faults of a growing heap).
func cpuTime() (user, sys time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

func batchesOf(events []projections.Event, size int) [][]projections.Event {
	var out [][]projections.Event
	for len(events) > 0 {
		k := min(size, len(events))
		out, events = append(out, events[:k]), events[k:]
	}
	return out
}

func count(rs []projections.Rows) int64 {
	var n int64
	for _, r := range rs {
		n += int64(r.Len())
	}
	return n
}

// memoryLogBench keeps the log in memory and the read models in an
// embedded file: the embedded rebuild without the cost of reading the log
// from SQLite.
func memoryLogBench(b *testing.B) *backend {
	models, err := rmsqlite.Open(context.Background(), filepath.Join(b.TempDir(), "models.db"))
	require.NoError(b, err)
	be := &backend{events: memory.New(nil), models: models, catalogue: newCatalogue()}
	b.Cleanup(func() { require.NoError(b, be.Close()) })
	return be
}

// baseline writes the rows of tables plainly into empty tables made by
// the projectors' DDL, and returns how long the writes took and how many
// rows they were.
type baseline func(b *testing.B, be *backend, ps []projections.Projector, tables []string) (time.Duration, int64)

func benchRebuild(b *testing.B, be *backend, write baseline) {
	events := appendSynthetic(b, be)
	o, err := ops.New(ops.Config{Events: be.events, ReadModels: be.models, Catalogue: be.catalogue, Batch: benchBatch(b)})
	require.NoError(b, err)
	ps := benchProjectors(b, be)
	defer bulkGC()() // as `ledgerline projections rebuild` does
	runtime.GC()     // the setup's garbage is not the rebuild's
	b.ResetTimer()
	start := time.Now()
	reps, err := o.Rebuild(context.Background(), ps...)
	require.NoError(b, err)
	took := time.Since(start)
	b.StopTimer()
	var tables []string
	for _, rep := range reps {
		tables = append(tables, rep.Tables...)
		b.Logf("%s: %d events, built after %s, swapped in %s, tables %v", rep.Projection, rep.Events, rep.Build, rep.Swap, rep.Tables)
	}
	b.ReportMetric(float64(events)/took.Seconds(), "events/s")
	written, rows := write(b, be, ps, tables)
	b.ReportMetric(float64(rows)/written.Seconds(), "baseline-rows/s")
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(took.Seconds()/written.Seconds(), "x-baseline")
}

// benchBatch is the rebuild's batch: LEDGERLINE_BENCH_BATCH, by default
// the CLI's.
func benchBatch(b *testing.B) int {
	n := ops.DefaultBatch
	if s := os.Getenv("LEDGERLINE_BENCH_BATCH"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(b, err, "LEDGERLINE_BENCH_BATCH")
	}
	return n
}

// benchProjectors returns the projectors LEDGERLINE_BENCH_PROJECTIONS
// names (comma-separated), by default all of the backend's.
func benchProjectors(b *testing.B, be *backend) []projections.Projector {
	list := os.Getenv("LEDGERLINE_BENCH_PROJECTIONS")
	if list == "" {
		return be.projectors()
	}
	ps, err := pick(be, strings.Split(list, ","))
	require.NoError(b, err)
	return ps
}

// appendSynthetic fills the backend's log and returns its size.
func appendSynthetic(b *testing.B, be *backend) int {
	n := benchEvents(b)
	_, err := opstest.Append(context.Background(), be.events, be.catalogue, opstest.Config{Events: n, Seed: 1, Batch: 10000})
	require.NoError(b, err)
	return n
}

func embeddedBench(b *testing.B) *backend {
	events, err := embedded.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), embedded.Config{})
	require.NoError(b, err)
	write, read := events.Pools()
	models, err := rmsqlite.Shared(context.Background(), write, read)
	require.NoError(b, err)
	be := &backend{events: events, models: models, catalogue: newCatalogue()}
	b.Cleanup(func() { require.NoError(b, be.Close()) })
	return be
}

func postgresBench(b *testing.B) *backend {
	dsn := pgtest.Database(b)
	events, err := pgstore.Open(context.Background(), dsn, pgstore.Config{})
	require.NoError(b, err)
	models, err := rmpostgres.Open(context.Background(), dsn, rmpostgres.Config{})
	require.NoError(b, err)
	be := &backend{events: events, models: models, catalogue: newCatalogue(), location: dsn}
	b.Cleanup(func() { require.NoError(b, be.Close()) })
	return be
}

// copyBaseline dumps each rebuilt table with COPY TO, then times COPY FROM
// of the dumps into the projectors' tables made in a schema of their own.
func copyBaseline(b *testing.B, be *backend, ps []projections.Projector, tables []string) (time.Duration, int64) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, be.location)
	require.NoError(b, err)
	defer conn.Close(ctx)
	dumps := map[string]*bytes.Buffer{}
	for _, t := range tables {
		dumps[t] = &bytes.Buffer{}
		_, err := conn.PgConn().CopyTo(ctx, dumps[t], `COPY readmodels.`+t+` TO STDOUT`)
		require.NoError(b, err)
	}
	for _, st := range append([]string{`CREATE SCHEMA bench_baseline`, `SET search_path = bench_baseline`}, ddl(ps, readmodel.PostgreSQL)...) {
		_, err := conn.Exec(ctx, st)
		require.NoError(b, err)
	}
	var rows int64
	start := time.Now()
	for _, t := range tables {
		tag, err := conn.PgConn().CopyFrom(ctx, dumps[t], `COPY `+t+` FROM STDIN`)
		require.NoError(b, err)
		rows += tag.RowsAffected()
	}
	return time.Since(start), rows
}

func ddl(ps []projections.Projector, d readmodel.Dialect) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Schema(d)...)
	}
	return out
}

// sqliteBaseline reads each rebuilt table into memory, then times batched
// INSERTs of its rows into the projectors' tables in a fresh file opened
// as the live store is (WAL, synchronous=FULL).
func sqliteBaseline(b *testing.B, be *backend, ps []projections.Projector, tables []string) (time.Duration, int64) {
	ctx := context.Background()
	data := map[string][][]any{}
	for _, t := range tables {
		data[t] = readTable(b, be.models, t)
	}
	path := filepath.Join(b.TempDir(), "baseline.db")
	dsn, err := embedded.DSN(path, time.Second)
	require.NoError(b, err)
	db, err := sql.Open("sqlite", dsn)
	require.NoError(b, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, st := range ddl(ps, readmodel.SQLite) {
		_, err := db.ExecContext(ctx, st)
		require.NoError(b, err)
	}
	var rows int64
	start := time.Now()
	for _, t := range tables {
		insertBatched(b, db, t, data[t])
		rows += int64(len(data[t]))
	}
	return time.Since(start), rows
}

// readTable returns every row of table.
func readTable(b *testing.B, q readmodel.Querier, table string) [][]any {
	rows, err := q.Query(context.Background(), `SELECT * FROM `+table)
	require.NoError(b, err)
	defer rows.Close()
	cols := rows.(interface{ Columns() ([]string, error) })
	names, err := cols.Columns()
	require.NoError(b, err)
	var out [][]any
	for rows.Next() {
		row := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range row {
			ptrs[i] = &row[i]
		}
		require.NoError(b, rows.Scan(ptrs...))
		out = append(out, row)
	}
	require.NoError(b, rows.Err())
	return out
}

// insertBatched inserts rows into table with prepared INSERTs of 64 rows
// in one transaction.
func insertBatched(b *testing.B, db *sql.DB, table string, rows [][]any) {
	if len(rows) == 0 {
		return
	}
	const per = 64
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(b, err)
	defer tx.Rollback()
	stmts := map[int]*sql.Stmt{}
	args := make([]any, 0, per*len(rows[0]))
	for i := 0; i < len(rows); i += per {
		chunk := rows[i:min(i+per, len(rows))]
		st, ok := stmts[len(chunk)]
		if !ok {
			st, err = tx.PrepareContext(ctx, insertSQL(table, len(rows[0]), len(chunk)))
			require.NoError(b, err)
			stmts[len(chunk)] = st
		}
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		_, err := st.ExecContext(ctx, args...)
		require.NoError(b, err)
	}
	require.NoError(b, tx.Commit())
}

func insertSQL(table string, columns, rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", columns), ", ") + ")"
	return fmt.Sprintf("INSERT INTO %s VALUES %s", table, strings.TrimSuffix(strings.Repeat(row+", ", rows), ", "))
}
