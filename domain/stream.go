package domain

import (
	"strings"

	"github.com/google/uuid"
)

// StreamName returns the stream of aggregate id in category, e.g.
// StreamName("customer", id) is "customer-<uuid>".
func StreamName(category string, id uuid.UUID) string { return category + "-" + id.String() }

// ParseStream returns the aggregate id of a stream named by
// [StreamName] for category; any other name is invalid.
func ParseStream(category, stream string) (uuid.UUID, error) {
	rest, ok := strings.CutPrefix(stream, category+"-")
	id, err := uuid.Parse(rest)
	// Only the canonical form: 36 characters (Parse checks the hyphens'
	// places), lower-case.
	if !ok || err != nil || len(rest) != 36 || strings.ToLower(rest) != rest || id == uuid.Nil {
		return uuid.Nil, Invalid("stream", "must be "+category+"-<uuid>", stream)
	}
	return id, nil
}
