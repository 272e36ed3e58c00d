package customer

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/campaign"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
)

// CampaignTargeted records that a campaign contacted the customer on a
// channel for a consent purpose; it counts as an outbound contact.
type CampaignTargeted struct {
	CampaignID uuid.UUID `json:"campaign_id"`
	consent.Scope
}

// EventType implements domain.Event.
func (CampaignTargeted) EventType() string { return "customer.campaign_targeted" }

func (e CampaignTargeted) apply(s *State, at time.Time) {
	put(&s.Campaigns, e.CampaignID, e.Scope)
	s.Outbound = append(s.Outbound, at)
}

// SkipReason says why a campaign left a customer out.
type SkipReason string

// The reasons to skip a customer.
const (
	NoConsent    SkipReason = "no_consent"    // no consent for the campaign's purpose on its channel
	FrequencyCap SkipReason = "frequency_cap" // contacted too often within the cap's window
)

// CampaignSkipped records that a campaign left the customer out, and why.
type CampaignSkipped struct {
	CampaignID uuid.UUID       `json:"campaign_id"`
	Channel    channel.Channel `json:"channel"`
	Reason     SkipReason      `json:"reason"`
}

// EventType implements domain.Event.
func (CampaignSkipped) EventType() string { return "customer.campaign_skipped" }

// Response is how a customer reacted to a campaign.
type Response string

// The responses; Unsubscribed also withdraws the consent the campaign
// relied on.
const (
	Opened       Response = "opened"
	Clicked      Response = "clicked"
	Replied      Response = "replied"
	Converted    Response = "converted"
	Rejected     Response = "rejected"
	Unsubscribed Response = "unsubscribed"
)

// Validate reports whether r is a known response (field "response").
func (r Response) Validate() error {
	return domain.OneOf("response", r, []Response{Opened, Clicked, Replied, Converted, Rejected, Unsubscribed})
}

// CampaignResponded records the customer's response to a campaign that
// targeted them.
type CampaignResponded struct {
	CampaignID uuid.UUID       `json:"campaign_id"`
	Response   Response        `json:"response"`
	Channel    channel.Channel `json:"channel"`
}

// EventType implements domain.Event.
func (CampaignResponded) EventType() string { return "customer.campaign_responded" }

// TargetCampaign contacts the customer for a campaign, with the campaign's
// channel, purpose and frequency cap (read from its campaign.State). It
// decides CampaignTargeted, or CampaignSkipped when the customer gave no
// consent for the purpose on the channel, or when the outbound contacts in
// the cap's window, up to the command's time, already reach the cap.
type TargetCampaign struct {
	CustomerID   uuid.UUID             `json:"customer_id"`
	CampaignID   uuid.UUID             `json:"campaign_id"`
	Channel      channel.Channel       `json:"channel"`
	Purpose      consent.Purpose       `json:"purpose"`
	FrequencyCap campaign.FrequencyCap `json:"frequency_cap,omitzero"`
}

// Stream implements domain.Command.
func (c TargetCampaign) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrState if the campaign already
// targeted the customer.
func (c TargetCampaign) Decide(s *State, at time.Time) ([]domain.Event, error) {
	scope := consent.Scope{Channel: c.Channel, Purpose: c.Purpose}
	var again error
	if _, ok := s.Campaigns[c.CampaignID]; ok {
		again = domain.Conflict("campaign_id", "campaign already targeted the customer", c.CampaignID)
	}
	fields := errors.Join(domain.RequireID("campaign_id", c.CampaignID), scope.Validate(),
		domain.Prefix("frequency_cap", c.FrequencyCap.Validate()))
	if err := domain.FirstError(s.live(), fields, again); err != nil {
		return nil, err
	}
	switch {
	case !s.HasConsent(scope):
		return []domain.Event{CampaignSkipped{CampaignID: c.CampaignID, Channel: c.Channel, Reason: NoConsent}}, nil
	case !c.FrequencyCap.IsZero() && s.contactsWithin(c.FrequencyCap.Window(), at) >= c.FrequencyCap.Max:
		return []domain.Event{CampaignSkipped{CampaignID: c.CampaignID, Channel: c.Channel, Reason: FrequencyCap}}, nil
	}
	return []domain.Event{CampaignTargeted{CampaignID: c.CampaignID, Scope: scope}}, nil
}

// contactsWithin counts the outbound contacts in (at-window, at].
func (s *State) contactsWithin(window time.Duration, at time.Time) int {
	n := 0
	for _, t := range s.Outbound {
		if t.After(at.Add(-window)) && !t.After(at) {
			n++
		}
	}
	return n
}

// RespondToCampaign records a response to a campaign that targeted the
// customer. Unsubscribed also withdraws the campaign's consent scope, if
// still given.
type RespondToCampaign struct {
	CustomerID uuid.UUID       `json:"customer_id"`
	CampaignID uuid.UUID       `json:"campaign_id"`
	Response   Response        `json:"response"`
	Channel    channel.Channel `json:"channel"`
}

// Stream implements domain.Command.
func (c RespondToCampaign) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrState unless the campaign targeted
// the customer.
func (c RespondToCampaign) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	scope, targeted := s.Campaigns[c.CampaignID]
	var known error
	if !targeted {
		known = domain.Conflict("campaign_id", "campaign did not target the customer", c.CampaignID)
	}
	fields := errors.Join(domain.RequireID("campaign_id", c.CampaignID), c.Response.Validate(), c.Channel.Validate())
	if err := domain.FirstError(s.live(), fields, known); err != nil {
		return nil, err
	}
	events := []domain.Event{CampaignResponded{CampaignID: c.CampaignID, Response: c.Response, Channel: c.Channel}}
	if c.Response == Unsubscribed && s.HasConsent(scope) {
		events = append(events, ConsentWithdrawn{Scope: scope, Reason: fmt.Sprintf("unsubscribed from campaign %s", c.CampaignID)})
	}
	return events, nil
}
