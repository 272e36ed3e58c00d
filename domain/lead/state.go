package lead

import "github.com/ledgerline/ledgerline/domain"

// Status is where a lead is in the funnel.
type Status string

// The statuses; the zero Status means "not captured".
const (
	StatusCaptured     Status = "captured"
	StatusQualified    Status = "qualified"
	StatusDisqualified Status = "disqualified"
	StatusConverted    Status = "converted"
)

// State is a lead as its events left it.
type State struct {
	// Version is the stream version of the last applied event.
	Version uint64
	// Status is the funnel status, "" before capture.
	Status Status
	// Captured is the capture event (source channel and campaign).
	Captured Captured
	// Customer is the customer the lead converted into.
	Customer Converted
}

var _ domain.State = (*State)(nil)

// Apply implements domain.State.
func (s *State) Apply(r domain.Recorded) {
	s.Version = r.Version
	switch e := r.Event.(type) {
	case Captured:
		s.Status, s.Captured = StatusCaptured, e
	case Qualified:
		s.Status = StatusQualified
	case Disqualified:
		s.Status = StatusDisqualified
	case Converted:
		s.Status, s.Customer = StatusConverted, e
	}
}
