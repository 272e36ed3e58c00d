package catalogue_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/catalogue"
)

func TestSamplesCoverTheCatalogue(t *testing.T) {
	var types []string
	for _, e := range samples() {
		types = append(types, e.EventType())
	}
	slices.Sort(types)
	assert.Equal(t, catalogue.New().Types(), types)
	assert.Len(t, types, 41)
}

func TestEveryTypeRoundTrips(t *testing.T) {
	cat := catalogue.New()
	for _, e := range samples() {
		t.Run(e.EventType(), func(t *testing.T) {
			typ, version, data, err := cat.Encode(e)
			require.NoError(t, err)
			assert.Equal(t, e.EventType(), typ)
			assert.Equal(t, 1, version)
			back, err := cat.Decode(typ, version, data)
			require.NoError(t, err)
			assert.Equal(t, e, back)
			assert.IsType(t, e, back, "decode returns a value, not a pointer")
		})
	}
}

func TestTypeNamesAreSnakeCase(t *testing.T) {
	for _, typ := range catalogue.New().Types() {
		assert.Regexp(t, `^(customer|lead|campaign)\.[a-z]+(_[a-z]+)*$`, typ)
	}
}

func TestPayloadsAreSnakeCase(t *testing.T) {
	for _, e := range samples() {
		for _, key := range jsonKeys(t, e) {
			assert.Regexp(t, `^[a-z0-9_.\[\]]+$`, key, e.EventType())
		}
	}
}

func TestRejectsUnknownTypesAndVersions(t *testing.T) {
	cat := catalogue.New()
	_, err := cat.Decode("customer.teleported", 1, []byte(`{}`))
	assert.ErrorContains(t, err, "unknown type")
	for _, v := range []int{0, -1, 2} {
		_, err = cat.Decode("customer.registered", v, []byte(`{}`))
		assert.ErrorContains(t, err, "unknown schema version", "version %d", v)
	}
	_, _, _, err = cat.Encode(renamed{})
	assert.ErrorContains(t, err, "unknown type")
	_, err = cat.Decode("customer.registered", 1, []byte(`{"kind":`))
	assert.Error(t, err)
}

// renamed is a fake event at schema version 2: version 1 called its field
// "nm".
type renamed struct {
	Name string `json:"name"`
}

func (renamed) EventType() string { return "test.renamed" }

func renameField(data []byte) ([]byte, error) {
	var v1 struct {
		Nm string `json:"nm"`
	}
	if err := json.Unmarshal(data, &v1); err != nil {
		return nil, err
	}
	return json.Marshal(renamed{Name: v1.Nm})
}

func TestUpcasting(t *testing.T) {
	cat := domain.NewCatalogue([]domain.EventSpec{domain.Define[renamed](2, map[int]domain.Upcaster{1: renameField})})
	got, err := cat.Decode("test.renamed", 1, []byte(`{"nm":"Anna"}`))
	require.NoError(t, err)
	assert.Equal(t, renamed{Name: "Anna"}, got)

	got, err = cat.Decode("test.renamed", 2, []byte(`{"name":"Anna"}`))
	require.NoError(t, err)
	assert.Equal(t, renamed{Name: "Anna"}, got)

	typ, version, data, err := cat.Encode(renamed{Name: "Jan"})
	require.NoError(t, err)
	assert.Equal(t, "test.renamed", typ)
	assert.Equal(t, 2, version)
	assert.JSONEq(t, `{"name":"Jan"}`, string(data))

	_, err = cat.Decode("test.renamed", 1, []byte(`{"nm":`))
	assert.ErrorContains(t, err, "upcast from version 1")
}

func TestMissingUpcasterFails(t *testing.T) {
	cat := domain.NewCatalogue([]domain.EventSpec{domain.Define[renamed](3, map[int]domain.Upcaster{1: renameField})})
	_, err := cat.Decode("test.renamed", 1, []byte(`{"nm":"Anna"}`))
	assert.ErrorContains(t, err, "no upcaster from version 2")
}

func TestDuplicateTypePanics(t *testing.T) {
	spec := domain.Define[renamed](1, nil)
	assert.Panics(t, func() { domain.NewCatalogue([]domain.EventSpec{spec}, []domain.EventSpec{spec}) })
}

// jsonKeys returns the keys of e's JSON payload, nested ones as
// "parent.child" and array elements' as "parent[].child".
func jsonKeys(t *testing.T, e domain.Event) []string {
	t.Helper()
	data, err := json.Marshal(e)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	keys := map[string]bool{}
	collect("", doc, keys)
	return slices.Sorted(maps.Keys(keys))
}

func collect(prefix string, v any, keys map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			keys[prefix+k] = true
			collect(prefix+k+".", child, keys)
		}
	case []any:
		for _, child := range v {
			collect(prefix[:len(prefix)-1]+"[].", child, keys)
		}
	}
}
