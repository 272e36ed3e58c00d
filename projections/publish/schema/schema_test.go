package schema_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/publish/schema"
)

var update = flag.Bool("update", false, "rewrite docs/schema/ from the code")

const dir = "../../../docs/schema"

// TestSchemasAreCurrent fails when a schema file in docs/schema/ is
// missing or differs from what the code generates; -update rewrites them.
func TestSchemasAreCurrent(t *testing.T) {
	files, err := schema.Files(catalogue.New())
	require.NoError(t, err)
	for _, path := range schema.Sorted(files) {
		full := filepath.Join(dir, path)
		if *update {
			require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
			require.NoError(t, os.WriteFile(full, files[path], 0o644))
			continue
		}
		got, err := os.ReadFile(full)
		if !assert.NoError(t, err, "docs/schema/%s is missing: run go generate ./projections/publish/schema", path) {
			continue
		}
		assert.Equal(t, string(files[path]), string(got), "docs/schema/%s no longer matches the code: run go generate ./projections/publish/schema", path)
	}
}

var fileRE = regexp.MustCompile(`^(.+)\.v(\d+)\.json$`)

// TestNoSchemaForAnUnknownVersion fails on a payload schema of a type the
// catalogue lacks or of a version above the type's current one; older
// versions stay, frozen.
func TestNoSchemaForAnUnknownVersion(t *testing.T) {
	cat := catalogue.New()
	entries, err := os.ReadDir(filepath.Join(dir, "events"))
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		m := fileRE.FindStringSubmatch(e.Name())
		if !assert.NotNil(t, m, "docs/schema/events/%s: want <type>.v<version>.json", e.Name()) {
			continue
		}
		spec, ok := cat.Spec(m[1])
		v, _ := strconv.Atoi(m[2])
		assert.True(t, ok && v >= 1 && v <= spec.Version, "docs/schema/events/%s: no such type and version in the catalogue", e.Name())
	}
}

// TestEnvelopeSchemaDescribesTheWireForm checks the envelope schema
// against a real envelope's JSON: every key is a property, every
// required property is present.
func TestEnvelopeSchemaDescribesTheWireForm(t *testing.T) {
	rec := eventstore.Record{EventData: eventstore.EventData{ID: uuid.New(), Type: "customer.registered", SchemaVersion: 1,
		Data: []byte(`{"customer_id":"x"}`), OccurredAt: time.Unix(0, 0).UTC(), Metadata: eventstore.Metadata{Actor: "user:a"}},
		Stream: "customer-x", Version: 1, Position: 1, RecordedAt: time.Unix(1, 0).UTC(), Hash: make([]byte, 32)}
	b, err := json.Marshal(feed.ToEnvelope(rec))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	env := schema.Envelope()
	props := env["properties"].(schema.Node)
	for k := range doc {
		assert.Contains(t, props, k, "envelope field %s has a schema", k)
	}
	for _, k := range env["required"].([]string) {
		assert.Contains(t, doc, k, "required %s is written", k)
	}
	assert.Len(t, props, 14)
	for k, p := range props {
		assert.NotEmpty(t, p.(schema.Node)["description"], "property %s is described", k)
	}
}

// TestPayloadSchemaRules checks the generator on the shapes the domain
// uses: flattened embedded structs, optional fields, nullable pointers,
// UUIDs, times and dates.
func TestPayloadSchemaRules(t *testing.T) {
	files, err := schema.Files(catalogue.New())
	require.NoError(t, err)
	read := func(typ string) map[string]any {
		var n map[string]any
		require.NoError(t, json.Unmarshal(files[schema.PayloadFile(typ, 1)], &n))
		return n
	}
	for _, c := range []struct{ typ, field, want string }{
		{"customer.registered", "customer_id", `{"format":"uuid","type":"string"}`},
		{"customer.registered", "email", `{"type":"string"}`},
		{"customer.registered", "address", `"object"`},
	} {
		t.Run(fmt.Sprint(c.typ, ".", c.field), func(t *testing.T) {
			props := read(c.typ)["properties"].(map[string]any)
			require.Contains(t, props, c.field)
			b, _ := json.Marshal(props[c.field])
			assert.Contains(t, string(b), c.want)
		})
	}
	reg := read("customer.registered")
	assert.Contains(t, reg["required"], "customer_id")
	assert.NotContains(t, reg["required"], "email", "omitempty fields are optional")
	assert.Equal(t, false, reg["additionalProperties"])
}
