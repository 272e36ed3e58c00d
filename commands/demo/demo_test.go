package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands"
	"github.com/ledgerline/ledgerline/commands/demo"
	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
)

// minimal is the smallest population the generator accepts: every event
// type must still appear.
var minimal = demo.Config{Seed: 42, Customers: demo.MinCustomers, Days: demo.MinDays}

func newStore() *memory.Store {
	return memory.New(func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) })
}

// generate runs cfg on a fresh in-memory store and returns the summary and
// the whole log.
func generate(t testing.TB, cfg demo.Config) (demo.Summary, []eventstore.Record) {
	t.Helper()
	store := newStore()
	sum, err := demo.Generate(t.Context(), commands.NewHandler(store, catalogue.New()), cfg)
	require.NoError(t, err)
	return sum, readAll(t, store)
}

func readAll(t testing.TB, store eventstore.Store) []eventstore.Record {
	t.Helper()
	recs, err := store.ReadAll(t.Context(), eventstore.ReadAllOptions{Limit: 1 << 30})
	require.NoError(t, err)
	return recs
}

func TestGenerateCoversTheCatalogue(t *testing.T) {
	for name, cfg := range map[string]demo.Config{
		"minimal":             minimal,
		"another start, seed": {Seed: 1 << 40, Customers: 12, Days: 150, Start: time.Date(2019, 6, 15, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(name, func(t *testing.T) {
			sum, recs := generate(t, cfg)
			assertCoverage(t, sum, recs)
		})
	}
}

func assertCoverage(t *testing.T, sum demo.Summary, recs []eventstore.Record) {
	t.Helper()
	stored := map[string]int{}
	for _, r := range recs {
		stored[r.Type]++
	}
	for _, typ := range catalogue.New().Types() {
		assert.Positive(t, stored[typ], "no %s in the log", typ)
	}
	assert.Equal(t, stored, sum.EventsByType, "summary counts by type")
	assert.Len(t, recs, sum.Events)
	assert.Len(t, commandIDs(recs), sum.Commands, "every command appends events")
	assert.Equal(t, stored["customer.registered"], sum.Customers)
	assert.Equal(t, stored["lead.captured"], sum.Leads)
	assert.Equal(t, stored["campaign.defined"], sum.Campaigns)
	assert.Zero(t, sum.Replayed)
}

// commandIDs returns the distinct command ids of recs.
func commandIDs(recs []eventstore.Record) map[uuid.UUID]bool {
	ids := map[uuid.UUID]bool{}
	for _, r := range recs {
		ids[r.Metadata.CommandID] = true
	}
	return ids
}

func TestGenerateIsDeterministic(t *testing.T) {
	_, first := generate(t, minimal)
	_, again := generate(t, minimal)
	require.Equal(t, len(first), len(again))
	for i := range first {
		a, b := first[i], again[i]
		require.Equal(t, a.Type, b.Type, "type of record %d", i)
		require.Equal(t, a.Stream, b.Stream, "stream of record %d", i)
		require.Equal(t, string(a.Data), string(b.Data), "data of record %d", i)
		require.True(t, a.OccurredAt.Equal(b.OccurredAt), "occurred_at of record %d", i)
		require.Equal(t, a.ID, b.ID, "id of record %d", i)
		require.Equal(t, a.Metadata, b.Metadata, "metadata of record %d", i)
	}

	other := minimal
	other.Seed++
	_, differ := generate(t, other)
	assert.NotEqual(t, payloads(first), payloads(differ))
}

func payloads(recs []eventstore.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Stream + " " + r.Type + " " + string(r.Data)
	}
	return out
}

func TestGenerateKeepsTheStoreVerifiable(t *testing.T) {
	store := newStore()
	h := commands.NewHandler(store, catalogue.New())
	sum, err := demo.Generate(t.Context(), h, minimal)
	require.NoError(t, err)

	rep, err := eventstore.Verify(t.Context(), store, nil)
	require.NoError(t, err)
	assert.Equal(t, sum.Events, rep.Events)

	head, err := eventstore.Head(t.Context(), store)
	require.NoError(t, err)
	again, err := demo.Generate(t.Context(), h, minimal)
	require.NoError(t, err, "a second run with the same config replays")
	assert.Equal(t, again.Commands, again.Replayed)
	assert.Equal(t, sum.EventsByType, again.EventsByType)
	after, err := eventstore.Head(t.Context(), store)
	require.NoError(t, err)
	assert.Equal(t, head, after, "a second run appends nothing")
}

func TestGenerateTimes(t *testing.T) {
	sum, recs := generate(t, minimal)
	assert.Equal(t, demo.DefaultStart.AddDate(0, 0, demo.MinDays), sum.End)
	last := map[string]time.Time{}
	for _, r := range recs {
		assert.False(t, r.OccurredAt.Before(sum.Start), "%s at %s before the start", r.Type, r.OccurredAt)
		assert.True(t, r.OccurredAt.Before(sum.End), "%s at %s after the end", r.Type, r.OccurredAt)
		assert.False(t, r.OccurredAt.Before(last[r.Stream]), "%s v%d at %s: before its predecessor", r.Stream, r.Version, r.OccurredAt)
		last[r.Stream] = r.OccurredAt
	}
}

func TestGenerateRegistersDemoCustomers(t *testing.T) {
	sum, recs := generate(t, minimal)
	cat := catalogue.New()
	var sources []string
	for _, r := range recs {
		if r.Type != "customer.registered" {
			continue
		}
		e, err := cat.Decode(r.Type, r.SchemaVersion, r.Data)
		require.NoError(t, err)
		reg := e.(customer.Registered)
		assert.Equal(t, demo.SourceSystem, reg.SourceSystem)
		assert.Equal(t, customer.Stream(reg.CustomerID), r.Stream)
		sources = append(sources, reg.SourceID)
	}
	assert.Subset(t, sources, []string{"D0001", "D0002", "D0010", "D0011"}, "the configured customers and the extras after them")

	require.Len(t, sum.Showcase, demo.MinCustomers)
	first := sum.Showcase[0]
	assert.Equal(t, "D0001", first.SourceID)
	assert.Equal(t, minimal.CustomerID(1), first.CustomerID)
	assert.Equal(t, demo.Loyal, first.Persona)
	for _, s := range sum.Showcase {
		assert.NotEmpty(t, s.Role)
		assert.True(t, !s.Moment.Before(sum.Start) && s.Moment.Before(sum.End), "%s: moment %s", s.SourceID, s.Moment)
	}
}

func TestGenerateReportsProgress(t *testing.T) {
	var calls [][2]int
	cfg := minimal
	cfg.Progress = func(done, total int) { calls = append(calls, [2]int{done, total}) }
	generate(t, cfg)
	require.NotEmpty(t, calls)
	assert.Equal(t, [2]int{demo.MinDays, demo.MinDays}, calls[len(calls)-1])
	for i := 1; i < len(calls); i++ {
		assert.Greater(t, calls[i][0], calls[i-1][0], "progress moves forward")
	}
}

func TestGenerateFailsOnARefusedCommand(t *testing.T) {
	store := newStore()
	h := commands.NewHandler(store, catalogue.New())
	taken := customer.Register{CustomerID: minimal.CustomerID(1), Kind: customer.Person, Name: "Someone Else"}
	_, err := commands.Execute(t.Context(), h, commands.Envelope{CommandID: uuid.New(), Actor: "test", At: minimal.Start.Add(time.Hour)},
		taken, func() *customer.State { return &customer.State{} })
	require.NoError(t, err)

	_, err = demo.Generate(t.Context(), h, minimal)
	require.ErrorIs(t, err, domain.ErrAlreadyExists)
	require.ErrorIs(t, err, demo.ErrOtherPopulation)
	assert.ErrorContains(t, err, "customer D0001")
}

func TestGenerateStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cfg := minimal
	cfg.Progress = func(done, _ int) {
		if done > 10 {
			cancel()
		}
	}
	sum, err := demo.Generate(ctx, commands.NewHandler(newStore(), catalogue.New()), cfg)
	require.ErrorIs(t, err, context.Canceled)
	assert.Positive(t, sum.Commands)
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    demo.Config
		fields []string
	}{
		{name: "zero means defaults", cfg: demo.Config{}},
		{name: "minimal", cfg: minimal},
		{name: "too few customers", cfg: demo.Config{Customers: demo.MinCustomers - 1}, fields: []string{"customers"}},
		{name: "negative customers", cfg: demo.Config{Customers: -5}, fields: []string{"customers"}},
		{name: "too short", cfg: demo.Config{Days: 30}, fields: []string{"days"}},
		{name: "start out of range", cfg: demo.Config{Start: time.Date(1066, 10, 14, 0, 0, 0, 0, time.UTC)}, fields: []string{"start"}},
		{name: "every problem", cfg: demo.Config{Customers: 3, Days: -1, Start: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
			fields: []string{"customers", "days", "start"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.fields == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, domain.ErrInvalid)
			for _, f := range tc.fields {
				assert.ErrorContains(t, err, `field "`+f+`"`)
			}
		})
	}
}

