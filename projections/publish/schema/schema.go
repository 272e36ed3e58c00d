package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/publish"
)

// Dialect is the JSON Schema draft of every file.
const Dialect = "https://json-schema.org/draft/2020-12/schema"

// envelopeDocs describes the envelope's fields in its schema.
var envelopeDocs = map[string]string{
	"event_id":       "The event's UUID: unique, chosen when the command was decided; deduplicate by it.",
	"type":           "Catalogue name, <aggregate>.<snake_case>, e.g. customer.purchase_recorded.",
	"schema_version": "Version of the payload's schema for this type, from 1; data follows events/<type>.v<schema_version>.json.",
	"stream":         "The stream the event belongs to, e.g. customer-<uuid>: one customer's complete history.",
	"version":        "The event's place in its stream, from 1, dense: a consumer that sees version n+2 after n missed one.",
	"position":       "The event's place in the global log: strictly increasing in commit order, not dense; resume from it.",
	"occurred_at":    "Business time: when the fact happened (RFC 3339, UTC, microseconds).",
	"recorded_at":    "When the store accepted the event (RFC 3339, UTC, microseconds).",
	"actor":          "Who caused it, e.g. user:alice or import:cdnow; absent when unknown.",
	"command_id":     "The command that produced the event; a retried command keeps it.",
	"correlation_id": "Ties together everything caused by one request.",
	"causation_id":   "The command or event that directly caused this one.",
	"hash":           "Lower-case hex SHA-256 chained to the stream's previous event (tamper evidence).",
	"data":           "The payload, as stored: see the schema of type at schema_version.",
}

// Envelope returns the JSON Schema of the published envelope, version
// [publish.EnvelopeVersion]. Unlike payloads it allows other properties:
// a field added later within the same envelope version is optional and
// old consumers ignore it.
func Envelope() Node {
	n := of(reflect.TypeFor[feed.Envelope]())
	for name, p := range n["properties"].(Node) {
		p.(Node)["description"] = envelopeDocs[name]
	}
	props := n["properties"].(Node)
	props["hash"].(Node)["pattern"] = "^[0-9a-f]{64}$"
	for _, k := range []string{"schema_version", "version", "position"} {
		props[k].(Node)["minimum"] = 1
	}
	n["additionalProperties"] = true
	n["$schema"] = Dialect
	n["$id"] = fmt.Sprintf("envelope.v%d.json", publish.EnvelopeVersion)
	n["title"] = fmt.Sprintf("ledgerline event envelope, version %d", publish.EnvelopeVersion)
	n["description"] = "One event as services receive it: the payload of one broker message or server-sent event. See docs/events.md, Envelope for services."
	return n
}

// Payload returns the JSON Schema of typ's payload at version, whose Go
// type is t.
func Payload(typ string, version int, t reflect.Type) Node {
	n := of(t)
	n["$schema"] = Dialect
	n["$id"] = PayloadFile(typ, version)
	n["title"] = fmt.Sprintf("%s, schema version %d", typ, version)
	n["description"] = fmt.Sprintf("The data of a %s event with schema_version %d. See docs/events.md, section %s (v%d).", typ, version, typ, version)
	return n
}

// PayloadFile is the path of typ's payload schema at version, relative to
// docs/schema/.
func PayloadFile(typ string, version int) string {
	return fmt.Sprintf("events/%s.v%d.json", typ, version)
}

// EnvelopeFile is the path of the envelope schema, relative to
// docs/schema/.
func EnvelopeFile() string { return fmt.Sprintf("envelope.v%d.json", publish.EnvelopeVersion) }

// Files returns every schema of cat at its current versions, by path
// relative to docs/schema/, as indented JSON.
func Files(cat *domain.Catalogue) (map[string][]byte, error) {
	out := map[string][]byte{}
	b, err := encode(Envelope())
	if err != nil {
		return nil, err
	}
	out[EnvelopeFile()] = b
	for _, typ := range cat.Types() {
		spec, _ := cat.Spec(typ)
		e, err := spec.Unmarshal([]byte(`{}`), json.Unmarshal)
		if err != nil {
			return nil, fmt.Errorf("schema of %s: decode an empty payload: %w", typ, err)
		}
		if out[PayloadFile(typ, spec.Version)], err = encode(Payload(typ, spec.Version, reflect.TypeOf(e))); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func encode(n Node) ([]byte, error) {
	b, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode schema %v: %w", n["$id"], err)
	}
	return append(b, '\n'), nil
}

// Sorted returns the paths of files in order.
func Sorted(files map[string][]byte) []string {
	out := make([]string, 0, len(files))
	for p := range files {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}
