package timeline

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSummary(t *testing.T) {
	total, stars, nps := int64(1234), 2, 0
	cases := []struct {
		name  string
		typ   string
		f     facets
		known bool
		want  string
	}{
		{"LabelOnly", "customer.contact_changed", facets{}, true, "contact changed"},
		{"Purchase", "customer.purchase_recorded", facets{Channel: "web_form", Total: &total, Currency: "EUR"}, true,
			"purchase recorded, via web_form, amount 12.34 EUR"},
		{"Interaction", "customer.interaction_logged", facets{Channel: "phone", Direction: "inbound", Topic: "billing", Outcome: "resolved"}, true,
			"interaction logged, via inbound phone, about billing, outcome resolved"},
		{"DirectionOnly", "customer.interaction_logged", facets{Direction: "outbound"}, true, "interaction logged, via outbound"},
		{"Scores", "customer.rating_given", facets{Stars: &stars, NPS: &nps}, true, "rating given, stars 2, NPS 0"},
		{"ReasonAndPurpose", "customer.consent_withdrawn", facets{Reason: "moved", Purpose: "marketing"}, true,
			"consent withdrawn, reason moved, for marketing"},
		{"MoneyNeedsItsCurrency", "customer.payment_received", facets{Amount: &total}, true, "payment received"},
		{"UnknownType", "loyalty.points_earned", facets{}, false, "points earned, (unknown to this version)"},
		{"NoNamespace", "legacy_event", facets{}, false, "legacy event, (unknown to this version)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, summary(c.typ, c.f, c.known))
		})
	}
}