func TestGenerateRefusesAnInvalidConfig(t *testing.T) {
	store := newStore()
	_, err := demo.Generate(t.Context(), commands.NewHandler(store, catalogue.New()), demo.Config{Customers: 2})
	require.ErrorIs(t, err, domain.ErrInvalid)
	head, err := eventstore.Head(t.Context(), store)
	require.NoError(t, err)
	assert.Zero(t, head)
}

func TestGeneratePersonasBehave(t *testing.T) {
	sum, recs := generate(t, demo.Config{Seed: 3, Customers: 20})
	assertCoverage(t, sum, recs)
	books := ledgers(t, recs)
	lastMonth := sum.End.AddDate(0, -1, 0)
	for _, s := range sum.Showcase {
		b := books[s.CustomerID]
		switch s.SourceID {
		case "D0001":
			assert.True(t, b.lastPurchase.After(lastMonth), "the loyal key account still buys in the last month")
			assert.Greater(t, b.revenue, b.cost, "the loyal key account is profitable")
		case "D0003":
			require.False(t, b.departed.IsZero(), "the churned customer declares departure")
			assert.True(t, b.lastPurchase.Before(b.departed), "and buys nothing after")
		case "D0004":
			assert.Less(t, b.revenue, b.cost, "the unprofitable customer costs more than it pays")
			assert.Positive(t, b.refunded)
		}
	}
}

