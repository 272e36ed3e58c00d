package churn_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
	"github.com/ledgerline/ledgerline/projections/churn"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	"github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	"github.com/ledgerline/ledgerline/projections/readmodel/readmodeltest"
	"github.com/ledgerline/ledgerline/projections/timeline"
	"github.com/ledgerline/ledgerline/projections/value"
	"github.com/ledgerline/ledgerline/projections/value/valuetest"
)

var day0 = time.Date(2025, 1, 6, 10, 0, 0, 0, time.UTC)

func at(days int) time.Time { return day0.AddDate(0, 0, days) }

func id(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(name)) }

// town is a population made through the customer commands, with one
// customer per reason and the events each reason must name.
type town struct {
	events eventstore.Store
	c      *valuetest.Commander
	asOf   time.Time
	// want maps a customer to the reasons that must fire for it and
	// their event ids; a customer mapped to nothing must score 0.
	want map[uuid.UUID]map[churn.Code][]uuid.UUID
	// forgotten must have no signal.
	forgotten uuid.UUID
}

func (w *town) register(name string) uuid.UUID {
	who := id(name)
	w.c.Run(at(0), customer.Register{CustomerID: who, Kind: customer.Person, Name: name, SourceSystem: "town", SourceID: name})
	return who
}

func (w *town) buy(who uuid.UUID, day int, amount int64) uuid.UUID {
	pid := fmt.Sprintf("p-%d-%d", day, amount)
	return w.c.One(at(day), customer.RecordPurchase{CustomerID: who, PurchaseID: pid, Currency: "EUR",
		Lines: []customer.Line{{SKU: "sku", Quantity: 1, UnitPrice: amount}}, Total: amount})
}

// buyEvery buys amount every gap days from first to last, returning the
// event ids.
func (w *town) buyEvery(who uuid.UUID, first, last, gap int, amount int64) []uuid.UUID {
	var ids []uuid.UUID
	for d := first; d <= last; d += gap {
		ids = append(ids, w.buy(who, d, amount))
	}
	return ids
}

func (w *town) expect(who uuid.UUID, code churn.Code, ids ...uuid.UUID) {
	if w.want[who] == nil {
		w.want[who] = map[churn.Code][]uuid.UUID{}
	}
	if code != "" {
		w.want[who][code] = ids
	}
}

func newTown(t *testing.T) *town {
	w := &town{events: memory.New(nil), asOf: at(400), want: map[uuid.UUID]map[churn.Code][]uuid.UUID{}}
	w.c = valuetest.NewCommander(t, w.events)
	w.fillers()
	w.healthy()
	w.purchaseRhythms()
	w.voices()
	w.accounts()
	return w
}

// fillers are customers with ordinary histories, for the population fit.
func (w *town) fillers() {
	for i := range 40 {
		who := w.register(fmt.Sprintf("filler-%02d", i))
		if i%4 == 0 {
			w.buy(who, 300+i, 1500)
			continue
		}
		w.buyEvery(who, i, i+(10+i)*(1+i%5), 10+i, int64(1000+100*i))
	}
}

func (w *town) healthy() {
	c := w.c
	who := w.register("healthy")
	w.expect(who, "")
	w.buyEvery(who, 0, 390, 15, 2500)
	scope := consent.Scope{Purpose: consent.Marketing, Channel: channel.Email}
	c.Run(at(1), customer.GiveConsent{CustomerID: who, Scope: scope})
	c.Run(at(5), customer.GrantDiscount{CustomerID: who, DiscountID: "d1", Terms: customer.Terms{PercentBP: 500},
		Reason: "loyal", GrantedBy: "emp-1"})
	c.Run(at(380), customer.GiveRating{CustomerID: who, Stars: 5})
	nine := 9
	c.Run(at(385), customer.AnswerSurvey{CustomerID: who, SurveyID: "s1", NPS: &nine})
	c.Run(at(350), customer.IssueInvoice{CustomerID: who, InvoiceID: "i1", Amount: 5000, Currency: "EUR",
		DueDate: date.Of(at(380))})
	c.Run(at(370), customer.ReceivePayment{CustomerID: who, InvoiceID: "i1", Amount: 5000, Currency: "EUR"})
	// a departure long ago, taken back
	c.Run(at(100), customer.DeclareDeparture{CustomerID: who, Reason: "moving"})
	c.Run(at(120), customer.Reactivate{CustomerID: who, Reason: "stayed"})
}

func (w *town) purchaseRhythms() {
	silent := w.register("silent")
	ids := w.buyEvery(silent, 0, 100, 10, 3000)
	w.expect(silent, churn.Silence, ids[len(ids)-1])
	w.expect(silent, churn.LowPAlive, ids[0], ids[len(ids)-1])

	once := w.register("once")
	w.expect(once, churn.OneTimeSilence, w.buy(once, 10, 4000))

	falling := w.register("falling")
	var last []uuid.UUID
	for i, amount := range []int64{10000, 9000, 11000, 2000, 2500} {
		last = append(last, w.buy(falling, 320+15*i, amount))
	}
	w.expect(falling, churn.FallingSpend, last[3:]...)
}

