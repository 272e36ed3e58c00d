package feedhttp

import (
	"encoding/json"
	"net/http"
)

// ProblemContentType is the media type of an RFC 9457 problem body.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem details body. Type is "about:blank": the
// status says what kind of problem it is, Title is the status's text and
// Detail the human-readable specifics (for a bad parameter: its name, the
// value and the rule).
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// NewProblem returns the problem of an HTTP status with detail.
func NewProblem(status int, detail string) Problem {
	return Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// Write sends p as the response, with its status and content type.
func (p Problem) Write(w http.ResponseWriter) {
	body, _ := json.Marshal(p) // strings and an int: it cannot fail
	w.Header().Set("Content-Type", ProblemContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(body, '\n'))
}
