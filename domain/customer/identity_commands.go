package customer

import (
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/contact"
)

// Register registers a new customer; a non-zero Profile also records its
// attributes (a second event, ProfileAttributesChanged).
type Register struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Kind       Kind      `json:"kind"`
	Name       string    `json:"name"`
	contact.Details
	TaxID        string  `json:"tax_id,omitempty"`
	SourceSystem string  `json:"source_system,omitempty"`
	SourceID     string  `json:"source_id,omitempty"`
	SampleIndex  int     `json:"sample_index,omitempty"`
	Profile      Profile `json:"profile,omitzero"`
}

// Stream implements domain.Command.
func (c Register) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrAlreadyExists if the customer was
// ever registered (even if forgotten since).
func (c Register) Decide(s *State, at time.Time) ([]domain.Event, error) {
	if s.Registered {
		return nil, domain.AlreadyExists("customer_id", "customer is already registered", c.CustomerID)
	}
	e := Registered{CustomerID: c.CustomerID, Kind: c.Kind, Name: c.Name, Details: c.Details, TaxID: c.TaxID,
		SourceSystem: c.SourceSystem, SourceID: c.SourceID, SampleIndex: c.SampleIndex}
	if err := errors.Join(e.validate(), domain.Prefix("profile", c.Profile.validate(c.Kind, at))); err != nil {
		return nil, err
	}
	if c.Profile.IsZero() {
		return []domain.Event{e}, nil
	}
	return []domain.Event{e, ProfileAttributesChanged{Profile: c.Profile}}, nil
}

// ChangeContactDetails replaces the customer's contact details in full.
type ChangeContactDetails struct {
	CustomerID uuid.UUID `json:"customer_id"`
	contact.Details
}

// Stream implements domain.Command.
func (c ChangeContactDetails) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command; unchanged details give no events.
func (c ChangeContactDetails) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	if err := domain.FirstError(s.live(), c.Details.Validate()); err != nil || c.Details == s.Contact {
		return nil, err
	}
	return []domain.Event{ContactDetailsChanged{Details: c.Details}}, nil
}

// ChangeProfile replaces the customer's profile attributes in full.
type ChangeProfile struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Profile
}

// Stream implements domain.Command.
func (c ChangeProfile) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: birth date and gender only for a
// person; an unchanged profile gives no events.
func (c ChangeProfile) Decide(s *State, at time.Time) ([]domain.Event, error) {
	if err := domain.FirstError(s.live(), c.Profile.validate(s.Kind, at)); err != nil || c.Profile == s.Profile {
		return nil, err
	}
	return []domain.Event{ProfileAttributesChanged{Profile: c.Profile}}, nil
}

// AssignAccountManager puts an employee in charge of the customer.
type AssignAccountManager struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Employee   string    `json:"employee"`
}

// Stream implements domain.Command.
func (c AssignAccountManager) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command; the current manager gives no events.
func (c AssignAccountManager) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	err := domain.FirstError(s.live(), domain.RequireText("employee", c.Employee, maxID))
	if err != nil || c.Employee == s.AccountManager {
		return nil, err
	}
	return []domain.Event{AccountManagerAssigned{Employee: c.Employee}}, nil
}

// SetTags replaces the customer's tags: at most 50, each up to 64
// characters; duplicates are dropped and the set sorted.
type SetTags struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Tags       []string  `json:"tags"`
}

// Stream implements domain.Command.
func (c SetTags) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command; the current set gives no events.
func (c SetTags) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	tags := slices.Compact(slices.Sorted(slices.Values(c.Tags)))
	if err := domain.FirstError(s.live(), validTags(tags)); err != nil || slices.Equal(tags, s.Tags) {
		return nil, err
	}
	return []domain.Event{TagsSet{Tags: tags}}, nil
}

func validTags(tags []string) error {
	if len(tags) > 50 {
		return domain.Invalid("tags", "must be at most 50", len(tags))
	}
	var errs []error
	for _, t := range tags {
		errs = append(errs, domain.RequireText("tags", t, 64))
	}
	return errors.Join(errs...)
}

// FlagKeyAccount makes the customer a key account.
type FlagKeyAccount struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Reason     string    `json:"reason"`
	Employee   string    `json:"employee"`
}

// Stream implements domain.Command.
func (c FlagKeyAccount) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrState if already a key account.
func (c FlagKeyAccount) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	var flagged error
	if s.KeyAccount {
		flagged = domain.Conflict("key_account", "customer is already a key account", true)
	}
	err := domain.FirstError(s.live(), validReason(c.Reason, c.Employee), flagged)
	return domain.Decision(err, KeyAccountFlagged{Reason: c.Reason, Employee: c.Employee})
}

// UnflagKeyAccount ends the customer's key-account status.
type UnflagKeyAccount struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Reason     string    `json:"reason"`
	Employee   string    `json:"employee"`
}

// Stream implements domain.Command.
func (c UnflagKeyAccount) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrState if not a key account.
func (c UnflagKeyAccount) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	var flagged error
	if !s.KeyAccount {
		flagged = domain.Conflict("key_account", "customer is not a key account", false)
	}
	err := domain.FirstError(s.live(), validReason(c.Reason, c.Employee), flagged)
	return domain.Decision(err, KeyAccountUnflagged{Reason: c.Reason, Employee: c.Employee})
}

func validReason(reason, employee string) error {
	return errors.Join(domain.RequireText("reason", reason, maxShort), domain.RequireText("employee", employee, maxID))
}

// Merge records on a duplicate customer that it was merged into customer
// Into. The command layer appends [AcceptMerge] on Into's stream in the
// same batch.
type Merge struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Into       uuid.UUID `json:"into"`
}

// Stream implements domain.Command.
func (c Merge) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: Into must be another customer.
func (c Merge) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	err := domain.FirstError(s.live(), otherCustomer("into", c.Into, c.CustomerID))
	return domain.Decision(err, MergedInto{Into: c.Into})
}

// AcceptMerge records on the surviving customer that duplicate From was
// merged into it.
type AcceptMerge struct {
	CustomerID uuid.UUID `json:"customer_id"`
	From       uuid.UUID `json:"from"`
}

// Stream implements domain.Command.
func (c AcceptMerge) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: From must be another customer, not
// merged into this one before.
func (c AcceptMerge) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	var again error
	if slices.Contains(s.MergedFrom, c.From) {
		again = domain.Conflict("from", "duplicate is already merged into this customer", c.From)
	}
	err := domain.FirstError(s.live(), otherCustomer("from", c.From, c.CustomerID), again)
	return domain.Decision(err, MergedFrom{From: c.From})
}

func otherCustomer(field string, other, self uuid.UUID) error {
	if other == self {
		return domain.Invalid(field, "must be another customer", other)
	}
	return domain.RequireID(field, other)
}

// Forget erases the customer (GDPR). It is idempotent: on a forgotten
// customer it returns no events. It also works on a merged duplicate.
type Forget struct {
	CustomerID  uuid.UUID `json:"customer_id"`
	Reason      string    `json:"reason"`
	RequestedBy string    `json:"requested_by,omitempty"`
}

// Stream implements domain.Command.
func (c Forget) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: ErrNotFound for an unregistered
// customer.
func (c Forget) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	switch {
	case !s.Registered:
		return nil, domain.NotFound("customer_id", "customer is not registered", c.CustomerID)
	case s.Forgotten:
		return nil, nil
	}
	err := errors.Join(domain.RequireText("reason", c.Reason, maxShort), domain.LimitText("requested_by", c.RequestedBy, maxID))
	return domain.Decision(err, Forgotten{Reason: c.Reason, RequestedBy: c.RequestedBy})
}
