package postgres

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/eventstore"
)

// head is a stream's last version and hash, what the next event chains to.
type head struct {
	version uint64
	hash    []byte
}

// mismatch is a failed expected-version check of request req. It becomes
// the caller's *eventstore.ConflictError unless req turns out to be a
// replay.
type mismatch struct {
	req      int
	conflict *eventstore.ConflictError
}

func (m *mismatch) Error() string { return m.conflict.Error() }

// plan is one insert statement's rows and the results of the requests it
// serves. Until the insert returns, positions are ordinals within the
// statement (1, 2, …); the statement's base position turns them into
// global positions.
type plan struct {
	rows    rowArrays
	reqs    []int
	results []eventstore.AppendResult
}

// newPlan checks the expected versions of reqs[todo] against heads, seals
// their events in order and chains each to its predecessor. A request that
// repeats events planned by an earlier request of the same batch is a
// replay of those.
func newPlan(reqs []eventstore.AppendRequest, todo []int, heads map[string]head, now time.Time) (*plan, error) {
	p := &plan{}
	planned := map[uuid.UUID]eventstore.Record{}
	for _, i := range todo {
		r := reqs[i]
		res, replay, err := classify(r.Stream, r.Events, planned)
		if err != nil {
			return nil, err
		}
		if !replay {
			if res, err = p.seal(i, r, heads, planned, now); err != nil {
				return nil, err
			}
		}
		p.reqs, p.results = append(p.reqs, i), append(p.results, res)
	}
	return p, nil
}

func (p *plan) seal(i int, r eventstore.AppendRequest, heads map[string]head, planned map[uuid.UUID]eventstore.Record, now time.Time) (eventstore.AppendResult, error) {
	h := heads[r.Stream]
	if !r.Expected.Matches(h.version) {
		return eventstore.AppendResult{}, &mismatch{req: i, conflict: &eventstore.ConflictError{
			Stream: r.Stream, Expected: r.Expected, Actual: h.version}}
	}
	res := eventstore.AppendResult{FirstVersion: h.version + 1}
	for _, ev := range r.Events {
		rec := eventstore.Seal(h.hash, eventstore.Record{EventData: ev, Stream: r.Stream,
			Version: h.version + 1, Position: uint64(p.rows.len() + 1), RecordedAt: now})
		p.rows.add(rec)
		planned[ev.ID] = rec
		h = head{version: rec.Version, hash: rec.Hash}
	}
	heads[r.Stream] = h
	res.LastVersion, res.LastPosition = h.version, uint64(p.rows.len())
	return res, nil
}

// classify reports whether events are an exact repeat of stored ones: all
// stored, identically, in stream at consecutive versions. It fails with
// ErrDuplicateEventID when an id is stored otherwise.
func classify(stream string, events []eventstore.EventData, stored map[uuid.UUID]eventstore.Record) (eventstore.AppendResult, bool, error) {
	first, found := stored[events[0].ID]
	for i, ev := range events {
		rec, ok := stored[ev.ID]
		if ok != found || ok && (rec.Version != first.Version+uint64(i) || !eventstore.SameEvent(rec, stream, ev)) {
			return eventstore.AppendResult{}, false,
				fmt.Errorf("append to %s: event %s: %w", stream, ev.ID, eventstore.ErrDuplicateEventID)
		}
	}
	if !found {
		return eventstore.AppendResult{}, false, nil
	}
	last := stored[events[len(events)-1].ID]
	return eventstore.AppendResult{FirstVersion: first.Version, LastVersion: last.Version, LastPosition: last.Position}, true, nil
}

// rowArrays holds the events of one insert as column arrays, the
// parameters of the unnest in insertSQL.
type rowArrays struct {
	streams                      []string
	versions                     []int64
	ids, commands, corrs, causes [][16]byte
	types, actors                []string
	schemaVersions               []int32
	data, hashes                 [][]byte
	occurred                     []time.Time
	recorded                     time.Time
}

func (a *rowArrays) len() int { return len(a.streams) }

func (a *rowArrays) add(r eventstore.Record) {
	a.streams = append(a.streams, r.Stream)
	a.versions = append(a.versions, int64(r.Version))
	a.ids = append(a.ids, r.ID)
	a.types = append(a.types, r.Type)
	a.schemaVersions = append(a.schemaVersions, int32(r.SchemaVersion))
	a.data = append(a.data, r.Data)
	a.occurred = append(a.occurred, r.OccurredAt)
	a.recorded = r.RecordedAt
	a.actors = append(a.actors, r.Metadata.Actor)
	a.commands = append(a.commands, r.Metadata.CommandID)
	a.corrs = append(a.corrs, r.Metadata.CorrelationID)
	a.causes = append(a.causes, r.Metadata.CausationID)
	a.hashes = append(a.hashes, r.Hash)
}

