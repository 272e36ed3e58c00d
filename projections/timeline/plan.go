package timeline

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/ledgerline/ledgerline/projections"
)

// decodedFacets reads the facets off e's decoded payload, which the other
// projectors of a rebuild decode too, rather than decoding the payload
// once more. It reports false when the catalogue does not know the type
// or cannot decode the payload, or when the type's fields do not map onto
// facets as its JSON would: describe then reads the JSON.
func decodedFacets(e projections.Event) (facets, bool) {
	if !e.Known() {
		return facets{}, false
	}
	p, err := e.Payload()
	if err != nil {
		return facets{}, false
	}
	v := reflect.ValueOf(p)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	plan := planOf(v.Type())
	if plan == nil {
		return facets{}, false
	}
	return plan.read(v), true
}

// facetPlan says which fields of an event type hold which facets.
type facetPlan []facetField

// facetField is a field holding a facet.
type facetField struct {
	index     []int // as reflect.Value.FieldByIndex takes it
	omitEmpty bool  // a zero value is left out of the JSON: no facet
	set       func(f *facets, v reflect.Value)
}

// read returns the facets of v, a value of the plan's type.
func (p facetPlan) read(v reflect.Value) facets {
	var f facets
	for _, ff := range p {
		fv := v.FieldByIndex(ff.index)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		if ff.omitEmpty && fv.IsZero() {
			continue
		}
		ff.set(&f, fv)
	}
	return f
}

// plans caches each event type's plan; a nil plan means the type's facets
// are read from its JSON.
var plans sync.Map // reflect.Type → facetPlan

func planOf(t reflect.Type) facetPlan {
	if p, ok := plans.Load(t); ok {
		return p.(facetPlan)
	}
	p := newPlan(t)
	plans.Store(t, p)
	return p
}

// newPlan maps t's fields onto facets as encoding/json names them (tag or
// field name, matched without regard to case; embedded structs' fields
// promoted). It returns nil when that mapping could differ from what
// decoding the JSON gives: t is no struct, embeds a pointer or a
// non-struct, has two fields for one facet, or a facet field of a kind the
// facet does not take or with its own JSON encoding.
func newPlan(t reflect.Type) facetPlan {
	if t.Kind() != reflect.Struct {
		return nil
	}
	plan := facetPlan{}
	if !plan.add(t, nil, map[string]bool{}) {
		return nil
	}
	return plan
}

// add appends the facet fields of struct t, found at index under the
// event type, to the plan; false if t cannot be mirrored.
func (p *facetPlan) add(t reflect.Type, index []int, seen map[string]bool) bool {
	for i := range t.NumField() {
		sf := t.Field(i)
		at := append(slices.Clone(index), i)
		if sf.Anonymous && sf.Tag.Get("json") == "" {
			if sf.Type.Kind() != reflect.Struct || !p.add(sf.Type, at, seen) {
				return false
			}
			continue
		}
		name, omitEmpty, ok := jsonName(sf)
		set, isFacet := setters[strings.ToLower(name)]
		if !ok || !isFacet {
			continue
		}
		if seen[strings.ToLower(name)] || !set.takes(sf.Type) {
			return false
		}
		seen[strings.ToLower(name)] = true
		*p = append(*p, facetField{index: at, omitEmpty: omitEmpty, set: set.set})
	}
	return true
}

// jsonName returns the name encoding/json gives an exported field, and
// whether it leaves the field out when empty; false for a field it skips.
func jsonName(sf reflect.StructField) (string, bool, bool) {
	tag := sf.Tag.Get("json")
	if !sf.IsExported() || tag == "-" {
		return "", false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = sf.Name
	}
	omit := false
	for o := range strings.SplitSeq(opts, ",") {
		omit = omit || o == "omitempty" || o == "omitzero"
	}
	return name, omit, true
}

// setter stores one facet.
type setter struct {
	kind reflect.Kind // reflect.String or reflect.Int64 (any integer kind)
	set  func(f *facets, v reflect.Value)
}

var (
	marshaler     = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// takes reports whether a field of type t holds the facet as its JSON
// would: a string (or integer) kind, possibly behind a pointer, with no
// JSON or text encoding of its own.
func (s setter) takes(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(marshaler) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(marshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		return false
	}
	switch t.Kind() {
	case reflect.String:
		return s.kind == reflect.String
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return s.kind == reflect.Int64
	}
	return false
}

func text(field func(*facets) *string) setter {
	return setter{kind: reflect.String, set: func(f *facets, v reflect.Value) { *field(f) = v.String() }}
}

func integer(set func(f *facets, n int64)) setter {
	return setter{kind: reflect.Int64, set: func(f *facets, v reflect.Value) { set(f, v.Int()) }}
}

// setters are the facets by their lower-case JSON names.
var setters = map[string]setter{
	"channel":   text(func(f *facets) *string { return &f.Channel }),
	"direction": text(func(f *facets) *string { return &f.Direction }),
	"topic":     text(func(f *facets) *string { return &f.Topic }),
	"outcome":   text(func(f *facets) *string { return &f.Outcome }),
	"reason":    text(func(f *facets) *string { return &f.Reason }),
	"purpose":   text(func(f *facets) *string { return &f.Purpose }),
	"currency":  text(func(f *facets) *string { return &f.Currency }),
	"stars":     integer(func(f *facets, n int64) { f.Stars = ptr(int(n)) }),
	"nps":       integer(func(f *facets, n int64) { f.NPS = ptr(int(n)) }),
	"total":     integer(func(f *facets, n int64) { f.Total = &n }),
	"amount":    integer(func(f *facets, n int64) { f.Amount = &n }),
}

func ptr[T any](v T) *T { return &v }
