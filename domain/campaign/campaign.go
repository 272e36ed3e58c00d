package campaign

import (
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
)

// Category is the stream category of campaigns: streams are "campaign-<uuid>".
const Category = "campaign"

// Stream returns the stream of campaign id.
func Stream(id uuid.UUID) string { return domain.StreamName(Category, id) }

// ParseStream returns the campaign id of a stream named by [Stream].
func ParseStream(stream string) (uuid.UUID, error) { return domain.ParseStream(Category, stream) }

// Events returns the specs of every campaign event type.
func Events() []domain.EventSpec {
	return []domain.EventSpec{
		domain.Define[Defined](1, nil),
		domain.Define[Closed](1, nil),
	}
}

// Defined records a new campaign.
type Defined struct {
	CampaignID uuid.UUID       `json:"campaign_id"`
	Name       string          `json:"name"`
	Channel    channel.Channel `json:"channel"`
	// Purpose is the consent purpose a targeted customer must have given
	// on Channel.
	Purpose consent.Purpose `json:"purpose"`
	// AudienceRule describes whom to target, e.g. a segment expression.
	AudienceRule string `json:"audience_rule"`
	// Offer is what the campaign offers.
	Offer    string    `json:"offer"`
	StartsAt time.Time `json:"starts_at"`
	// EndsAt is the end of the campaign, exclusive; zero means open-ended.
	EndsAt       time.Time    `json:"ends_at,omitzero"`
	FrequencyCap FrequencyCap `json:"frequency_cap,omitzero"`
}

// EventType implements domain.Event.
func (Defined) EventType() string { return "campaign.defined" }

// Closed records that a campaign ended before or at its planned end.
type Closed struct {
	Reason string `json:"reason"`
}

// EventType implements domain.Event.
func (Closed) EventType() string { return "campaign.closed" }

// FrequencyCap limits how often any customer is contacted: at most Max
// outbound contacts, on any channel, within the last WindowDays days. The
// zero cap means no limit.
type FrequencyCap struct {
	Max        int `json:"max"`
	WindowDays int `json:"window_days"`
}

// IsZero reports whether c sets no limit.
func (c FrequencyCap) IsZero() bool { return c == FrequencyCap{} }

// Window returns the cap's rolling window.
func (c FrequencyCap) Window() time.Duration { return time.Duration(c.WindowDays) * 24 * time.Hour }

// Validate checks that Max and WindowDays are both zero or both positive
// (fields "max" and "window_days").
func (c FrequencyCap) Validate() error {
	switch {
	case c.IsZero():
		return nil
	case c.Max < 1:
		return domain.Invalid("max", "must be positive", c.Max)
	case c.WindowDays < 1 || c.WindowDays > 3660:
		return domain.Invalid("window_days", "must be 1 to 3660", c.WindowDays)
	}
	return nil
}