func (w *town) voices() {
	c := w.c
	unhappy := w.register("unhappy")
	w.buyEvery(unhappy, 300, 390, 15, 2000)
	c.Run(at(10), customer.FileComplaint{CustomerID: unhappy, ComplaintID: "old", Channel: channel.Phone, Topic: "late"})
	complaint := c.One(at(390), customer.FileComplaint{CustomerID: unhappy, ComplaintID: "c1", Channel: channel.Email, Topic: "broken"})
	one := c.One(at(391), customer.GiveRating{CustomerID: unhappy, Stars: 1})
	c.Run(at(391), customer.GiveRating{CustomerID: unhappy, Stars: 3})
	two := c.One(at(392), customer.GiveRating{CustomerID: unhappy, Stars: 2})
	three := 3
	nps := c.One(at(393), customer.AnswerSurvey{CustomerID: unhappy, SurveyID: "s1", NPS: &three})
	w.expect(unhappy, churn.Complaints, complaint)
	w.expect(unhappy, churn.LowRatings, one, two)
	w.expect(unhappy, churn.NPSDetractor, nps)

	w.forgotten = w.register("forgotten")
	c.Run(at(390), customer.FileComplaint{CustomerID: w.forgotten, ComplaintID: "c1", Channel: channel.Email, Topic: "privacy"})
	c.Run(at(395), customer.Forget{CustomerID: w.forgotten, Reason: "GDPR request"})
}

func (w *town) accounts() {
	c := w.c
	debtor := w.register("debtor")
	w.buyEvery(debtor, 300, 390, 15, 2000)
	inv := c.One(at(300), customer.IssueInvoice{CustomerID: debtor, InvoiceID: "A", Amount: 10000, Currency: "EUR", DueDate: date.Of(at(330))})
	part := c.One(at(320), customer.ReceivePayment{CustomerID: debtor, InvoiceID: "A", Amount: 4000, Currency: "EUR"})
	c.Run(at(390), customer.IssueInvoice{CustomerID: debtor, InvoiceID: "B", Amount: 10000, Currency: "EUR", DueDate: date.Of(at(420))})
	c.Run(at(300), customer.IssueInvoice{CustomerID: debtor, InvoiceID: "C", Amount: 700, Currency: "EUR", DueDate: date.Of(at(350))})
	c.Run(at(340), customer.ReceivePayment{CustomerID: debtor, InvoiceID: "C", Amount: 700, Currency: "EUR"})
	w.expect(debtor, churn.OverdueInvoices, inv, part)

	withdrawer := w.register("withdrawer")
	w.buyEvery(withdrawer, 300, 390, 15, 2000)
	marketing := consent.Scope{Purpose: consent.Marketing, Channel: channel.Email}
	news := consent.Scope{Purpose: consent.Newsletter, Channel: channel.SMS}
	c.Run(at(1), customer.GiveConsent{CustomerID: withdrawer, Scope: marketing})
	c.Run(at(1), customer.GiveConsent{CustomerID: withdrawer, Scope: news})
	c.Run(at(100), customer.WithdrawConsent{CustomerID: withdrawer, Scope: news})
	c.Run(at(150), customer.GiveConsent{CustomerID: withdrawer, Scope: news})
	w.expect(withdrawer, churn.ConsentWithdrawn, c.One(at(200), customer.WithdrawConsent{CustomerID: withdrawer, Scope: marketing}))

	revoked := w.register("revoked")
	w.buyEvery(revoked, 300, 390, 15, 2000)
	for i, d := range []int{1, 10} {
		c.Run(at(d), customer.GrantDiscount{CustomerID: revoked, DiscountID: fmt.Sprint("d", i), Terms: customer.Terms{PercentBP: 500},
			Reason: "welcome", GrantedBy: "emp-1"})
	}
	c.Run(at(5), customer.RevokeDiscount{CustomerID: revoked, DiscountID: "d0", Reason: "ended", RevokedBy: "emp-2"})
	w.expect(revoked, churn.DiscountRevoked, c.One(at(350), customer.RevokeDiscount{CustomerID: revoked, DiscountID: "d1",
		Reason: "abuse", RevokedBy: "emp-2"}))

	leaver := w.register("leaver")
	w.buyEvery(leaver, 300, 390, 15, 2000)
	w.expect(leaver, churn.DepartureDeclared, c.One(at(380), customer.DeclareDeparture{CustomerID: leaver, Reason: "too expensive"}))
}

