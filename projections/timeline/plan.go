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
	facet     string
}

// read returns the facets of v, a value of the plan's type.
func (p facetPlan) read(v reflect.Value) facets {
	var f facets
	for _, ff := range p {
		fv := v.FieldByIndex(ff.index)
		if ff.omitEmpty && fv.IsZero() { // "", 0 or a nil pointer
			continue
		}
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		f.set(ff.facet, fv)
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
		name, opts, ok := jsonName(sf)
		facet := strings.ToLower(name)
		kind, isFacet := facetKinds[facet]
		if !ok || !isFacet {
			continue
		}
		if seen[facet] || !takes(kind, sf.Type) || opts["string"] {
			return false
		}
		seen[facet] = true
		*p = append(*p, facetField{index: at, omitEmpty: opts["omitempty"] || opts["omitzero"], facet: facet})
	}
	return true
}

// jsonName returns the name encoding/json gives an exported field and the
// options of its tag; false for a field it skips.
func jsonName(sf reflect.StructField) (string, map[string]bool, bool) {
	tag := sf.Tag.Get("json")
	if !sf.IsExported() || tag == "-" {
		return "", nil, false
	}
	name, list, _ := strings.Cut(tag, ",")
	if name == "" {
		name = sf.Name
	}
	opts := map[string]bool{}
	for o := range strings.SplitSeq(list, ",") {
		opts[o] = true
	}
	return name, opts, true
}

var (
	marshaler     = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// takes reports whether a field of type t holds a facet of kind as its
// JSON would: a string (or integer) kind, possibly behind a pointer, with
// no JSON or text encoding of its own.
func takes(kind reflect.Kind, t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(marshaler) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(marshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		return false
	}
	switch t.Kind() {
	case reflect.String:
		return kind == reflect.String
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kind == reflect.Int64
	}
	return false
}

// facetKinds are the facets by their lower-case JSON names, each with its
// kind: reflect.String, or reflect.Int64 for any integer kind.
var facetKinds = map[string]reflect.Kind{
	"channel": reflect.String, "direction": reflect.String, "topic": reflect.String, "outcome": reflect.String,
	"reason": reflect.String, "purpose": reflect.String, "currency": reflect.String,
	"stars": reflect.Int64, "nps": reflect.Int64, "total": reflect.Int64, "amount": reflect.Int64,
}

// set stores v, a field planned for facet, in f.
func (f *facets) set(facet string, v reflect.Value) {
	switch facet {
	case "channel":
		f.Channel = v.String()
	case "direction":
		f.Direction = v.String()
	case "topic":
		f.Topic = v.String()
	case "outcome":
		f.Outcome = v.String()
	case "reason":
		f.Reason = v.String()
	case "purpose":
		f.Purpose = v.String()
	case "currency":
		f.Currency = v.String()
	case "stars":
		f.Stars = ptr(int(v.Int()))
	case "nps":
		f.NPS = ptr(int(v.Int()))
	case "total":
		f.Total = ptr(v.Int())
	case "amount":
		f.Amount = ptr(v.Int())
	}
}

func ptr[T any](v T) *T { return &v }
