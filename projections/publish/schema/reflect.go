package schema

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain/date"
)

// Node is one JSON Schema object; maps marshal with sorted keys, so the
// files are deterministic.
type Node = map[string]any

var (
	uuidType = reflect.TypeFor[uuid.UUID]()
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[date.Date]()
	rawType  = reflect.TypeFor[json.RawMessage]()
	textType = reflect.TypeFor[encoding.TextMarshaler]()
)

// of returns the schema of values of t as encoding/json writes them.
func of(t reflect.Type) Node {
	switch t {
	case uuidType:
		return Node{"type": "string", "format": "uuid"}
	case timeType:
		return Node{"type": "string", "format": "date-time"}
	case dateType:
		return Node{"type": "string", "format": "date"}
	case rawType:
		return Node{"type": "object"}
	}
	if t.Implements(textType) {
		return Node{"type": "string"}
	}
	return ofKind(t)
}

func ofKind(t reflect.Type) Node {
	switch t.Kind() {
	case reflect.String:
		return Node{"type": "string"}
	case reflect.Bool:
		return Node{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Node{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Node{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return Node{"type": "number"}
	case reflect.Pointer:
		return nullable(of(t.Elem()))
	case reflect.Slice, reflect.Array:
		return Node{"type": "array", "items": of(t.Elem())}
	case reflect.Map:
		return Node{"type": "object", "additionalProperties": of(t.Elem())}
	case reflect.Struct:
		return object(t)
	}
	return Node{}
}

// nullable lets n's value also be null.
func nullable(n Node) Node {
	if typ, ok := n["type"].(string); ok {
		n["type"] = []string{typ, "null"}
	}
	return n
}

// object returns the schema of a struct: its JSON fields, embedded
// structs flattened, required unless encoding/json may omit them, and no
// other property.
func object(t reflect.Type) Node {
	props, required := Node{}, []string{}
	fields(t, props, &required)
	return Node{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func fields(t reflect.Type, props Node, required *[]string) {
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case !f.IsExported() || name == "-":
			continue
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			fields(f.Type, props, required)
			continue
		case name == "":
			name = f.Name
		}
		n := field(f.Type, omittable(f.Type, opts))
		props[name] = n
		if !omittable(f.Type, opts) {
			*required = append(*required, name)
		}
	}
}

// field returns the schema of a field of type t: a pointer left out when
// nil is never null, a nil slice kept in is written as null.
func field(t reflect.Type, omitted bool) Node {
	switch {
	case t.Kind() == reflect.Pointer && omitted:
		return of(t.Elem())
	case t.Kind() == reflect.Slice && t != rawType && !omitted:
		return nullable(of(t))
	}
	return of(t)
}

// omittable reports whether encoding/json may leave a field of type t
// with tag options opts out.
func omittable(t reflect.Type, opts string) bool {
	has := func(o string) bool { return strings.Contains(","+opts+",", ","+o+",") }
	if has("omitzero") {
		return true
	}
	if !has("omitempty") {
		return false
	}
	switch t.Kind() {
	case reflect.Struct:
		return false
	case reflect.Array:
		return t.Len() == 0
	}
	return true
}