func (w *town) project(t *testing.T, models readmodel.Store) {
	valuetest.Project(t, w.events, models, value.New(), churn.New(), timeline.New())
}

func signalsByCustomer(res churn.Result) map[uuid.UUID]churn.Signal {
	out := map[uuid.UUID]churn.Signal{}
	for _, s := range res.Signals {
		out[s.CustomerID] = s
	}
	return out
}

func TestReasons(t *testing.T) {
	w := newTown(t)
	models := valuetest.SQLite(t)
	w.project(t, models)
	res, err := churn.Evaluate(t.Context(), models, w.asOf, churn.Options{})
	require.NoError(t, err)
	w.check(t, res)
	t.Run("the same as-of gives the same rows", func(t *testing.T) {
		again, err := churn.Evaluate(t.Context(), models, w.asOf, churn.Options{})
		require.NoError(t, err)
		assert.Equal(t, res, again)
	})
	t.Run("materialized", func(t *testing.T) { w.checkMaterialized(t, models) })
	t.Run("DocumentedQueriesRun", func(t *testing.T) {
		readmodeltest.DocumentedQueries(t, "../../docs/readmodels.md", map[string]readmodel.Querier{"sqlite churn": models})
	})
}

func (w *town) check(t *testing.T, res churn.Result) {
	t.Helper()
	by := signalsByCustomer(res)
	assert.Len(t, res.Signals, 40+len(w.want), "every registered customer but the forgotten one")
	_, ok := by[w.forgotten]
	assert.False(t, ok, "a forgotten customer has no signal")
	for who, want := range w.want {
		s, ok := by[who]
		require.True(t, ok, "no signal for %s", who)
		got := map[churn.Code][]uuid.UUID{}
		for _, r := range s.Reasons {
			got[r.Code] = r.EventIDs
			assert.NotEmpty(t, r.Detail)
			assert.Greater(t, r.Weight, 0.0)
		}
		for code, ids := range want {
			assert.Equal(t, ids, got[code], "%s: %s", s.SourceID, code)
		}
		if len(want) == 0 {
			assert.Empty(t, s.Reasons, "%s", s.SourceID)
			assert.Zero(t, s.Score, s.SourceID)
			continue
		}
		assert.Positive(t, s.Score, s.SourceID)
		assert.Equal(t, s.Reasons[0].Code, s.TopReason)
	}
	once := by[id("once")]
	for _, r := range once.Reasons {
		assert.NotEqual(t, churn.LowPAlive, r.Code, "P(alive) = 1 of a one-time buyer is not read at all")
	}
}

func (w *town) checkMaterialized(t *testing.T, models readmodel.Store) {
	_, err := churn.Materialize(t.Context(), models, w.asOf, churn.Options{})
	require.NoError(t, err)
	res, err := churn.Materialize(t.Context(), models, w.asOf, churn.Options{})
	require.NoError(t, err)
	debtor := id("debtor")
	rows, err := models.Query(t.Context(), `SELECT s.score, s.top_reason, r.event_ids FROM churn_signals s
		JOIN churn_reasons r ON r.as_of = s.as_of AND r.customer_id = s.customer_id
		WHERE s.customer_id = $1 AND r.code = 'overdue_invoices'`, debtor.String())
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "one row for the debtor's overdue invoices, though materialized twice")
	var score int
	var top string
	var ids any
	require.NoError(t, rows.Scan(&score, &top, &ids))
	assert.False(t, rows.Next())
	assert.Equal(t, signalsByCustomer(res)[debtor].Score, score)
	var got []uuid.UUID
	require.NoError(t, json.Unmarshal(jsonBytes(t, ids), &got))
	assert.Equal(t, w.want[debtor][churn.OverdueInvoices], got)
}

// jsonBytes returns a JSON column as bytes: text from SQLite, bytes or a
// decoded value from PostgreSQL.
func jsonBytes(t *testing.T, v any) []byte {
	switch v := v.(type) {
	case string:
		return []byte(v)
	case []byte:
		return v
	}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestOnPostgres(t *testing.T) {
	w := newTown(t)
	pg, err := postgres.Open(t.Context(), pgtest.Database(t), postgres.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { pg.Close() })
	lite := valuetest.SQLite(t)
	w.project(t, pg)
	w.project(t, lite)
	want, err := churn.Evaluate(t.Context(), lite, w.asOf, churn.Options{})
	require.NoError(t, err)
	got, err := churn.Evaluate(t.Context(), pg, w.asOf, churn.Options{})
	require.NoError(t, err)
	assert.Equal(t, want, got)
	w.check(t, got)
	w.checkMaterialized(t, pg)
	readmodeltest.DocumentedQueries(t, "../../docs/readmodels.md", map[string]readmodel.Querier{"sql churn": pg})
}
