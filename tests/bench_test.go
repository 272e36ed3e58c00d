package tests

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/cdnow"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/embedded"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	pgstore "github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

// BenchmarkImportCDNOWMaster imports the whole CDNOW master file into a
// fresh embedded store with the timeline projection running, and stops the
// clock when the timeline has applied the last event: the figure a user
// waits for. Compare with BenchmarkImportBaselineSQLiteInsert.
func BenchmarkImportCDNOWMaster(b *testing.B) {
	data, err := os.ReadFile(masterFile)
	require.NoError(b, err)
	b.StopTimer()
	events := 0
	for range b.N {
		store, models, rt := openEmbedded(b)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		b.StartTimer()
		go func() { done <- rt.Run(ctx) }()
		sum, err := cdnow.Import(ctx, store, catalogue.New(), bytes.NewReader(data), "master", cdnow.Options{})
		require.NoError(b, err)
		require.NoError(b, rt.WaitFor(ctx, sum.LastPosition))
		b.StopTimer()
		cancel()
		require.NoError(b, <-done)
		require.NoError(b, models.Close())
		require.NoError(b, store.Close())
		events += sum.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

func openEmbedded(b *testing.B) (*embedded.Store, *rmsqlite.Store, *projections.Runtime) {
	path := filepath.Join(b.TempDir(), "bench.db")
	store, err := embedded.Open(context.Background(), path, embedded.Config{})
	require.NoError(b, err)
	w, r := store.Pools()
	models, err := rmsqlite.Shared(context.Background(), w, r)
	require.NoError(b, err)
	rt, err := projections.New(projections.Config{Events: store, ReadModels: models, Catalogue: catalogue.New(),
		Projectors: []projections.Projector{timeline.New()}, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(b, err)
	require.NoError(b, rt.Migrate(context.Background()))
	return store, models, rt
}

// BenchmarkImportBaselineSQLiteInsert is the baseline: plain INSERTs of the
// same event rows (the records the import stores, prepared beforehand) into
// an equivalent table, 5,000 rows per transaction, with the same pragmas:
// no validation, no hashing, no projection.
func BenchmarkImportBaselineSQLiteInsert(b *testing.B) {
	recs := cdnowRecords(b)
	b.StopTimer()
	for range b.N {
		db := baselineDB(b)
		b.StartTimer()
		for i := 0; i < len(recs); i += cdnow.DefaultBatchLines {
			insertBaseline(b, db, recs[i:min(i+cdnow.DefaultBatchLines, len(recs))])
		}
		b.StopTimer()
		require.NoError(b, db.Close())
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func cdnowRecords(b *testing.B) []eventstore.Record {
	data, err := os.ReadFile(masterFile)
	require.NoError(b, err)
	mem := memory.New(nil)
	_, err = cdnow.Import(context.Background(), mem, catalogue.New(), bytes.NewReader(data), "master", cdnow.Options{})
	require.NoError(b, err)
	recs, err := mem.ReadAll(context.Background(), eventstore.ReadAllOptions{Limit: 1 << 20})
	require.NoError(b, err)
	return recs
}

func baselineDB(b *testing.B) *sql.DB {
	dsn, err := embedded.DSN(filepath.Join(b.TempDir(), "baseline.db"), embedded.DefaultBusyTimeout)
	require.NoError(b, err)
	db, err := sql.Open("sqlite", dsn)
	require.NoError(b, err)
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
		id BLOB NOT NULL UNIQUE, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data BLOB NOT NULL,
		occurred_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL, actor TEXT NOT NULL, command_id BLOB NOT NULL,
		correlation_id BLOB NOT NULL, causation_id BLOB NOT NULL, hash BLOB NOT NULL, UNIQUE (stream, version))`)
	require.NoError(b, err)
	return db
}

func insertBaseline(b *testing.B, db *sql.DB, recs []eventstore.Record) {
	tx, err := db.Begin()
	require.NoError(b, err)
	st, err := tx.Prepare(`INSERT INTO events (stream, version, id, type, schema_version, data, occurred_at, recorded_at,
		actor, command_id, correlation_id, causation_id, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`)
	require.NoError(b, err)
	for _, r := range recs {
		_, err := st.Exec(r.Stream, r.Version, r.ID[:], r.Type, r.SchemaVersion, r.Data, r.OccurredAt.UnixMicro(),
			r.RecordedAt.UnixMicro(), r.Metadata.Actor, r.Metadata.CommandID[:], r.Metadata.CorrelationID[:],
			r.Metadata.CausationID[:], r.Hash)
		require.NoError(b, err, fmt.Sprint(r.Position))
	}
	require.NoError(b, tx.Commit())
}

// BenchmarkImportCDNOWMasterPostgres imports the CDNOW master file into a
// fresh PostgreSQL event store (events only). Compare with
// BenchmarkImportBaselinePostgresCopy.
func BenchmarkImportCDNOWMasterPostgres(b *testing.B) {
	data, err := os.ReadFile(masterFile)
	require.NoError(b, err)
	b.StopTimer()
	events := 0
	for range b.N {
		store, err := pgstore.Open(context.Background(), pgtest.Database(b), pgstore.Config{})
		require.NoError(b, err)
		b.StartTimer()
		sum, err := cdnow.Import(context.Background(), store, catalogue.New(), bytes.NewReader(data), "master", cdnow.Options{})
		b.StopTimer()
		require.NoError(b, err)
		require.NoError(b, store.Close())
		events += sum.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkImportBaselinePostgresCopy is the baseline: a plain COPY of the
// same event rows into an equivalent table (same columns, same unique
// indexes), 5,000 rows per transaction.
func BenchmarkImportBaselinePostgresCopy(b *testing.B) {
	recs := cdnowRecords(b)
	b.StopTimer()
	for range b.N {
		conn, err := pgx.Connect(context.Background(), pgtest.Database(b))
		require.NoError(b, err)
		_, err = conn.Exec(context.Background(), `CREATE TABLE events (position bigint PRIMARY KEY, stream text NOT NULL,
			version bigint NOT NULL, id uuid NOT NULL UNIQUE, type text NOT NULL, schema_version int NOT NULL, data bytea NOT NULL,
			occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL, actor text NOT NULL, command_id uuid NOT NULL,
			correlation_id uuid NOT NULL, causation_id uuid NOT NULL, hash bytea NOT NULL, UNIQUE (stream, version))`)
		require.NoError(b, err)
		b.StartTimer()
		for i := 0; i < len(recs); i += cdnow.DefaultBatchLines {
			copyBaseline(b, conn, recs[i:min(i+cdnow.DefaultBatchLines, len(recs))])
		}
		b.StopTimer()
		require.NoError(b, conn.Close(context.Background()))
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func copyBaseline(b *testing.B, conn *pgx.Conn, recs []eventstore.Record) {
	rows := make([][]any, len(recs))
	for i, r := range recs {
		rows[i] = []any{int64(r.Position), r.Stream, int64(r.Version), r.ID, r.Type, r.SchemaVersion, r.Data, r.OccurredAt,
			r.RecordedAt, r.Metadata.Actor, r.Metadata.CommandID, r.Metadata.CorrelationID, r.Metadata.CausationID, r.Hash}
	}
	err := pgx.BeginFunc(context.Background(), conn, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(context.Background(), pgx.Identifier{"events"}, []string{"position", "stream", "version", "id",
			"type", "schema_version", "data", "occurred_at", "recorded_at", "actor", "command_id", "correlation_id",
			"causation_id", "hash"}, pgx.CopyFromRows(rows))
		return err
	})
	require.NoError(b, err)
}
