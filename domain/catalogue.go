package domain

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// Upcaster turns the JSON payload of one schema version into the next.
type Upcaster func(data []byte) ([]byte, error)

// EventSpec describes one event type of the catalogue.
type EventSpec struct {
	// Type is the catalogue name, e.g. "customer.purchase_recorded".
	Type string
	// Version is the current schema version; encoding always writes it.
	Version int
	// Unmarshal decodes a payload at the current version into the event
	// value (not a pointer) with decode; [Define] builds it.
	Unmarshal func(data []byte, decode Decoder) (Event, error)
	// Upcasters[v] upcasts version v to v+1, for v < Version.
	Upcasters map[int]Upcaster
}

// Decoder decodes a JSON document into the value v points to, with
// encoding/json's Unmarshal semantics.
type Decoder func(data []byte, v any) error

// Catalogue knows every event type: it encodes payloads at their current
// schema version and decodes (upcasting) any version ever written. It is
// safe for concurrent use once built.
type Catalogue struct {
	specs  map[string]EventSpec
	decode Decoder
}

// WithDecoder returns a catalogue of the same specs that decodes payloads
// with d rather than encoding/json's Unmarshal: the composition root can
// choose a faster implementation of the same semantics without the domain
// importing it.
func (c *Catalogue) WithDecoder(d Decoder) *Catalogue {
	return &Catalogue{specs: c.specs, decode: d}
}

// NewCatalogue builds a catalogue of specs; a type listed twice panics,
// since that is a programming error caught by any test.
func NewCatalogue(specs ...[]EventSpec) *Catalogue {
	c := &Catalogue{specs: map[string]EventSpec{}, decode: json.Unmarshal}
	for _, group := range specs {
		for _, s := range group {
			if _, dup := c.specs[s.Type]; dup {
				panic("domain: event type registered twice: " + s.Type)
			}
			c.specs[s.Type] = s
		}
	}
	return c
}

// Types returns every event type, sorted.
func (c *Catalogue) Types() []string { return slices.Sorted(maps.Keys(c.specs)) }

// Spec returns the spec of typ.
func (c *Catalogue) Spec(typ string) (EventSpec, bool) {
	s, ok := c.specs[typ]
	return s, ok
}

// Encode returns e's type, current schema version and JSON payload.
func (c *Catalogue) Encode(e Event) (typ string, version int, data []byte, err error) {
	spec, ok := c.specs[e.EventType()]
	if !ok {
		return "", 0, nil, fmt.Errorf("encode event: unknown type %q", e.EventType())
	}
	data, err = json.Marshal(e)
	if err != nil {
		return "", 0, nil, fmt.Errorf("encode %s: %w", spec.Type, err)
	}
	return spec.Type, spec.Version, data, nil
}

// Decode returns the payload of an event of type typ written at schema
// version, upcast to the current version.
func (c *Catalogue) Decode(typ string, version int, data []byte) (Event, error) {
	spec, ok := c.specs[typ]
	if !ok {
		return nil, fmt.Errorf("decode event: unknown type %q", typ)
	}
	if version < 1 || version > spec.Version {
		return nil, fmt.Errorf("decode %s: unknown schema version %d (current %d)", typ, version, spec.Version)
	}
	for v := version; v < spec.Version; v++ {
		up, ok := spec.Upcasters[v]
		if !ok {
			return nil, fmt.Errorf("decode %s: no upcaster from version %d", typ, v)
		}
		var err error
		if data, err = up(data); err != nil {
			return nil, fmt.Errorf("decode %s: upcast from version %d: %w", typ, v, err)
		}
	}
	e, err := spec.Unmarshal(data, c.decode)
	if err != nil {
		return nil, fmt.Errorf("decode %s v%d: %w", typ, version, err)
	}
	return e, nil
}

// Define returns the spec of event type T at schema version, whose
// catalogue name is T's EventType. Events are values: Decode returns a T,
// never a *T, so aggregates switch on value types.
func Define[T Event](version int, upcasters map[int]Upcaster) EventSpec {
	var zero T
	return EventSpec{Type: zero.EventType(), Version: version, Upcasters: upcasters,
		Unmarshal: func(data []byte, decode Decoder) (Event, error) {
			var e T
			err := decode(data, &e)
			return e, err
		}}
}
