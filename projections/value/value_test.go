package value_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/money"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	"github.com/ledgerline/ledgerline/projections/readmodel/readmodeltest"
	"github.com/ledgerline/ledgerline/projections/value"
	"github.com/ledgerline/ledgerline/projections/value/valuetest"
)

var day0 = time.Date(2025, 1, 6, 10, 0, 0, 0, time.UTC)

func at(days int) time.Time { return day0.AddDate(0, 0, days) }

// shop is a small population made through the customer commands.
type shop struct {
	events                                  eventstore.Store
	profitable, loss, noCost, twoCurrencies uuid.UUID
	forgotten, duplicate, late              uuid.UUID
	asOf                                    time.Time
	c                                       *valuetest.Commander
}

func id(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(name)) }

func costed(sku string, qty, price, cost int64) customer.Line {
	return customer.Line{SKU: sku, Quantity: qty, UnitPrice: price, UnitCost: &cost}
}

func openShop(t *testing.T) shop {
	s := shop{events: memory.New(nil), profitable: id("profitable"), loss: id("loss"), noCost: id("no cost"),
		twoCurrencies: id("two currencies"), forgotten: id("forgotten"), duplicate: id("duplicate"), late: id("late"),
		asOf: at(100)}
	c := valuetest.NewCommander(t, s.events)
	s.c = c
	for i, who := range []uuid.UUID{s.profitable, s.loss, s.noCost, s.twoCurrencies, s.forgotten, s.duplicate, s.late} {
		c.Run(at(0), customer.Register{CustomerID: who, Kind: customer.Person, Name: fmt.Sprintf("Customer %d", i),
			SourceSystem: "shop", SourceID: fmt.Sprintf("S%d", i)})
	}
	buy := func(who uuid.UUID, day int, pid string, cur money.Currency, lines ...customer.Line) {
		var total int64
		for _, l := range lines {
			total += l.Amount()
		}
		c.Run(at(day), customer.RecordPurchase{CustomerID: who, PurchaseID: pid, Currency: cur, Lines: lines, Total: total})
	}
	// profitable: 2000 at cost 1200; 5000 at cost 4000 with 10 % off and
	// 1000 refunded; the duplicate's 700 at cost 100 merged in.
	buy(s.profitable, 1, "p1", "USD", costed("cd", 2, 1000, 600))
	c.Run(at(2), customer.GrantDiscount{CustomerID: s.profitable, DiscountID: "d1",
		Terms: customer.Terms{PercentBP: 1000}, Reason: "loyal", GrantedBy: "emp-1"})
	c.Run(at(30), customer.RecordPurchase{CustomerID: s.profitable, PurchaseID: "p2", Currency: "USD",
		Lines: []customer.Line{costed("box", 1, 5000, 4000)}, Discount: 500, DiscountID: "d1", Total: 4500})
	c.Run(at(35), customer.RefundPurchase{CustomerID: s.profitable, PurchaseID: "p2", Amount: 1000, Currency: "USD"})
	buy(s.duplicate, 60, "p1", "USD", costed("cd", 1, 700, 100))
	c.Run(at(61), customer.Merge{CustomerID: s.duplicate, Into: s.profitable})
	c.Run(at(61), customer.AcceptMerge{CustomerID: s.profitable, From: s.duplicate})
	// loss: sold below cost.
	buy(s.loss, 10, "p1", "USD", costed("cd", 1, 1000, 1500))
	// noCost: one line without a cost.
	buy(s.noCost, 20, "p1", "USD", costed("cd", 1, 800, 100), customer.Line{SKU: "gift", Quantity: 1, UnitPrice: 200})
	buy(s.noCost, 20, "p2", "USD", costed("cd", 1, 800, 100))
	// twoCurrencies: one purchase in each.
	buy(s.twoCurrencies, 5, "p1", "USD", costed("cd", 3, 1000, 100))
	buy(s.twoCurrencies, 6, "p2", "EUR", costed("cd", 1, 990, 100))
	// forgotten: bought, then was erased.
	buy(s.forgotten, 3, "p1", "USD", costed("cd", 1, 99999, 1))
	c.Run(at(120), customer.Forget{CustomerID: s.forgotten, Reason: "GDPR request"})
	// late: bought only after the as-of.
	buy(s.late, 101, "p1", "USD", costed("cd", 1, 1000, 1))
	return s
}

func (s shop) project(t *testing.T, models readmodel.Store) {
	valuetest.Project(t, s.events, models, value.New())
}

func rowsByKey(res value.Result) map[string]value.Row {
	out := map[string]value.Row{}
	for _, r := range res.Rows {
		out[r.CustomerID.String()+"/"+r.Currency] = r
	}
	return out
}

