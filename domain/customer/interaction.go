package customer

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
)

// InteractionLogged records a contact with the customer on any channel.
type InteractionLogged struct {
	Channel   channel.Channel   `json:"channel"`
	Direction channel.Direction `json:"direction"`
	// Topic is what the contact was about; Outcome how it ended.
	Topic   string `json:"topic"`
	Outcome string `json:"outcome,omitempty"`
	// Employee is who handled the contact; required for outbound ones.
	Employee string `json:"employee,omitempty"`
	// CampaignID is the campaign the contact belongs to, if any.
	CampaignID uuid.UUID `json:"campaign_id,omitzero"`
	// Note is free text and may hold personal data.
	Note string `json:"note,omitempty"`
}

// EventType implements domain.Event.
func (InteractionLogged) EventType() string { return "customer.interaction_logged" }

func (e InteractionLogged) validate() error {
	var employee error
	if e.Direction == channel.Outbound {
		employee = domain.RequireText("employee", e.Employee, maxID)
	}
	return errors.Join(e.Channel.Validate(), e.Direction.Validate(),
		domain.RequireText("topic", e.Topic, maxShort), domain.LimitText("outcome", e.Outcome, maxShort),
		domain.LimitText("employee", e.Employee, maxID), employee, domain.LimitText("note", e.Note, maxLong))
}

// apply counts an outbound contact, unless a campaign targeting already
// counted it.
func (e InteractionLogged) apply(s *State, at time.Time) {
	if _, targeted := s.Campaigns[e.CampaignID]; e.Direction == channel.Outbound && !targeted {
		s.Outbound = append(s.Outbound, at)
	}
}

// LogInteraction records a contact with the customer.
type LogInteraction struct {
	CustomerID uuid.UUID         `json:"customer_id"`
	Channel    channel.Channel   `json:"channel"`
	Direction  channel.Direction `json:"direction"`
	Topic      string            `json:"topic"`
	Outcome    string            `json:"outcome,omitempty"`
	Employee   string            `json:"employee,omitempty"`
	CampaignID uuid.UUID         `json:"campaign_id,omitzero"`
	Note       string            `json:"note,omitempty"`
}

// Stream implements domain.Command.
func (c LogInteraction) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: an outbound contact names its
// employee.
func (c LogInteraction) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	e := InteractionLogged{Channel: c.Channel, Direction: c.Direction, Topic: c.Topic, Outcome: c.Outcome,
		Employee: c.Employee, CampaignID: c.CampaignID, Note: c.Note}
	return domain.Decision(domain.FirstError(s.live(), e.validate()), e)
}

// RatingGiven records a rating of 1 to 5 stars.
type RatingGiven struct {
	Stars int `json:"stars"`
	// Subject is what was rated, e.g. a purchase id or "support".
	Subject string `json:"subject,omitempty"`
	// Comment is free text and may hold personal data.
	Comment string `json:"comment,omitempty"`
}

// EventType implements domain.Event.
func (RatingGiven) EventType() string { return "customer.rating_given" }

// GiveRating records a customer's rating.
type GiveRating struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Stars      int       `json:"stars"`
	Subject    string    `json:"subject,omitempty"`
	Comment    string    `json:"comment,omitempty"`
}

// Stream implements domain.Command.
func (c GiveRating) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: stars from 1 to 5.
func (c GiveRating) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	var stars error
	if c.Stars < 1 || c.Stars > 5 {
		stars = domain.Invalid("stars", "must be 1 to 5", c.Stars)
	}
	err := domain.FirstError(s.live(), errors.Join(stars,
		domain.LimitText("subject", c.Subject, maxShort), domain.LimitText("comment", c.Comment, maxLong)))
	return domain.Decision(err, RatingGiven{Stars: c.Stars, Subject: c.Subject, Comment: c.Comment})
}

// SurveyAnswered records an answer to a survey: the net promoter score
// (0 to 10: "how likely are you to recommend us?") and a comment.
type SurveyAnswered struct {
	SurveyID string `json:"survey_id"`
	NPS      int    `json:"nps"`
	// Comment is free text and may hold personal data.
	Comment string `json:"comment,omitempty"`
}

// EventType implements domain.Event.
func (SurveyAnswered) EventType() string { return "customer.survey_answered" }

func (e SurveyAnswered) apply(s *State, at time.Time) { put(&s.Surveys, e.SurveyID, at) }

// AnswerSurvey records a customer's survey answer; NPS is required.
type AnswerSurvey struct {
	CustomerID uuid.UUID `json:"customer_id"`
	SurveyID   string    `json:"survey_id"`
	NPS        *int      `json:"nps"`
	Comment    string    `json:"comment,omitempty"`
}

// Stream implements domain.Command.
func (c AnswerSurvey) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: NPS 0 to 10, one answer per survey.
func (c AnswerSurvey) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	var nps, again error
	switch {
	case c.NPS == nil:
		nps = domain.Invalid("nps", "is required", nil)
	case *c.NPS < 0 || *c.NPS > 10:
		nps = domain.Invalid("nps", "must be 0 to 10", *c.NPS)
	}
	if _, ok := s.Surveys[c.SurveyID]; ok {
		again = domain.Conflict("survey_id", "survey is already answered", c.SurveyID)
	}
	err := domain.FirstError(s.live(), errors.Join(domain.RequireText("survey_id", c.SurveyID, maxID), nps,
		domain.LimitText("comment", c.Comment, maxLong)), again)
	if err != nil {
		return nil, err
	}
	return []domain.Event{SurveyAnswered{SurveyID: c.SurveyID, NPS: *c.NPS, Comment: c.Comment}}, nil
}
