package timeline

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/demo/demotest"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/projections"
)

// TestDecodedFacetsEqualTheJSONFacets reads the facets of every event of a
// demo log, which holds every event type, both ways: off the decoded
// payload and from the JSON. They are equal, and every type of the
// catalogue is read off its decoded payload.
func TestDecodedFacetsEqualTheJSONFacets(t *testing.T) {
	cat := catalogue.New()
	types := map[string]bool{}
	for _, e := range projections.Events(cat, demotest.Log(t, cat)) {
		want, err := jsonFacets(e)
		require.NoError(t, err)
		got, ok := decodedFacets(e)
		require.True(t, ok, "%s is read off its decoded payload", e.Type)
		require.Equal(t, want, got, "%s at %d", e.Type, e.Position)
		types[e.Type] = true
	}
	assert.Len(t, types, len(cat.Types()))
}

func TestPlanMapsFieldsAsJSONNamesThem(t *testing.T) {
	type plain struct {
		NPS      *int   `json:"nps,omitempty"` // a pointer to 0 is encoded
		Channel  string `json:"channel"`
		Outcome  string `json:"outcome,omitempty"`
		Stars    *int   `json:"stars"`
		Amount   int64  `json:"amount,omitempty"`
		Currency string // named after the field
		Topic    string `json:"-"`
		reason   string
		Other    int `json:"other"`
	}
	type detail struct {
		Topic string `json:"topic"`
	}
	type promoted struct {
		detail
		Outcome string `json:"outcome"`
	}
	stars := 0
	cases := []struct {
		name  string
		value any
		want  facets
	}{
		{"EveryKindOfFacet", plain{NPS: &stars, Channel: "phone", Outcome: "ok", Stars: &stars, Amount: 250, Currency: "EUR", Topic: "x", reason: "y"},
			facets{NPS: &stars, Channel: "phone", Outcome: "ok", Stars: &stars, Amount: ptr(int64(250)), Currency: "EUR"}},
		{"ZeroOmittedOrNilIsNoFacet", plain{}, facets{}},
		{"PromotedFromAnEmbeddedStruct", promoted{Outcome: "won", detail: detail{Topic: "renewal"}},
			facets{Topic: "renewal", Outcome: "won"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := reflect.ValueOf(c.value)
			plan := planOf(v.Type())
			require.NotNil(t, plan)
			assert.Equal(t, c.want, plan.read(v))
		})
	}
}

func TestPlanLeavesToJSONWhatItCannotMirror(t *testing.T) {
	type inner struct {
		Topic string `json:"topic"`
	}
	type embedsAPointer struct {
		*inner
	}
	type twice struct {
		Reason string `json:"reason"`
		Why    string `json:"Reason"`
	}
	type wrongKind struct {
		Stars string `json:"stars"`
	}
	type encodesItself struct {
		At time.Time `json:"channel"`
	}
	type quoted struct {
		Total int64 `json:"total,string"`
	}
	type promotedTwice struct {
		inner
		Topic string `json:"topic"`
	}
	for _, v := range []any{embedsAPointer{}, twice{}, wrongKind{}, encodesItself{}, quoted{}, promotedTwice{}, 42} {
		assert.Nil(t, newPlan(reflect.TypeOf(v)), "%T", v)
	}
}
