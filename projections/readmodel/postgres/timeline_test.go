package postgres_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/money"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	"github.com/ledgerline/ledgerline/projections/readmodel/readmodeltest"
	"github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

// TestTimelineOnPostgres projects the same few hundred customer events,
// made by the customer aggregate's commands, into PostgreSQL and into
// SQLite, then compares the tables row by row with the same SQL, compares
// the timeline package's own queries on both, and runs the example
// queries of docs/readmodels.md.
func TestTimelineOnPostgres(t *testing.T) {
	events := memory.New(nil)
	pop := populate(t, events)
	pg := open(t, pgtest.Database(t), postgres.Config{})
	lite, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "rm.db"))
	require.NoError(t, err)
	t.Cleanup(func() { lite.Close() })
	for _, models := range []readmodel.Store{pg, lite} {
		project(t, events, models, pop.last)
	}
	t.Run("TablesMatchSQLite", func(t *testing.T) {
		for _, tq := range tableQueries {
			want := dump(t, lite, tq.query, tq.columns)
			require.NotEmpty(t, want, tq.query)
			assert.Equal(t, want, dump(t, pg, tq.query, tq.columns), tq.query)
		}
	})
	t.Run("QueriesMatchSQLite", func(t *testing.T) { queriesMatch(t, pop, lite, pg) })
	t.Run("DocumentedQueriesRun", func(t *testing.T) {
		readmodeltest.DocumentedQueries(t, "../../../docs/readmodels.md", map[string]readmodel.Querier{"sql": pg, "sqlite": lite})
	})
}

// queriesMatch compares timeline.Query and timeline.FindCustomer on both
// stores.
func queriesMatch(t *testing.T, pop population, want, got readmodel.Querier) {
	for _, f := range pop.filters() {
		w, err := timeline.Query(t.Context(), want, f)
		require.NoError(t, err)
		require.NotEmpty(t, w, "filter %+v", f)
		g, err := timeline.Query(t.Context(), got, f)
		require.NoError(t, err)
		assert.Equal(t, w, g, "timeline.Query %+v", f)
	}
	for _, ref := range []string{pop.customers[7].String(), "00003"} {
		w, err := timeline.FindCustomer(t.Context(), want, ref)
		require.NoError(t, err)
		g, err := timeline.FindCustomer(t.Context(), got, ref)
		require.NoError(t, err)
		assert.Equal(t, w, g, "timeline.FindCustomer %s", ref)
	}
}

// tableQueries dump every table the runtime and the timeline keep, in an
// order both dialects agree on (positions, and UUIDs, whose text order is
// their byte order; never collated text).
var tableQueries = []struct {
	query   string
	columns int
}{
	{`SELECT position, event_id, stream, customer_id, version, type, channel, direction, summary, amount_minor, currency,
		actor, occurred_at, recorded_at FROM timeline ORDER BY position`, 14},
	{`SELECT customer_id, kind, display_name, source, source_id, sample_index, registered_at, events, last_event_at,
		forgotten FROM customers ORDER BY customer_id`, 10},
	{`SELECT projection, position FROM projection_checkpoints ORDER BY position`, 2},
}

// project runs the timeline over events into models until it has applied
// position last.
func project(t *testing.T, events eventstore.Store, models readmodel.Store, last uint64) {
	rt, err := projections.New(projections.Config{Events: events, ReadModels: models, Catalogue: catalogue.New(),
		Projectors: []projections.Projector{timeline.New()}, MaxBatch: 100})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	require.NoError(t, rt.WaitFor(ctx, last), "projecting into %s", models.Dialect())
	cancel()
	require.NoError(t, <-done)
}

// dump returns the rows of a query of n columns with each value as
// database/sql gives it, instants and booleans normalised to one form for
// both dialects.
func dump(t *testing.T, q readmodel.Querier, query string, n int) [][]any {
	t.Helper()
	rows, err := q.Query(t.Context(), query)
	require.NoError(t, err)
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals, ptrs := make([]any, n), make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		for i := range vals {
			vals[i] = normalise(vals[i])
		}
		out = append(out, vals)
	}
	require.NoError(t, rows.Err())
	return out
}

