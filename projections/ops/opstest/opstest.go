// Package opstest generates synthetic customer logs for the tests and
// benchmarks of projection operations: a realistic mix of registrations,
// purchases, refunds, interactions on every channel, ratings, survey
// answers and complaints, encoded through the domain catalogue and
// appended in large batches. The same seed gives the same log.
package opstest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
)

// Config shapes a synthetic log. Events is required.
type Config struct {
	// Events is how many events to append.
	Events int
	// Customers is how many customers register; 0 means one per
	// DefaultEventsPerCustomer events.
	Customers int
	// Seed makes the log reproducible.
	Seed uint64
	// Batch is how many events each atomic append carries; 0 means
	// DefaultBatch.
	Batch int
	// Start is the business time of the first event; zero means
	// 2020-01-01 UTC. Each event happens a minute after the one before.
	Start time.Time
}

// Defaults of [Config].
const (
	DefaultEventsPerCustomer = 20
	DefaultBatch             = 5000
)

func (c Config) withDefaults() Config {
	if c.Customers <= 0 {
		c.Customers = max(1, c.Events/DefaultEventsPerCustomer)
	}
	c.Customers = min(c.Customers, c.Events)
	if c.Batch <= 0 {
		c.Batch = DefaultBatch
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return c
}

// Append generates the log cfg describes and appends it to s, through
// [eventstore.AppendBatch], and returns the position of its last event.
func Append(ctx context.Context, s eventstore.Store, cat *domain.Catalogue, cfg Config) (uint64, error) {
	cfg = cfg.withDefaults()
	g := &generator{cfg: cfg, cat: cat, rng: rand.New(rand.NewPCG(cfg.Seed, 0x1ed6e71e))}
	var last uint64
	for done := 0; done < cfg.Events; {
		n := min(cfg.Batch, cfg.Events-done)
		reqs, err := g.batch(n)
		if err != nil {
			return last, err
		}
		res, err := eventstore.AppendBatch(ctx, s, reqs)
		if err != nil {
			return last, fmt.Errorf("append synthetic events %d to %d: %w", done+1, done+n, err)
		}
		last = res[len(res)-1].LastPosition
		done += n
	}
	return last, nil
}

// generator makes events; customers register at a steady rate over the
// log, and each event is of a customer registered before it.
type generator struct {
	cfg       Config
	cat       *domain.Catalogue
	rng       *rand.Rand
	customers []uuid.UUID
	events    int
	purchases int
}

// batch returns n events, one request per stream in first-seen order.
func (g *generator) batch(n int) ([]eventstore.AppendRequest, error) {
	var reqs []eventstore.AppendRequest
	at := map[string]int{}
	for range n {
		stream, ev, err := g.next()
		if err != nil {
			return nil, err
		}
		i, ok := at[stream]
		if !ok {
			i = len(reqs)
			at[stream] = i
			reqs = append(reqs, eventstore.AppendRequest{Stream: stream, Expected: eventstore.Any})
		}
		reqs[i].Events = append(reqs[i].Events, ev)
	}
	return reqs, nil
}

// next returns the next event and its stream.
func (g *generator) next() (string, eventstore.EventData, error) {
	id, e := g.event()
	typ, version, data, err := g.cat.Encode(e)
	if err != nil {
		return "", eventstore.EventData{}, fmt.Errorf("encode synthetic %T: %w", e, err)
	}
	eid := g.uuid()
	occurred := g.cfg.Start.Add(time.Duration(g.events) * time.Minute)
	g.events++
	return customer.Stream(id), eventstore.EventData{ID: eid, Type: typ, SchemaVersion: version, Data: data, OccurredAt: occurred,
		Metadata: eventstore.Metadata{Actor: "synthetic", CommandID: eid, CorrelationID: eid}}, nil
}

// event picks a customer and what happens to it: a registration whenever
// the registrations fall behind a steady rate, else an activity of a
// random registered customer.
func (g *generator) event() (uuid.UUID, domain.Event) {
	due := int(int64(g.events+1) * int64(g.cfg.Customers) / int64(g.cfg.Events))
	if len(g.customers) < max(due, 1) {
		id := g.uuid()
		g.customers = append(g.customers, id)
		n := len(g.customers)
		return id, customer.Registered{CustomerID: id, Kind: customer.Person, Name: fmt.Sprintf("Customer %d", n),
			SourceSystem: "synthetic", SourceID: fmt.Sprintf("S%07d", n)}
	}
	id := g.customers[g.rng.IntN(len(g.customers))]
	return id, g.activity()
}

var channels = []channel.Channel{channel.Phone, channel.Email, channel.SMS, channel.Messenger, channel.Chat,
	channel.WebForm, channel.Social, channel.Meeting, channel.Fax, channel.Letter}

// activity returns a customer event other than a registration, in the
// proportions of a retail CRM: mostly purchases and contacts.
func (g *generator) activity() domain.Event {
	switch r := g.rng.IntN(100); {
	case r < 45:
		return g.purchase()
	case r < 80:
		dir := channel.Inbound
		if g.rng.IntN(3) == 0 {
			dir = channel.Outbound
		}
		return customer.InteractionLogged{Channel: channels[g.rng.IntN(len(channels))], Direction: dir,
			Topic: []string{"billing", "delivery", "product", "returns"}[g.rng.IntN(4)], Outcome: "resolved", Employee: "agent-7"}
	case r < 86:
		return customer.RatingGiven{Stars: 1 + g.rng.IntN(5), Subject: "support"}
	case r < 90:
		return customer.SurveyAnswered{SurveyID: fmt.Sprintf("nps-%d", g.rng.IntN(12)), NPS: g.rng.IntN(11)}
	case r < 95 && g.purchases > 0:
		return customer.PurchaseRefunded{PurchaseID: fmt.Sprintf("P%08d", g.rng.IntN(g.purchases)+1), Amount: int64(100 + g.rng.IntN(2000)),
			Currency: "EUR", Reason: "damaged"}
	default:
		return customer.ComplaintFiled{ComplaintID: g.uuid().String(), Channel: channel.Email, Topic: "late delivery"}
	}
}

func (g *generator) purchase() customer.PurchaseRecorded {
	g.purchases++
	qty, price := int64(1+g.rng.IntN(3)), int64(499+g.rng.IntN(20000))
	cost := price * 6 / 10
	return customer.PurchaseRecorded{PurchaseID: fmt.Sprintf("P%08d", g.purchases), Currency: "EUR",
		Lines: []customer.Line{{SKU: fmt.Sprintf("SKU-%03d", g.rng.IntN(400)), Quantity: qty, UnitPrice: price, UnitCost: &cost}},
		Total: qty * price, Channel: channel.WebForm}
}

// uuid returns a random version-4 UUID from the generator's source.
func (g *generator) uuid() uuid.UUID {
	var id uuid.UUID
	for i := 0; i < len(id); i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			id[i+j] = byte(v >> (8 * j))
		}
	}
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}
