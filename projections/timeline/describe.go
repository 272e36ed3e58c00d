package timeline

import (
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"

	moneypkg "github.com/ledgerline/ledgerline/domain/money"
	"github.com/ledgerline/ledgerline/projections"
)

// entry is what the timeline shows of one event.
type entry struct {
	customer  uuid.UUID
	channel   string
	direction string
	summary   string
	amount    int64 // minor units, if hasAmount
	hasAmount bool
	currency  string
}

// facets are the payload fields the timeline shows, whatever the event
// type: the catalogue names them consistently, so a new event type shows
// up in the timeline without code here.
type facets struct {
	Channel   string `json:"channel"`
	Direction string `json:"direction"`
	Topic     string `json:"topic"`
	Outcome   string `json:"outcome"`
	Reason    string `json:"reason"`
	Stars     *int   `json:"stars"`
	NPS       *int   `json:"nps"`
	Purpose   string `json:"purpose"`
	// Money comes as minor units with a sibling currency code.
	Total    *int64 `json:"total"`
	Amount   *int64 `json:"amount"`
	Currency string `json:"currency"`
}

type money struct {
	Minor    int64
	Currency string
}

// lenient decodes facets as encoding/json would (names matched without
// regard to case, duplicate names and invalid UTF-8 accepted; a payload it
// cannot read is described as unreadable either way) on the engine of
// encoding/json/v2's prototype: a rebuild describes every event of the
// log, and this reads a purchase's facets in 1.06 µs here, encoding/json
// in 2.5 µs.
var lenient = json.JoinOptions(json.MatchCaseInsensitiveNames(true), jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true))

func describe(e projections.Event) entry {
	en := entry{customer: customerOf(e.Stream)}
	f, ok := decodedFacets(e)
	if !ok {
		var err error
		if f, err = jsonFacets(e); err != nil {
			en.summary = label(e.Type) + " (payload unreadable)"
			return en
		}
	}
	en.channel, en.direction = f.Channel, f.Direction
	if m, ok := f.money(); ok {
		en.amount, en.hasAmount, en.currency = m.Minor, true, m.Currency
	}
	en.summary = summary(e.Type, f, e.Known())
	return en
}

// jsonFacets reads the facets from e's JSON payload.
func jsonFacets(e projections.Event) (facets, error) {
	var f facets
	err := json.Unmarshal(e.Data, &f, lenient)
	return f, err
}

// money returns the event's total or amount, and false if it has none.
func (f facets) money() (money, bool) {
	for _, v := range []*int64{f.Total, f.Amount} {
		if v != nil && f.Currency != "" {
			return money{Minor: *v, Currency: f.Currency}, true
		}
	}
	return money{}, false
}

// summary is the line the timeline shows of an event, e.g. "purchase
// recorded, via web_form, amount 12.34 EUR", built in one buffer: a
// rebuild writes one per event.
func summary(typ string, f facets, known bool) string {
	b := appendLabel(make([]byte, 0, 96), typ)
	add := func(name, v string) {
		if v != "" {
			b = append(append(append(append(b, ", "...), name...), ' '), v...)
		}
	}
	if f.Direction != "" || f.Channel != "" {
		b = append(b, ", via "...)
		b = append(b, strings.TrimSpace(f.Direction+" "+f.Channel)...)
	}
	add("about", f.Topic)
	add("outcome", f.Outcome)
	add("reason", f.Reason)
	add("for", f.Purpose)
	if f.Stars != nil {
		b = strconv.AppendInt(append(b, ", stars "...), int64(*f.Stars), 10)
	}
	if f.NPS != nil {
		b = strconv.AppendInt(append(b, ", NPS "...), int64(*f.NPS), 10)
	}
	if m, ok := f.money(); ok {
		b = moneypkg.New(m.Minor, moneypkg.Currency(m.Currency)).Append(append(b, ", amount "...))
	}
	if !known {
		b = append(b, ", (unknown to this version)"...)
	}
	return string(b)
}

// label turns "customer.purchase_recorded" into "purchase recorded".
func label(typ string) string { return string(appendLabel(nil, typ)) }

func appendLabel(b []byte, typ string) []byte {
	_, name, _ := strings.Cut(typ, ".")
	if name == "" {
		name = typ
	}
	for i := range len(name) {
		if name[i] == '_' {
			b = append(b, ' ')
		} else {
			b = append(b, name[i])
		}
	}
	return b
}

func customerOf(stream string) uuid.UUID {
	rest, ok := strings.CutPrefix(stream, "customer-")
	if !ok {
		return uuid.Nil
	}
	id, err := uuid.Parse(rest)
	if err != nil {
		return uuid.Nil
	}
	return id
}
