package kurrenttest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

// defaultSearchWindow is the search window KurrentDB uses when a filter
// names none: a filtered subscription reports a checkpoint every window ×
// multiplier events it looked at.
const defaultSearchWindow = 32

// filter is a server-side filter of $all: prefixes or a regular
// expression, on the stream name or the event type. KurrentDB evaluates
// .NET regular expressions; the test server uses Go's RE2 syntax, which
// agrees on the common subset.
type filter struct {
	onType   bool
	prefixes []string
	re       *regexp.Regexp
	// checkpointEvery is how many events the subscription looks at
	// between two checkpoints.
	checkpointEvery int
}

// compileFilter returns the filter of o, or nil when o asks for none.
func compileFilter(o *api.ReadReq_Options_FilterOptions) (*filter, error) {
	if o == nil {
		return nil, nil
	}
	expr := o.GetStreamIdentifier()
	f := &filter{checkpointEvery: defaultSearchWindow * int(max(o.GetCheckpointIntervalMultiplier(), 1))}
	if w := o.GetMax(); w > 0 {
		f.checkpointEvery = int(w) * int(max(o.GetCheckpointIntervalMultiplier(), 1))
	}
	if et := o.GetEventType(); et != nil {
		expr, f.onType = et, true
	}
	if expr == nil {
		return nil, fmt.Errorf("filter names neither stream identifier nor event type")
	}
	f.prefixes = expr.GetPrefix()
	if expr.GetRegex() != "" {
		re, err := regexp.Compile(expr.GetRegex())
		if err != nil {
			return nil, fmt.Errorf("filter regex: %w", err)
		}
		f.re = re
	}
	return f, nil
}

// match reports whether e passes f; a nil filter passes everything.
func (f *filter) match(e *event) bool {
	if f == nil {
		return true
	}
	subject := e.stream
	if f.onType {
		subject = e.typ
	}
	if f.re != nil {
		return f.re.MatchString(subject)
	}
	return slices.ContainsFunc(f.prefixes, func(p string) bool { return strings.HasPrefix(subject, p) })
}
