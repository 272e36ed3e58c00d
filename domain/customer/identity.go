package customer

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/country"
	"github.com/ledgerline/ledgerline/domain/date"
)

// Kind tells a person from a company (any counterparty that is not a
// natural person).
type Kind string

// The kinds of customer.
const (
	Person  Kind = "person"
	Company Kind = "company"
)

// Validate reports whether k is person or company (field "kind").
func (k Kind) Validate() error { return domain.OneOf("kind", k, []Kind{Person, Company}) }

// Gender is a person's gender as they state it.
type Gender string

// The genders; Undisclosed records that the person declined to say.
const (
	Female      Gender = "female"
	Male        Gender = "male"
	Diverse     Gender = "diverse"
	Undisclosed Gender = "undisclosed"
)

// Validate reports whether g is a known gender (field "gender").
func (g Gender) Validate() error {
	return domain.OneOf("gender", g, []Gender{Female, Male, Diverse, Undisclosed})
}

// Registered records a new customer. Name, contact details and tax id are
// personal data.
type Registered struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Kind       Kind      `json:"kind"`
	// Name is a person's full name or a company's legal name.
	Name string `json:"name"`
	contact.Details
	// TaxID is a tax or company registration number, e.g. a VAT id.
	TaxID string `json:"tax_id,omitempty"`
	// SourceSystem and SourceID name the record this customer was
	// imported from, e.g. "cdnow" and "00004".
	SourceSystem string `json:"source_system,omitempty"`
	SourceID     string `json:"source_id,omitempty"`
	// SampleIndex is the customer's index in an imported sample (CDNOW's
	// 1/10 sample numbers customers from 1); 0 means none.
	SampleIndex int `json:"sample_index,omitempty"`
}

// EventType implements domain.Event.
func (Registered) EventType() string { return "customer.registered" }

func (e Registered) validate() error {
	return errors.Join(
		domain.RequireID("customer_id", e.CustomerID),
		e.Kind.Validate(),
		domain.RequireText("name", e.Name, maxShort),
		e.Details.Validate(),
		domain.LimitText("tax_id", e.TaxID, 50),
		e.validateSource())
}

func (e Registered) validateSource() error {
	switch {
	case e.SourceSystem != "" && e.SourceID == "":
		return domain.Invalid("source_id", "is required with source_system", nil)
	case e.SourceID != "" && e.SourceSystem == "":
		return domain.Invalid("source_system", "is required with source_id", nil)
	case e.SampleIndex < 0:
		return domain.Invalid("sample_index", "must not be negative", e.SampleIndex)
	case e.SampleIndex > 0 && e.SourceSystem == "":
		return domain.Invalid("sample_index", "requires source_system", e.SampleIndex)
	}
	return errors.Join(domain.LimitText("source_system", e.SourceSystem, maxID), domain.LimitText("source_id", e.SourceID, maxID))
}

func (e Registered) apply(s *State, at time.Time) {
	s.ID, s.Registered, s.RegisteredAt = e.CustomerID, true, at
	s.Kind, s.Name, s.TaxID, s.Contact = e.Kind, e.Name, e.TaxID, e.Details
}

// ContactDetailsChanged replaces a customer's contact details in full.
// Every field is personal data.
type ContactDetailsChanged struct {
	contact.Details
}

// EventType implements domain.Event.
func (ContactDetailsChanged) EventType() string { return "customer.contact_details_changed" }

func (e ContactDetailsChanged) apply(s *State, _ time.Time) { s.Contact = e.Details }

// Profile holds the attributes segments are built on. Birth date and
// gender are personal data and only a person has them.
type Profile struct {
	BirthDate date.Date    `json:"birth_date,omitzero"`
	Gender    Gender       `json:"gender,omitempty"`
	Country   country.Code `json:"country,omitempty"`
	// Industry is a company's (or a person's) line of business.
	Industry string `json:"industry,omitempty"`
}

// IsZero reports whether no attribute is set.
func (p Profile) IsZero() bool { return p == Profile{} }

