package lead

import (
	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/contact"
)

// Category is the stream category of leads: streams are "lead-<uuid>".
const Category = "lead"

// Stream returns the stream of lead id.
func Stream(id uuid.UUID) string { return domain.StreamName(Category, id) }

// ParseStream returns the lead id of a stream named by [Stream].
func ParseStream(stream string) (uuid.UUID, error) { return domain.ParseStream(Category, stream) }

// Events returns the specs of every lead event type.
func Events() []domain.EventSpec {
	return []domain.EventSpec{
		domain.Define[Captured](1, nil),
		domain.Define[Qualified](1, nil),
		domain.Define[Disqualified](1, nil),
		domain.Define[Converted](1, nil),
	}
}

// Captured records a new lead. Name and contact details are personal data.
type Captured struct {
	LeadID uuid.UUID `json:"lead_id"`
	Name   string    `json:"name"`
	contact.Details
	// Company is the prospect's organisation, if any.
	Company string `json:"company,omitempty"`
	// Channel is the source channel the lead came through.
	Channel channel.Channel `json:"channel"`
	// CampaignID is the campaign that brought the lead, if any.
	CampaignID uuid.UUID `json:"campaign_id,omitzero"`
	// Source says where the lead came from, e.g. "trade fair 2025".
	Source string `json:"source,omitempty"`
}

// EventType implements domain.Event.
func (Captured) EventType() string { return "lead.captured" }

// Qualified records that a lead is worth pursuing.
type Qualified struct {
	Employee string `json:"employee"`
	Note     string `json:"note,omitempty"`
}

// EventType implements domain.Event.
func (Qualified) EventType() string { return "lead.qualified" }

// Disqualified records that a lead is dropped, and why.
type Disqualified struct {
	Reason   string `json:"reason"`
	Employee string `json:"employee"`
}

// EventType implements domain.Event.
func (Disqualified) EventType() string { return "lead.disqualified" }

// Converted records that a lead became customer CustomerID.
type Converted struct {
	CustomerID uuid.UUID `json:"customer_id"`
}

// EventType implements domain.Event.
func (Converted) EventType() string { return "lead.converted" }
