package campaign

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
)

// Define defines a new campaign. A zero StartsAt starts it at the
// command's time; an empty Purpose means consent.Marketing.
type Define struct {
	CampaignID   uuid.UUID       `json:"campaign_id"`
	Name         string          `json:"name"`
	Channel      channel.Channel `json:"channel"`
	Purpose      consent.Purpose `json:"purpose"`
	AudienceRule string          `json:"audience_rule"`
	Offer        string          `json:"offer"`
	StartsAt     time.Time       `json:"starts_at,omitzero"`
	EndsAt       time.Time       `json:"ends_at,omitzero"`
	FrequencyCap FrequencyCap    `json:"frequency_cap,omitzero"`
}

var _ domain.Command[*State] = Define{}

// Stream implements domain.Command.
func (c Define) Stream() string { return Stream(c.CampaignID) }

// Decide implements domain.Command: ErrAlreadyExists if the campaign
// exists; EndsAt must be after StartsAt.
func (c Define) Decide(s *State, at time.Time) ([]domain.Event, error) {
	if s.Exists() {
		return nil, domain.AlreadyExists("campaign_id", "campaign is already defined", c.CampaignID)
	}
	e := Defined(c)
	if e.StartsAt.IsZero() {
		e.StartsAt = at
	}
	if e.Purpose == "" {
		e.Purpose = consent.Marketing
	}
	if err := e.validate(); err != nil {
		return nil, err
	}
	return []domain.Event{e}, nil
}

func (e Defined) validate() error {
	var ends error
	if !e.EndsAt.IsZero() && !e.EndsAt.After(e.StartsAt) {
		ends = domain.Invalid("ends_at", "must be after starts_at", e.EndsAt)
	}
	return errors.Join(
		domain.RequireID("campaign_id", e.CampaignID),
		domain.RequireText("name", e.Name, 200),
		e.Channel.Validate(),
		e.Purpose.Validate(),
		domain.RequireText("audience_rule", e.AudienceRule, 2000),
		domain.RequireText("offer", e.Offer, 2000),
		ends,
		domain.Prefix("frequency_cap", e.FrequencyCap.Validate()))
}

// Close ends a campaign.
type Close struct {
	CampaignID uuid.UUID `json:"campaign_id"`
	Reason     string    `json:"reason"`
}

var _ domain.Command[*State] = Close{}

// Stream implements domain.Command.
func (c Close) Stream() string { return Stream(c.CampaignID) }

// Decide implements domain.Command: ErrNotFound for an unknown campaign,
// ErrState for a closed one.
func (c Close) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	switch {
	case !s.Exists():
		return nil, domain.NotFound("campaign_id", "campaign is not defined", c.CampaignID)
	case s.Closed:
		return nil, domain.Conflict("campaign_id", "campaign is already closed", c.CampaignID)
	}
	if err := domain.RequireText("reason", c.Reason, 500); err != nil {
		return nil, err
	}
	return []domain.Event{Closed{Reason: c.Reason}}, nil
}
