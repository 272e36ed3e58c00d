package campaign

import (
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
)

// State is a campaign as its events left it. The zero State is a campaign
// not defined yet.
type State struct {
	// Version is the stream version of the last applied event.
	Version uint64
	// Defined is the definition; its CampaignID is uuid.Nil until then.
	Defined Defined
	// Closed is set once the campaign is closed.
	Closed bool
}

var _ domain.State = (*State)(nil)

// Apply implements domain.State.
func (s *State) Apply(r domain.Recorded) {
	s.Version = r.Version
	switch e := r.Event.(type) {
	case Defined:
		s.Defined = e
	case Closed:
		s.Closed = true
	}
}

// Exists reports whether the campaign was defined.
func (s *State) Exists() bool { return s.Defined.CampaignID != uuid.Nil }

// ActiveAt reports whether the campaign runs at t: defined, not closed,
// started and not ended.
func (s *State) ActiveAt(t time.Time) bool {
	d := s.Defined
	return s.Exists() && !s.Closed && !t.Before(d.StartsAt) && (d.EndsAt.IsZero() || t.Before(d.EndsAt))
}
