package embedded_test

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/embedded"
)

// The baselines below time plain database/sql on a table with the events
// table's columns and indexes, on the store's DSN and with rows shaped
// like storetest.Bench's (one stream, ids counting up from a random
// prefix, a small JSON payload), so that the store's figures can be
// reported as ratios of them from the same run.

const baselineTable = `CREATE TABLE baseline (
	position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
	id BLOB NOT NULL UNIQUE, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
	data BLOB NOT NULL, occurred_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL,
	actor TEXT NOT NULL, command_id BLOB, correlation_id BLOB, causation_id BLOB,
	hash BLOB NOT NULL, UNIQUE (stream, version))`

const baselineInsert = `INSERT INTO baseline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

var benchPayload = []byte(`{"sku":"CD-1997-042","quantity":2,"price_minor":1299,"currency":"USD"}`)

// baselineRows inserts rows numbered from 1 through a prepared INSERT.
type baselineRows struct {
	prefix uuid.UUID
	hash   []byte
	row    int64
}

func newBaselineRows() *baselineRows {
	return &baselineRows{prefix: uuid.New(), hash: make([]byte, 32)}
}

func (g *baselineRows) insert(b *testing.B, stmt *sql.Stmt) {
	g.row++
	id := g.prefix
	binary.BigEndian.PutUint64(id[8:], uint64(g.row))
	_, err := stmt.Exec(g.row, "customer-bench", g.row, id[:], "purchase.recorded", 1, benchPayload,
		g.row, g.row, "import:bench", id[:], g.prefix[:], nil, g.hash)
	require.NoError(b, err)
}

// BenchmarkBaselineInsert inserts rows in one transaction per 100 rows
// and per row: the ceiling for storetest's AppendBatch100 and
// AppendSingle.
func BenchmarkBaselineInsert(b *testing.B) {
	for _, batch := range []int{100, 1} {
		b.Run(fmt.Sprintf("rows=%d", batch), func(b *testing.B) {
			db, rows := baselineDB(b), newBaselineRows()
			stmt, err := db.Prepare(baselineInsert)
			require.NoError(b, err)
			for b.Loop() {
				tx, err := db.Begin()
				require.NoError(b, err)
				txStmt := tx.Stmt(stmt)
				for range batch {
					rows.insert(b, txStmt)
				}
				require.NoError(b, tx.Commit())
			}
			reportEvents(b, b.N*batch)
		})
	}
}

// BenchmarkBaselineScan reads 100,000 rows back into plain variables in
// pages of 4096: the ceiling for BenchmarkReadAll.
func BenchmarkBaselineScan(b *testing.B) {
	const total, page = 100_000, 4096
	db, rows := baselineDB(b), newBaselineRows()
	tx, err := db.Begin()
	require.NoError(b, err)
	insert, err := tx.Prepare(baselineInsert)
	require.NoError(b, err)
	for range total {
		rows.insert(b, insert)
	}
	require.NoError(b, tx.Commit())
	stmt, err := db.Prepare(`SELECT * FROM baseline WHERE position > ? ORDER BY position LIMIT ?`)
	require.NoError(b, err)
	for b.Loop() {
		for after, n := int64(0), page; n == page; {
			n, after = scanBaseline(b, stmt, after, page)
		}
	}
	reportEvents(b, b.N*total)
}

// scanBaseline reads one page after position after and returns its size
// and last position.
func scanBaseline(b *testing.B, stmt *sql.Stmt, after int64, page int) (int, int64) {
	rows, err := stmt.Query(after, page)
	require.NoError(b, err)
	defer rows.Close()
	n := 0
	for ; rows.Next(); n++ {
		var stream, typ, actor string
		var version, schema, occurred, recorded int64
		var id, cmd, corr, cause uuid.UUID
		var data, hash []byte
		require.NoError(b, rows.Scan(&after, &stream, &version, &id, &typ, &schema, &data,
			&occurred, &recorded, &actor, &cmd, &corr, &cause, &hash))
	}
	require.NoError(b, rows.Err())
	return n, after
}

func baselineDB(b *testing.B) *sql.DB {
	b.Helper()
	dsn, err := embedded.DSN(filepath.Join(b.TempDir(), "baseline.db"), embedded.DefaultBusyTimeout)
	require.NoError(b, err)
	db, err := sql.Open("sqlite", dsn)
	require.NoError(b, err)
	b.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(1)
	_, err = db.Exec(baselineTable)
	require.NoError(b, err)
	return db
}

func reportEvents(b *testing.B, n int) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkReadAll pages through a log of 100,000 events of 1,000 streams
// with ReadAll, as Verify and a projection rebuild do.
func BenchmarkReadAll(b *testing.B) {
	const total, page = 100_000, 4096
	s, ctx := newStore(b), context.Background()
	for i := range total / 1000 {
		reqs := make([]eventstore.AppendRequest, 10)
		for j := range reqs {
			reqs[j] = eventstore.AppendRequest{Stream: fmt.Sprintf("customer-%d-%d", i, j), Events: importEvents(100)}
		}
		_, err := s.AppendBatch(ctx, reqs)
		require.NoError(b, err)
	}
	for b.Loop() {
		for after, n := uint64(0), page; n == page; {
			recs, err := s.ReadAll(ctx, eventstore.ReadAllOptions{After: after, Limit: page})
			require.NoError(b, err)
			if n = len(recs); n > 0 {
				after = recs[n-1].Position
			}
		}
	}
	reportEvents(b, b.N*total)
}

// CDNOW import shape: 93,000 events of 23,570 customers, in batches of
// about 4,000 events, each customer's events in one request.
const (
	importTotal     = 93_000
	importCustomers = 23_570
	importBatch     = 4_000
)

// BenchmarkAppendBatchImport imports the CDNOW-shaped history into a new
// file with AppendBatch; one op is the whole import.
func BenchmarkAppendBatchImport(b *testing.B) {
	batches := importBatches()
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, err := embedded.Open(ctx, filepath.Join(b.TempDir(), "import.db"), embedded.Config{})
		require.NoError(b, err)
		b.StartTimer()
		for _, reqs := range batches {
			_, err := s.AppendBatch(ctx, reqs)
			require.NoError(b, err)
		}
		b.StopTimer()
		require.NoError(b, s.Close())
		b.StartTimer()
	}
	reportEvents(b, b.N*importTotal)
}

// importBatches spreads importTotal events over importCustomers streams
// and cuts them into batches of whole customers.
func importBatches() [][]eventstore.AppendRequest {
	var batches [][]eventstore.AppendRequest
	var batch []eventstore.AppendRequest
	inBatch := 0
	for c := range importCustomers {
		n := importTotal / importCustomers
		if c < importTotal%importCustomers {
			n++
		}
		batch = append(batch, eventstore.AppendRequest{Stream: fmt.Sprintf("customer-%05d", c),
			Expected: eventstore.NoStream, Events: importEvents(n)})
		if inBatch += n; inBatch >= importBatch {
			batches, batch, inBatch = append(batches, batch), nil, 0
		}
	}
	return append(batches, batch)
}

// importEvents returns n purchase events with random ids, as an import
// deriving ids from its source rows would have.
func importEvents(n int) []eventstore.EventData {
	evs := make([]eventstore.EventData, n)
	for i := range evs {
		evs[i] = eventstore.EventData{ID: uuid.New(), Type: "purchase.recorded", SchemaVersion: 1,
			Data: benchPayload, OccurredAt: time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC),
			Metadata: eventstore.Metadata{Actor: "import:cdnow"}}
	}
	return evs
}