// ledger is what a customer's log says about its value.
type ledger struct {
	revenue, cost, refunded int64
	lastPurchase, departed  time.Time
}

func ledgers(t *testing.T, recs []eventstore.Record) map[uuid.UUID]*ledger {
	t.Helper()
	cat := catalogue.New()
	out := map[uuid.UUID]*ledger{}
	for _, r := range recs {
		id, err := customer.ParseStream(r.Stream)
		if err != nil {
			continue
		}
		if out[id] == nil {
			out[id] = &ledger{}
		}
		e, err := cat.Decode(r.Type, r.SchemaVersion, r.Data)
		require.NoError(t, err)
		out[id].add(e, r.OccurredAt)
	}
	return out
}

func (l *ledger) add(e domain.Event, at time.Time) {
	switch e := e.(type) {
	case customer.PurchaseRecorded:
		cost, _ := e.Cost()
		l.revenue, l.cost, l.lastPurchase = l.revenue+e.Total, l.cost+cost, at
	case customer.PurchaseRefunded:
		l.revenue, l.refunded = l.revenue-e.Amount, l.refunded+e.Amount
	case customer.DepartureDeclared:
		l.departed = at
	}
}

func TestGenerateDefaultPopulation(t *testing.T) {
	sum, recs := generate(t, demo.Config{Seed: 2024})
	assertCoverage(t, sum, recs)
	assert.Greater(t, sum.Customers, demo.DefaultCustomers, "leads converted add customers")
	assert.Equal(t, demo.DefaultStart, sum.Start)
	for _, p := range demo.Personas() {
		assert.Greater(t, sum.Personas[p], demo.DefaultCustomers/20, "customers of persona %s", p)
	}
}
