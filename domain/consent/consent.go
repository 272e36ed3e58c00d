package consent

import (
	"errors"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
)

// Purpose is what a contact is for, encoded as its snake_case name.
type Purpose string

// The purposes of the v1 catalogue.
const (
	Marketing  Purpose = "marketing"   // offers, promotions and campaigns
	Newsletter Purpose = "newsletter"  // regular news
	Surveys    Purpose = "surveys"     // satisfaction and NPS surveys
	Profiling  Purpose = "profiling"   // analysing behaviour to personalise offers
	ThirdParty Purpose = "third_party" // sharing contact data with partners
)

// Purposes returns every purpose.
func Purposes() []Purpose { return []Purpose{Marketing, Newsletter, Surveys, Profiling, ThirdParty} }

// ParsePurpose returns s as a Purpose if it names one.
func ParsePurpose(s string) (Purpose, error) {
	p := Purpose(s)
	return p, p.Validate()
}

// Validate reports whether p is a known purpose (field "purpose").
func (p Purpose) Validate() error { return domain.OneOf("purpose", p, Purposes()) }

// Scope is one consent decision: a purpose on a channel.
type Scope struct {
	Channel channel.Channel `json:"channel"`
	Purpose Purpose         `json:"purpose"`
}

// Validate checks both parts of s.
func (s Scope) Validate() error {
	return errors.Join(s.Channel.Validate(), s.Purpose.Validate())
}
