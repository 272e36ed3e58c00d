package postgres

import (
	"strings"
)

// brief shortens a statement for an error message: the timeline's
// 64-row INSERT would otherwise fill a screen.
func brief(query string) string {
	const limit = 72
	q := strings.Join(strings.Fields(query), " ")
	if len(q) <= limit {
		return q
	}
	return strings.ToValidUTF8(q[:limit], "") + "…"
}
