package lead

import (
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/contact"
)

// Capture records a new lead; it needs a name and an e-mail or a phone.
type Capture struct {
	LeadID uuid.UUID `json:"lead_id"`
	Name   string    `json:"name"`
	contact.Details
	Company    string          `json:"company,omitempty"`
	Channel    channel.Channel `json:"channel"`
	CampaignID uuid.UUID       `json:"campaign_id,omitzero"`
	Source     string          `json:"source,omitempty"`
}

// Qualify marks a captured lead as qualified.
type Qualify struct {
	LeadID   uuid.UUID `json:"lead_id"`
	Employee string    `json:"employee"`
	Note     string    `json:"note,omitempty"`
}

// Disqualify drops a captured or qualified lead.
type Disqualify struct {
	LeadID   uuid.UUID `json:"lead_id"`
	Reason   string    `json:"reason"`
	Employee string    `json:"employee"`
}

// Convert records that a qualified lead became a customer.
type Convert struct {
	LeadID     uuid.UUID `json:"lead_id"`
	CustomerID uuid.UUID `json:"customer_id"`
}

var (
	_ domain.Command[*State] = Capture{}
	_ domain.Command[*State] = Qualify{}
	_ domain.Command[*State] = Disqualify{}
	_ domain.Command[*State] = Convert{}
)

// Stream implements domain.Command.
func (c Capture) Stream() string { return Stream(c.LeadID) }

// Stream implements domain.Command.
func (c Qualify) Stream() string { return Stream(c.LeadID) }

// Stream implements domain.Command.
func (c Disqualify) Stream() string { return Stream(c.LeadID) }

// Stream implements domain.Command.
func (c Convert) Stream() string { return Stream(c.LeadID) }

// Decide implements domain.Command: ErrAlreadyExists for a captured lead.
func (c Capture) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	if s.Status != "" {
		return nil, domain.AlreadyExists("lead_id", "lead is already captured", c.LeadID)
	}
	e := Captured(c)
	var reach error
	if e.Email == "" && e.Phone == "" {
		reach = domain.Invalid("email", "an e-mail or a phone is required", nil)
	}
	err := errors.Join(
		domain.RequireID("lead_id", e.LeadID),
		domain.RequireText("name", e.Name, 200),
		e.Details.Validate(), reach,
		domain.LimitText("company", e.Company, 200),
		e.Channel.Validate(),
		domain.LimitText("source", e.Source, 500))
	return domain.Decision(err, e)
}

// Decide implements domain.Command: only a captured lead is qualified.
func (c Qualify) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	err := domain.FirstError(s.in(StatusCaptured), errors.Join(
		domain.RequireText("employee", c.Employee, 100),
		domain.LimitText("note", c.Note, 4000)))
	return domain.Decision(err, Qualified{Employee: c.Employee, Note: c.Note})
}

// Decide implements domain.Command: a captured or qualified lead is
// disqualified.
func (c Disqualify) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	err := domain.FirstError(s.in(StatusCaptured, StatusQualified), errors.Join(
		domain.RequireText("reason", c.Reason, 500),
		domain.RequireText("employee", c.Employee, 100)))
	return domain.Decision(err, Disqualified{Reason: c.Reason, Employee: c.Employee})
}

// Decide implements domain.Command: only a qualified lead converts.
func (c Convert) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	err := domain.FirstError(s.in(StatusQualified), domain.RequireID("customer_id", c.CustomerID))
	return domain.Decision(err, Converted{CustomerID: c.CustomerID})
}

// in returns nil if the lead's status is one of want: ErrNotFound before
// capture, ErrState in any other status.
func (s *State) in(want ...Status) error {
	switch {
	case s.Status == "":
		return domain.NotFound("lead_id", "lead is not captured", nil)
	case !slices.Contains(want, s.Status):
		return domain.Conflict("status", "lead must be "+joinStatus(want), string(s.Status))
	}
	return nil
}

func joinStatus(ss []Status) string {
	out := string(ss[0])
	for _, s := range ss[1:] {
		out += " or " + string(s)
	}
	return out
}
