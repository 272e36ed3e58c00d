package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/demo/demotest"
	"github.com/ledgerline/ledgerline/domain/catalogue"
)

// TestCatalogueDecodesAsTheStandardLibrary decodes every event of a demo
// log, which holds every event type, with the CLI's catalogue and with
// encoding/json: the payloads are equal, and both refuse the same broken
// payloads.
func TestCatalogueDecodesAsTheStandardLibrary(t *testing.T) {
	recs := demotest.Log(t, catalogue.New())
	fast, std := newCatalogue(), catalogue.New()
	types := map[string]bool{}
	for _, r := range recs {
		want, err := std.Decode(r.Type, r.SchemaVersion, r.Data)
		require.NoError(t, err)
		got, err := fast.Decode(r.Type, r.SchemaVersion, r.Data)
		require.NoError(t, err)
		require.Equal(t, want, got, "%s at %d", r.Type, r.Position)
		types[r.Type] = true
	}
	assert.Len(t, types, len(std.Types()))
	for _, bad := range []string{`{"stars":"five"}`, `{"stars":`, `[]`, `{"stars":"five","subject":`, `{"stars":5}x`,
		`{"stars":5,}`, `{"stars":1e400}`, `{"stars":5,"stars":"x"}`, `{"stars":2.5}`, `{"STARS":"x"}`, `null`, ``,
		"{\"stars\":4,\"subject\":\"caf\xff\"}", `{"stars":4,"subject":"a\u00"}`, `{"stars":4} `} {
		_, errStd := std.Decode("customer.rating_given", 1, []byte(bad))
		_, errFast := fast.Decode("customer.rating_given", 1, []byte(bad))
		assert.Equal(t, errStd != nil, errFast != nil, "%s: %v / %v", bad, errStd, errFast)
	}
}
