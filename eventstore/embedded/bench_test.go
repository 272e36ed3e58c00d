package embedded_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/embedded"
)

// baselineTable has the events table's columns and indexes, without the
// store around it.
const baselineTable = `CREATE TABLE baseline (
	position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
	id BLOB NOT NULL UNIQUE, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
	data BLOB NOT NULL, occurred_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL,
	actor TEXT NOT NULL, command_id BLOB, correlation_id BLOB, causation_id BLOB,
	hash BLOB NOT NULL, UNIQUE (stream, version))`

const baselineInsert = `INSERT INTO baseline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// BenchmarkBaselineInsert measures plain INSERTs of event-shaped rows into
// an equivalent table through database/sql, on the same DSN, one
// transaction per batch: the ceiling that the store's appends are reported
// against.
func BenchmarkBaselineInsert(b *testing.B) {
	for _, batch := range []int{100, 1} {
		b.Run(fmt.Sprintf("events=%d", batch), func(b *testing.B) {
			db := baselineDB(b)
			stmt, err := db.Prepare(baselineInsert)
			require.NoError(b, err)
			row, data, hash := 0, benchPayload(), make([]byte, 32)
			_, _ = rand.Read(hash)
			for b.Loop() {
				tx, err := db.Begin()
				require.NoError(b, err)
				txStmt := tx.Stmt(stmt)
				for range batch {
					row++
					id, cmd := uuid.New(), uuid.New()
					_, err := txStmt.Exec(row, fmt.Sprintf("customer-%d", row/100), row%100+1, id[:],
						"test.noted", 1, data, int64(row), int64(row), "user:bench", cmd[:], cmd[:], nil, hash)
					require.NoError(b, err)
				}
				require.NoError(b, tx.Commit())
			}
			reportEvents(b, b.N*batch)
		})
	}
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

// benchPayload is a JSON payload of about 100 bytes, the size measured in
// the feasibility study.
func benchPayload() []byte {
	return []byte(`{"customer":"00001","amount_minor":2399,"currency":"USD","quantity":2,"channel":"web"}`)
}

func reportEvents(b *testing.B, n int) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// CDNOW import shape: 93,000 events of 23,570 customers, in batches of
// about 4,000 events, each customer's events in one request.
const (
	importEvents    = 93_000
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
	reportEvents(b, b.N*importEvents)
}

// importBatches spreads importEvents over importCustomers streams and cuts
// them into batches of whole customers.
func importBatches() [][]eventstore.AppendRequest {
	var batches [][]eventstore.AppendRequest
	var batch []eventstore.AppendRequest
	inBatch := 0
	occurred := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range importCustomers {
		n := importEvents / importCustomers
		if c < importEvents%importCustomers {
			n++
		}
		evs := make([]eventstore.EventData, n)
		for i := range evs {
			evs[i] = eventstore.EventData{ID: uuid.New(), Type: "customer.purchase_recorded", SchemaVersion: 1,
				Data: benchPayload(), OccurredAt: occurred, Metadata: eventstore.Metadata{Actor: "import:cdnow"}}
		}
		batch = append(batch, eventstore.AppendRequest{Stream: fmt.Sprintf("customer-%05d", c), Expected: eventstore.NoStream, Events: evs})
		if inBatch += n; inBatch >= importBatch {
			batches, batch, inBatch = append(batches, batch), nil, 0
		}
	}
	return append(batches, batch)
}

// BenchmarkAppend appends commands of n events, one stream per 100
// events, the shape of BenchmarkBaselineInsert.
func BenchmarkAppend(b *testing.B) {
	for _, n := range []int{100, 1} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			s, ctx, row := newStore(b), context.Background(), 0
			for b.Loop() {
				evs := benchEvents(n)
				_, err := s.Append(ctx, fmt.Sprintf("customer-%d", row/100), eventstore.Any, evs)
				require.NoError(b, err)
				row += n
			}
			reportEvents(b, b.N*n)
		})
	}
}

// BenchmarkReadAll pages through a log of 100,000 events.
func BenchmarkReadAll(b *testing.B) {
	const total, page = 100_000, 4096
	s, ctx := newStore(b), context.Background()
	for i := range total / 1000 {
		reqs := make([]eventstore.AppendRequest, 10)
		for j := range reqs {
			reqs[j] = eventstore.AppendRequest{Stream: fmt.Sprintf("customer-%d-%d", i, j), Events: benchEvents(100)}
		}
		_, err := s.AppendBatch(ctx, reqs)
		require.NoError(b, err)
	}
	b.ResetTimer()
	for b.Loop() {
		var after uint64
		for {
			recs, err := s.ReadAll(ctx, eventstore.ReadAllOptions{After: after, Limit: page})
			require.NoError(b, err)
			if len(recs) == 0 {
				break
			}
			after = recs[len(recs)-1].Position
		}
	}
	reportEvents(b, b.N*total)
}

func benchEvents(n int) []eventstore.EventData {
	evs := make([]eventstore.EventData, n)
	occurred := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range evs {
		evs[i] = eventstore.EventData{ID: uuid.New(), Type: "customer.purchase_recorded", SchemaVersion: 1,
			Data: benchPayload(), OccurredAt: occurred,
			Metadata: eventstore.Metadata{Actor: "user:bench", CommandID: uuid.New(), CorrelationID: uuid.New()}}
	}
	return evs
}

// BenchmarkBaselineScan reads event-shaped rows back through database/sql
// into plain variables, in pages of 4096: the ceiling for ReadAll.
func BenchmarkBaselineScan(b *testing.B) {
	const total, page = 100_000, 4096
	db := baselineDB(b)
	fillBaseline(b, db, total)
	stmt, err := db.Prepare(`SELECT * FROM baseline WHERE position > ? ORDER BY position LIMIT ?`)
	require.NoError(b, err)
	for b.Loop() {
		for after, n := int64(0), page; n == page; {
			rows, err := stmt.Query(after, page)
			require.NoError(b, err)
			for n = 0; rows.Next(); n++ {
				var stream, typ, actor string
				var version, schema, occurred, recorded int64
				var id, cmd, corr, cause uuid.UUID
				var data, hash []byte
				require.NoError(b, rows.Scan(&after, &stream, &version, &id, &typ, &schema, &data,
					&occurred, &recorded, &actor, &cmd, &corr, &cause, &hash))
			}
			require.NoError(b, rows.Close())
		}
	}
	reportEvents(b, b.N*total)
}

func fillBaseline(b *testing.B, db *sql.DB, total int) {
	b.Helper()
	tx, err := db.Begin()
	require.NoError(b, err)
	stmt, err := tx.Prepare(baselineInsert)
	require.NoError(b, err)
	data, hash := benchPayload(), make([]byte, 32)
	for row := 1; row <= total; row++ {
		id, cmd := uuid.New(), uuid.New()
		_, err := stmt.Exec(row, fmt.Sprintf("customer-%d", row/100), row%100+1, id[:],
			"test.noted", 1, data, int64(row), int64(row), "user:bench", cmd[:], cmd[:], nil, hash)
		require.NoError(b, err)
	}
	require.NoError(b, tx.Commit())
}