// validate checks p for a customer of kind k at time at: a birth date
// between 1900-01-01 and the day of at.
func (p Profile) validate(k Kind, at time.Time) error {
	var birth, gender, land error
	switch {
	case p.BirthDate.IsZero():
	case k != Person:
		birth = domain.Invalid("birth_date", "only a person has a birth date", p.BirthDate.String())
	case p.BirthDate.Before(date.New(1900, 1, 1)) || p.BirthDate.After(date.Of(at)):
		birth = domain.Invalid("birth_date", "must be between 1900-01-01 and today", p.BirthDate.String())
	}
	if p.Gender != "" {
		gender = p.Gender.Validate()
		if gender == nil && k != Person {
			gender = domain.Invalid("gender", "only a person has a gender", string(p.Gender))
		}
	}
	if p.Country != "" {
		land = p.Country.Validate()
	}
	return errors.Join(birth, gender, land, domain.LimitText("industry", p.Industry, maxShort))
}

// ProfileAttributesChanged replaces a customer's profile attributes in
// full; unset attributes are cleared.
type ProfileAttributesChanged struct {
	Profile
}

// EventType implements domain.Event.
func (ProfileAttributesChanged) EventType() string { return "customer.profile_attributes_changed" }

func (e ProfileAttributesChanged) apply(s *State, _ time.Time) { s.Profile = e.Profile }

// AccountManagerAssigned records the employee now in charge of the
// customer.
type AccountManagerAssigned struct {
	Employee string `json:"employee"`
}

// EventType implements domain.Event.
func (AccountManagerAssigned) EventType() string { return "customer.account_manager_assigned" }

func (e AccountManagerAssigned) apply(s *State, _ time.Time) { s.AccountManager = e.Employee }

// TagsSet replaces the customer's tags (segments assigned by hand); Tags
// is sorted and holds no duplicates, and empty clears them.
type TagsSet struct {
	Tags []string `json:"tags"`
}

// EventType implements domain.Event.
func (TagsSet) EventType() string { return "customer.tags_set" }

func (e TagsSet) apply(s *State, _ time.Time) { s.Tags = e.Tags }

// KeyAccountFlagged records that the customer became a key account.
type KeyAccountFlagged struct {
	Reason   string `json:"reason"`
	Employee string `json:"employee"`
}

// EventType implements domain.Event.
func (KeyAccountFlagged) EventType() string { return "customer.key_account_flagged" }

func (KeyAccountFlagged) apply(s *State, _ time.Time) { s.KeyAccount = true }

// KeyAccountUnflagged records that the customer is no longer a key account.
type KeyAccountUnflagged struct {
	Reason   string `json:"reason"`
	Employee string `json:"employee"`
}

// EventType implements domain.Event.
func (KeyAccountUnflagged) EventType() string { return "customer.key_account_unflagged" }

func (KeyAccountUnflagged) apply(s *State, _ time.Time) { s.KeyAccount = false }

// MergedInto records, on a duplicate's stream, that it was merged into
// customer Into; the duplicate takes no further commands but Forget.
type MergedInto struct {
	Into uuid.UUID `json:"into"`
}

// EventType implements domain.Event.
func (MergedInto) EventType() string { return "customer.merged_into" }

func (e MergedInto) apply(s *State, _ time.Time) { s.MergedInto = e.Into }

// MergedFrom records, on the surviving customer's stream, that duplicate
// From was merged into it; read models fold the duplicate's history in.
type MergedFrom struct {
	From uuid.UUID `json:"from"`
}

// EventType implements domain.Event.
func (MergedFrom) EventType() string { return "customer.merged_from" }

func (e MergedFrom) apply(s *State, _ time.Time) { s.MergedFrom = append(s.MergedFrom, e.From) }

// Forgotten records a GDPR erasure: the customer's personal data is to be
// made unreadable (its key destroyed) and the customer takes no further
// commands.
type Forgotten struct {
	Reason      string `json:"reason"`
	RequestedBy string `json:"requested_by,omitempty"`
}

// EventType implements domain.Event.
func (Forgotten) EventType() string { return "customer.forgotten" }

func (Forgotten) apply(s *State, _ time.Time) {
	s.Forgotten = true
	s.Name, s.TaxID, s.Contact = "", "", contact.Details{}
	s.Profile.BirthDate, s.Profile.Gender = date.Date{}, ""
}
