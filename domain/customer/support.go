package customer

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
)

// ComplaintFiled records a complaint, optionally about a purchase.
type ComplaintFiled struct {
	ComplaintID string          `json:"complaint_id"`
	Channel     channel.Channel `json:"channel"`
	Topic       string          `json:"topic"`
	// Description is free text and may hold personal data.
	Description string `json:"description,omitempty"`
	PurchaseID  string `json:"purchase_id,omitempty"`
}

// EventType implements domain.Event.
func (ComplaintFiled) EventType() string { return "customer.complaint_filed" }

func (e ComplaintFiled) apply(s *State, at time.Time) { put(&s.Complaints, e.ComplaintID, at) }

// FileComplaint records a complaint.
type FileComplaint struct {
	CustomerID  uuid.UUID       `json:"customer_id"`
	ComplaintID string          `json:"complaint_id"`
	Channel     channel.Channel `json:"channel"`
	Topic       string          `json:"topic"`
	Description string          `json:"description,omitempty"`
	PurchaseID  string          `json:"purchase_id,omitempty"`
}

// Stream implements domain.Command.
func (c FileComplaint) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: a new complaint id; a purchase, if
// named, must be recorded.
func (c FileComplaint) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	e := ComplaintFiled{ComplaintID: c.ComplaintID, Channel: c.Channel, Topic: c.Topic,
		Description: c.Description, PurchaseID: c.PurchaseID}
	fields := errors.Join(domain.RequireText("complaint_id", e.ComplaintID, maxID), e.Channel.Validate(),
		domain.RequireText("topic", e.Topic, maxShort), domain.LimitText("description", e.Description, maxLong),
		domain.LimitText("purchase_id", e.PurchaseID, maxID))
	_, dup := s.Complaints[e.ComplaintID]
	err := domain.FirstError(s.live(), fields, newID("complaint_id", e.ComplaintID, dup), s.knownPurchase(e.PurchaseID))
	return domain.Decision(err, e)
}

// Priority is a support case's urgency.
type Priority string

// The priorities.
const (
	Low    Priority = "low"
	Normal Priority = "normal"
	High   Priority = "high"
	Urgent Priority = "urgent"
)

// Validate reports whether p is a known priority (field "priority").
func (p Priority) Validate() error {
	return domain.OneOf("priority", p, []Priority{Low, Normal, High, Urgent})
}

// SupportCaseOpened records a new support case, maybe for a complaint.
type SupportCaseOpened struct {
	CaseID  string          `json:"case_id"`
	Channel channel.Channel `json:"channel"`
	Subject string          `json:"subject"`
	// Description is free text and may hold personal data.
	Description string   `json:"description,omitempty"`
	Priority    Priority `json:"priority"`
	ComplaintID string   `json:"complaint_id,omitempty"`
}

// EventType implements domain.Event.
func (SupportCaseOpened) EventType() string { return "customer.support_case_opened" }

func (e SupportCaseOpened) apply(s *State, at time.Time) {
	put(&s.SupportCases, e.CaseID, SupportCase{OpenedAt: at})
}

// OpenSupportCase opens a support case; an empty Priority means normal.
type OpenSupportCase struct {
	CustomerID  uuid.UUID       `json:"customer_id"`
	CaseID      string          `json:"case_id"`
	Channel     channel.Channel `json:"channel"`
	Subject     string          `json:"subject"`
	Description string          `json:"description,omitempty"`
	Priority    Priority        `json:"priority,omitempty"`
	ComplaintID string          `json:"complaint_id,omitempty"`
}

// Stream implements domain.Command.
func (c OpenSupportCase) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: a new case id; a complaint, if named,
// must be filed.
func (c OpenSupportCase) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	e := SupportCaseOpened{CaseID: c.CaseID, Channel: c.Channel, Subject: c.Subject,
		Description: c.Description, Priority: c.Priority, ComplaintID: c.ComplaintID}
	if e.Priority == "" {
		e.Priority = Normal
	}
	fields := errors.Join(domain.RequireText("case_id", e.CaseID, maxID), e.Channel.Validate(),
		domain.RequireText("subject", e.Subject, maxShort), domain.LimitText("description", e.Description, maxLong),
		e.Priority.Validate(), domain.LimitText("complaint_id", e.ComplaintID, maxID))
	_, dup := s.SupportCases[e.CaseID]
	_, filed := s.Complaints[e.ComplaintID]
	var complaint error
	if e.ComplaintID != "" && !filed {
		complaint = domain.Conflict("complaint_id", "no such complaint", e.ComplaintID)
	}
	err := domain.FirstError(s.live(), fields, newID("case_id", e.CaseID, dup), complaint)
	return domain.Decision(err, e)
}

// SupportCaseResolved records how a case was resolved; the resolution
// note is what staff search as a knowledge base.
type SupportCaseResolved struct {
	CaseID     string `json:"case_id"`
	Resolution string `json:"resolution"`
	Employee   string `json:"employee"`
}

// EventType implements domain.Event.
func (SupportCaseResolved) EventType() string { return "customer.support_case_resolved" }

func (e SupportCaseResolved) apply(s *State, _ time.Time) {
	c := s.SupportCases[e.CaseID]
	c.Resolved = true
	put(&s.SupportCases, e.CaseID, c)
}

// ResolveSupportCase resolves an open case with a resolution note.
type ResolveSupportCase struct {
	CustomerID uuid.UUID `json:"customer_id"`
	CaseID     string    `json:"case_id"`
	Resolution string    `json:"resolution"`
	Employee   string    `json:"employee"`
}

// Stream implements domain.Command.
func (c ResolveSupportCase) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: the case must be open.
func (c ResolveSupportCase) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	fields := errors.Join(domain.RequireText("case_id", c.CaseID, maxID),
		domain.RequireText("resolution", c.Resolution, maxLong), domain.RequireText("employee", c.Employee, maxID))
	var open error
	switch sc, ok := s.SupportCases[c.CaseID]; {
	case !ok:
		open = domain.Conflict("case_id", "no such support case", c.CaseID)
	case sc.Resolved:
		open = domain.Conflict("case_id", "support case is already resolved", c.CaseID)
	}
	err := domain.FirstError(s.live(), fields, open)
	return domain.Decision(err, SupportCaseResolved{CaseID: c.CaseID, Resolution: c.Resolution, Employee: c.Employee})
}

// newID returns an error if an id is taken within the customer.
func newID(field, id string, taken bool) error {
	if taken {
		return domain.Conflict(field, "is already used", id)
	}
	return nil
}
