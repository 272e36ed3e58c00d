package contact

import (
	"errors"
	"net/mail"
	"strings"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/country"
)

// Details are the ways to reach someone. Every field is optional and
// personal data.
type Details struct {
	// Email is a bare address, e.g. "anna@example.com" (no display name).
	Email string `json:"email,omitempty"`
	// Phone is a phone number with an optional leading "+" and 5 to 15
	// digits, which may be grouped by spaces, dots, hyphens or parentheses.
	Phone string `json:"phone,omitempty"`
	// Address is the postal address.
	Address Address `json:"address,omitzero"`
}

// Address is a postal address; when set, City and Country are required.
type Address struct {
	Street     string       `json:"street,omitempty"`
	PostalCode string       `json:"postal_code,omitempty"`
	City       string       `json:"city,omitempty"`
	Region     string       `json:"region,omitempty"`
	Country    country.Code `json:"country,omitempty"`
}

// Validate checks every set field; errors name "email", "phone" or
// "address.<field>".
func (d Details) Validate() error {
	return errors.Join(validEmail(d.Email), validPhone(d.Phone), domain.Prefix("address", d.Address.Validate()))
}

// IsZero reports whether a is empty.
func (a Address) IsZero() bool { return a == Address{} }

// Validate checks a; the empty Address is valid.
func (a Address) Validate() error {
	if a.IsZero() {
		return nil
	}
	return errors.Join(
		domain.LimitText("street", a.Street, 200),
		domain.LimitText("postal_code", a.PostalCode, 20),
		domain.RequireText("city", a.City, 100),
		domain.LimitText("region", a.Region, 100),
		a.Country.Validate())
}

func validEmail(s string) error {
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || len(s) > 254 {
		return domain.Invalid("email", "must be a bare e-mail address", s)
	}
	return nil
}

func validPhone(s string) error {
	if s == "" {
		return nil
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '(' || r == ')', strings.ContainsRune(" .-", r) && i > 0:
		default:
			return domain.Invalid("phone", "may hold only digits, a leading +, spaces, dots, hyphens and parentheses", s)
		}
	}
	if digits < 5 || digits > 15 {
		return domain.Invalid("phone", "must have 5 to 15 digits", s)
	}
	return nil
}