// normalise maps PostgreSQL's time.Time and bool to SQLite's forms: text
// in readmodel.TimeLayout and 0 or 1.
func normalise(v any) any {
	switch v := v.(type) {
	case time.Time:
		return readmodel.Timestamp(v)
	case bool:
		if v {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

// population is what populate appended.
type population struct {
	customers []uuid.UUID
	last      uint64
	base      time.Time
}

// filters are timeline queries that exercise every Filter field.
func (p population) filters() []timeline.Filter {
	return []timeline.Filter{
		{Customer: p.customers[0]},
		{Customer: p.customers[7]},
		{Customer: p.customers[4], Channels: []string{"chat", "phone"}},
		{Customer: p.customers[5], Types: []string{"customer.purchase_recorded", "customer.rating_given"}},
		{Customer: p.customers[6], AsOf: p.base.Add(43 * time.Hour)},
		{Customer: p.customers[8], KnownAt: time.Now().Add(time.Hour), Limit: 3},
	}
}

// populate registers 40 customers and gives them interactions,
// purchases, ratings, refunds and one erasure through commands.Execute,
// plus two events of a type this build does not know on a stream that is
// not a customer's.
func populate(t *testing.T, events eventstore.Store) population {
	p := population{base: time.Date(1997, 1, 1, 9, 0, 0, 0, time.UTC)}
	c := commander{t: t, h: commands.NewHandler(events, catalogue.New()), at: p.base}
	for i := range 40 {
		id := uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprintf("customer %d", i)))
		p.customers = append(p.customers, id)
		c.history(i, id)
	}
	c.run(customer.Forget{CustomerID: p.customers[7], Reason: "GDPR request"})
	res, err := events.Append(t.Context(), "partner-feed", eventstore.Any, []eventstore.EventData{
		{ID: uuid.New(), Type: "partner.ping", SchemaVersion: 1, Data: []byte(`{"channel":"web_form"}`), OccurredAt: p.base, Metadata: eventstore.Metadata{Actor: "system:feed"}},
		{ID: uuid.New(), Type: "partner.ping", SchemaVersion: 2, Data: []byte(`{"reason":"heartbeat"}`), OccurredAt: p.base, Metadata: eventstore.Metadata{Actor: "system:feed"}},
	})
	require.NoError(t, err)
	p.last = res.LastPosition
	require.Greater(t, p.last, uint64(250), "a few hundred events")
	return p
}

// commander executes customer commands an hour apart in business time.
type commander struct {
	t  *testing.T
	h  *commands.Handler
	at time.Time
}

func (c *commander) run(cmd domain.Command[*customer.State]) {
	c.t.Helper()
	c.at = c.at.Add(time.Hour)
	env := commands.Envelope{CommandID: uuid.New(), Actor: "user:test", At: c.at}
	_, err := commands.Execute(c.t.Context(), c.h, env, cmd, func() *customer.State { return &customer.State{} })
	require.NoError(c.t, err)
}

var (
	channels   = []channel.Channel{channel.Phone, channel.Email, channel.SMS, channel.Messenger, channel.Chat, channel.WebForm, channel.Social, channel.Meeting, channel.Fax, channel.Letter}
	currencies = []money.Currency{"EUR", "USD", "PLN"}
)

// history is customer i's life: a registration (with a profile for
// companies), three interactions, two purchases, and for some a rating
// and a refund.
func (c *commander) history(i int, id uuid.UUID) {
	c.run(register(i, id))
	for k := range 3 {
		dir, employee := channel.Inbound, ""
		if (i+k)%2 == 1 {
			dir, employee = channel.Outbound, "emp-7"
		}
		c.run(customer.LogInteraction{CustomerID: id, Channel: channels[(i+k)%len(channels)], Direction: dir,
			Topic: fmt.Sprintf("topic %d", k), Outcome: "resolved", Employee: employee})
	}
	cur := currencies[i%len(currencies)]
	for k := range 2 {
		lines := customer.SpreadLines("sku-"+fmt.Sprint(k), "CD", int64(1+k), int64(1999+i*7))
		c.run(customer.RecordPurchase{CustomerID: id, PurchaseID: fmt.Sprintf("p-%d", k), Currency: cur, Lines: lines,
			Total: int64(1999 + i*7), Channel: channels[i%len(channels)]})
	}
	if i%4 == 0 {
		c.run(customer.GiveRating{CustomerID: id, Stars: 1 + i%5, Subject: "delivery"})
	}
	if i%5 == 0 {
		c.run(customer.RefundPurchase{CustomerID: id, PurchaseID: "p-0", Amount: 100, Currency: cur, Reason: "scratched"})
	}
}

func register(i int, id uuid.UUID) customer.Register {
	r := customer.Register{CustomerID: id, Kind: customer.Person, Name: fmt.Sprintf("Customer %02d", i)}
	if i%2 == 1 {
		r.Kind, r.Profile = customer.Company, customer.Profile{Country: "DE", Industry: "retail"}
	}
	if i%3 == 0 {
		r.SourceSystem, r.SourceID = "cdnow", fmt.Sprintf("%05d", i)
	}
	if i%6 == 0 {
		r.SampleIndex = i + 1
	}
	return r
}