func (a *rowArrays) args() []any {
	return []any{a.streams, a.versions, a.ids, a.types, a.schemaVersions, a.data, a.occurred,
		a.recorded, a.actors, a.commands, a.corrs, a.causes, a.hashes}
}

// insertSQL stores a plan's rows in one statement, and so in one
// transaction. Each row's position is the transaction's id shifted left by
// 16 bits plus the row's ordinal: positions of different transactions are
// ordered by transaction id, the order in which the feed's horizon
// releases them (see doc.go). It returns the base position, the ordinals'
// offset.
const insertSQL = `WITH ins AS (
	INSERT INTO {{s}}.events (position, stream, version, id, type, schema_version, data,
		occurred_at, recorded_at, actor, command_id, correlation_id, causation_id, hash)
	SELECT (pg_current_xact_id()::text::bigint << 16) + e.ord, e.stream, e.version, e.id, e.type,
		e.schema_version, e.data, e.occurred_at, $8, e.actor, e.command_id, e.correlation_id,
		e.causation_id, e.hash
	FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::bytea[],
		$7::timestamptz[], $9::text[], $10::uuid[], $11::uuid[], $12::uuid[], $13::bytea[])
		WITH ORDINALITY AS e(stream, version, id, type, schema_version, data, occurred_at, actor,
			command_id, correlation_id, causation_id, hash, ord)
	RETURNING position)
SELECT min(position) - 1 FROM ins`

// headsSQL reads the head of each stream in $1; a stream without events
// has version 0 and no hash.
const headsSQL = `SELECT h.stream, coalesce(e.version, 0), e.hash
FROM unnest($1::text[]) AS h(stream)
LEFT JOIN LATERAL (
	SELECT version, hash FROM {{s}}.events WHERE stream = h.stream ORDER BY version DESC LIMIT 1
) AS e ON true`

// lockSQL takes a transaction-scoped advisory lock on each stream in $1,
// in array order (a function scan keeps it), which callers sort so that
// two lockers cannot deadlock.
const lockSQL = `SELECT pg_advisory_xact_lock(hashtextextended('ledgerline stream ' || s, 0))
FROM unnest($1::text[]) AS l(s)`

// valuesMaxRows is the most rows inserted with INSERT … VALUES; more go
// through insertSQL's unnest. For a command's few events, VALUES with one
// parameter per field costs the server less than decoding thirteen
// arrays (BenchmarkAppendVersusBaseline16: about 0.84 of plain INSERT
// throughput with it, 0.75 without).
const valuesMaxRows = 4

// insertRows returns the statement and arguments that insert rows and
// return the base position.
func (q queries) insertRows(rows *rowArrays) (string, []any) {
	if n := rows.len(); n <= len(q.values) {
		return q.values[n-1], rows.flat()
	}
	return q.insert, rows.args()
}

// valuesSQLs returns the INSERT … VALUES statements for 1 to valuesMaxRows
// rows. Row i's position is the transaction id shifted left by 16 bits
// plus i, as in insertSQL; every row returns the base position.
func valuesSQLs(schema string) []string {
	out := make([]string, valuesMaxRows)
	rows := make([]string, 0, valuesMaxRows)
	for i := range out {
		rows = append(rows, valuesRow(i))
		out[i] = qualify(schema, `INSERT INTO {{s}}.events (position, stream, version, id, type, schema_version,
	data, occurred_at, recorded_at, actor, command_id, correlation_id, causation_id, hash)
VALUES `+strings.Join(rows, ", ")+` RETURNING position >> 16 << 16`)
	}
	return out
}

// valuesRow is row i (from 0) of a VALUES list: its position, then its 13
// fields in the order of rowArrays.flat.
func valuesRow(i int) string {
	params := make([]string, fieldsPerRow)
	for k := range params {
		params[k] = fmt.Sprintf("$%d", fieldsPerRow*i+k+1)
	}
	return fmt.Sprintf("((pg_current_xact_id()::text::bigint << 16) + %d, %s)", i+1, strings.Join(params, ", "))
}

// fieldsPerRow is how many parameters one VALUES row takes.
const fieldsPerRow = 13

// flat returns rows as the parameters of a VALUES statement, field by
// field, row by row.
func (a *rowArrays) flat() []any {
	args := make([]any, 0, fieldsPerRow*a.len())
	for i := range a.streams {
		args = append(args, a.streams[i], a.versions[i], a.ids[i], a.types[i], a.schemaVersions[i], a.data[i],
			a.occurred[i], a.recorded, a.actors[i], a.commands[i], a.corrs[i], a.causes[i], a.hashes[i])
	}
	return args
}
