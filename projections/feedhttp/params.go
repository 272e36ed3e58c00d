package feedhttp

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Query parameters and the header a client positions the feed with.
const (
	ParamType         = "type"
	ParamStreamPrefix = "stream_prefix"
	ParamAfter        = "after"
	HeaderLastEventID = "Last-Event-ID"
)

// request is what a client asked for: events after a position that pass
// a filter.
type request struct {
	after  uint64
	filter eventstore.Filter
}

// paramError is a parameter that breaks a rule.
type paramError struct {
	name, value, rule string
}

// Error implements error.
func (e *paramError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.name, e.value, e.rule)
}

// parse reads r's parameters; known, when not empty, are the event types
// a type parameter may name.
func parse(r *http.Request, known []string) (request, error) {
	q := r.URL.Query()
	if err := onlyKnownParams(q); err != nil {
		return request{}, err
	}
	var req request
	var err error
	if req.filter.Types, err = types(q[ParamType], known); err != nil {
		return request{}, err
	}
	if req.filter.StreamPrefixes, err = prefixes(q[ParamStreamPrefix]); err != nil {
		return request{}, err
	}
	if req.after, err = position("query parameter "+ParamAfter, q[ParamAfter]); err != nil {
		return request{}, err
	}
	if id := r.Header.Get(HeaderLastEventID); id != "" {
		req.after, err = position("header "+HeaderLastEventID, []string{id})
	}
	return req, err
}

func onlyKnownParams(q url.Values) error {
	for name := range q {
		if name != ParamType && name != ParamStreamPrefix && name != ParamAfter {
			return &paramError{name: "query parameter " + name, value: q.Get(name),
				rule: "unknown parameter; want type, stream_prefix or after"}
		}
	}
	return nil
}

// types reads the type parameters: repeated, comma-separated or both.
func types(values, known []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for t := range strings.SplitSeq(v, ",") {
			t = strings.TrimSpace(t)
			switch {
			case t == "":
				return nil, &paramError{name: "query parameter " + ParamType, value: v,
					rule: "an event type must not be empty (e.g. customer.purchase_recorded)"}
			case len(known) > 0 && !slices.Contains(known, t):
				return nil, &paramError{name: "query parameter " + ParamType, value: t,
					rule: "not an event type; known types: " + strings.Join(known, ", ")}
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// prefixes reads the stream_prefix parameters, one prefix each.
func prefixes(values []string) ([]string, error) {
	for _, v := range values {
		if v == "" {
			return nil, &paramError{name: "query parameter " + ParamStreamPrefix, value: v,
				rule: "a stream prefix must not be empty (e.g. customer-)"}
		}
	}
	return values, nil
}

// position reads a global position given at most once; none means 0.
func position(name string, values []string) (uint64, error) {
	switch {
	case len(values) == 0:
		return 0, nil
	case len(values) > 1:
		return 0, &paramError{name: name, value: strings.Join(values, ","), rule: "give it once"}
	}
	p, err := strconv.ParseUint(strings.TrimSpace(values[0]), 10, 64)
	if err != nil {
		return 0, &paramError{name: name, value: values[0],
			rule: "want a global position: an unsigned integer such as 1234 (0 is the start of the log)"}
	}
	return p, nil
}