func key(who uuid.UUID, cur string) string { return who.String() + "/" + cur }

func ptr[T any](v T) *T { return &v }

func TestEvaluateRevenueFigures(t *testing.T) {
	s := openShop(t)
	models := valuetest.SQLite(t)
	s.project(t, models)
	res, err := value.Evaluate(t.Context(), models, s.asOf, value.Options{})
	require.NoError(t, err)
	rows := rowsByKey(res)
	require.Len(t, rows, 5, "profitable (with its duplicate), loss, noCost, and two currencies of one customer")

	p := rows[key(s.profitable, "USD")]
	assert.Equal(t, "S0", p.SourceID)
	assert.Equal(t, int64(3), p.Orders)
	assert.Equal(t, int64(2000+5000+700), p.Gross)
	assert.Equal(t, int64(500), p.Discount)
	assert.Equal(t, int64(1000), p.Refunded)
	assert.Equal(t, int64(7700-500-1000), p.Net)
	assert.Equal(t, ptr(int64(1200+4000+100)), p.Cost)
	assert.Equal(t, ptr(int64(6200-5300)), p.Profit)
	assert.False(t, p.Unprofitable)
	assert.Equal(t, int64((2000+4500+700+1)/3), p.AOV, "mean order total, rounded")
	assert.Equal(t, at(1), p.FirstPurchase)
	assert.Equal(t, at(60), p.LastPurchase)
	assert.Equal(t, int64(40), p.RecencyDays)
	assert.Equal(t, 2.0, p.X)
	assert.InDelta(t, 59.0/7, p.TX, 1e-12)
	assert.InDelta(t, 99.0/7, p.T, 1e-12)
	assert.Equal(t, int64(1), p.Rank)

	l := rows[key(s.loss, "USD")]
	assert.Equal(t, ptr(int64(-500)), l.Profit)
	assert.True(t, l.Unprofitable)
	nc := rows[key(s.noCost, "USD")]
	assert.Nil(t, nc.Cost, "a line without cost makes the cost unknown")
	assert.Nil(t, nc.Profit)
	assert.False(t, nc.Unprofitable)
	assert.Equal(t, int64(1800), nc.Net)

	eur := rows[key(s.twoCurrencies, "EUR")]
	assert.Equal(t, int64(990), eur.Net)
	assert.Equal(t, int64(1), eur.Rank, "ranked within its currency")
	assert.Equal(t, 100.0, eur.Percentile)
	usd := rows[key(s.twoCurrencies, "USD")]
	assert.Equal(t, int64(3000), usd.Net)
	assert.Equal(t, int64(2), usd.Rank)
	assert.InDelta(t, 100*2/3.0, usd.Percentile, 1e-12)
	assert.Equal(t, int64(4), l.Rank)
	assert.Equal(t, 0.0, l.Percentile)

	for _, r := range res.Rows {
		assert.NotEqual(t, s.forgotten, r.CustomerID, "a forgotten customer is out")
		assert.NotEqual(t, s.duplicate, r.CustomerID, "a duplicate counts for its survivor")
		assert.NotEqual(t, s.late, r.CustomerID, "nothing after the as-of")
		assert.Equal(t, value.SegmentOf(r.R, r.F, r.M), r.Segment)
	}
	require.Len(t, res.Models, 2)
	assert.Equal(t, "EUR", res.Models[0].Currency)
	assert.Equal(t, 4, res.Models[1].Customers)

	last, ok, err := value.LastPurchase(t.Context(), models)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, at(101), last, "the late purchase, after the as-of")
}

func TestLastPurchaseOfNoPurchases(t *testing.T) {
	models := valuetest.SQLite(t)
	valuetest.Project(t, memory.New(nil), models, value.New())
	_, ok, err := value.LastPurchase(t.Context(), models)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestMaterializePurgesForgotten(t *testing.T) {
	s := openShop(t)
	models := valuetest.SQLite(t)
	s.project(t, models)
	_, err := value.Materialize(t.Context(), models, at(50), value.Options{})
	require.NoError(t, err)
	count := func() int {
		return len(dump(t, models, `SELECT as_of FROM customer_value WHERE customer_id = $1`, 1, s.loss.String()))
	}
	require.Equal(t, 1, count())
	s.c.Run(at(130), customer.Forget{CustomerID: s.loss, Reason: "GDPR request"})
	s.project(t, models)
	res, err := value.Materialize(t.Context(), models, s.asOf, value.Options{})
	require.NoError(t, err)
	assert.Zero(t, count(), "the earlier as_of lost the forgotten customer's row too")
	_, ok := rowsByKey(res)[key(s.loss, "USD")]
	assert.False(t, ok)
}

func TestEvaluateAsOfEarlier(t *testing.T) {
	s := openShop(t)
	models := valuetest.SQLite(t)
	s.project(t, models)
	res, err := value.Evaluate(t.Context(), models, at(32), value.Options{})
	require.NoError(t, err)
	p := rowsByKey(res)[key(s.profitable, "USD")]
	assert.Equal(t, int64(2), p.Orders)
	assert.Zero(t, p.Refunded, "the refund came later")
	assert.Equal(t, int64(6500), p.Net)
	f, ok := rowsByKey(res)[key(s.forgotten, "USD")]
	assert.False(t, ok, "forgotten customers are out whatever the as-of: %+v", f)
}

func TestProjectIsIdempotent(t *testing.T) {
	s := openShop(t)
	models := valuetest.SQLite(t)
	s.project(t, models)
	before := dumpFacts(t, models)
	recs, err := s.events.ReadAll(t.Context(), eventstore.ReadAllOptions{Limit: 10000})
	require.NoError(t, err)
	cp, err := models.Checkpoint(t.Context(), value.Name)
	require.NoError(t, err)
	err = models.Apply(t.Context(), value.Name, cp.Position, cp, func(ctx context.Context, tx readmodel.Tx) error {
		return value.New().Project(ctx, tx, projectionEvents(recs))
	})
	require.NoError(t, err)
	assert.Equal(t, before, dumpFacts(t, models), "replaying every event again changes nothing")
}

func TestMaterialize(t *testing.T) {
	s := openShop(t)
	models := valuetest.SQLite(t)
	s.project(t, models)
	checkMaterialize(t, s, models)
	readmodeltest.DocumentedQueries(t, "../../docs/readmodels.md", map[string]readmodel.Querier{"sqlite value": models})
}

func TestOnPostgres(t *testing.T) {
	s := openShop(t)
	pg, err := postgres.Open(t.Context(), pgtest.Database(t), postgres.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { pg.Close() })
	lite := valuetest.SQLite(t)
	s.project(t, pg)
	s.project(t, lite)
	assert.Equal(t, dumpFacts(t, lite), dumpFacts(t, pg))
	want, err := value.Evaluate(t.Context(), lite, s.asOf, value.Options{})
	require.NoError(t, err)
	got, err := value.Evaluate(t.Context(), pg, s.asOf, value.Options{})
	require.NoError(t, err)
	assert.Equal(t, want, got)
	checkMaterialize(t, s, pg)
	t.Run("DocumentedQueriesRun", func(t *testing.T) {
		readmodeltest.DocumentedQueries(t, "../../docs/readmodels.md", map[string]readmodel.Querier{"sql value": pg})
	})
}

// checkMaterialize stores two evaluations, one of them twice, and reads
// them back with SQL.
func checkMaterialize(t *testing.T, s shop, models readmodel.Store) {
	first, err := value.Materialize(t.Context(), models, s.asOf, value.Options{})
	require.NoError(t, err)
	again, err := value.Materialize(t.Context(), models, s.asOf, value.Options{})
	require.NoError(t, err)
	assert.Equal(t, first, again)
	_, err = value.Materialize(t.Context(), models, at(32), value.Options{})
	require.NoError(t, err)
	counts := map[string]int{}
	for _, row := range dump(t, models, `SELECT as_of, customer_id, net_minor FROM customer_value`, 3) {
		counts[fmt.Sprint(row[0])]++
	}
	assert.Len(t, counts, 2, "two as_of values: %v", counts)
	total := 0
	for _, n := range counts {
		total += n
	}
	assert.Equal(t, 2*len(first.Rows), total, "both as_of have the same 5 rows; the repeated one replaced its rows")
	head, err := eventstore.Head(t.Context(), s.events)
	require.NoError(t, err)
	m := dump(t, models, `SELECT currency, log_position, customers FROM value_models WHERE currency = 'USD' ORDER BY as_of`, 3)
	require.Len(t, m, 2)
	assert.Equal(t, []any{"USD", int64(head), int64(4)}, m[1])
	p := dump(t, models, `SELECT net_minor, profit_minor, segment, bgnbd_x FROM customer_value WHERE customer_id = $1 AND as_of = $2`, 4,
		s.profitable.String(), readmodel.Timestamp(s.asOf))
	require.Len(t, p, 1)
	assert.Equal(t, []any{int64(6200), int64(900), string(rowsByKey(first)[key(s.profitable, "USD")].Segment), 2.0}, p[0])
}
