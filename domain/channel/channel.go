package channel

import "github.com/ledgerline/ledgerline/domain"

// Channel is a way of contact, encoded as its snake_case name.
type Channel string

// The channels of the v1 catalogue.
const (
	Phone     Channel = "phone"     // a phone call
	Email     Channel = "email"     // an e-mail
	SMS       Channel = "sms"       // a text message
	Messenger Channel = "messenger" // an instant-messaging app
	Chat      Channel = "chat"      // a live chat on the web site or app
	WebForm   Channel = "web_form"  // a form on the web site
	Social    Channel = "social"    // a social network
	Meeting   Channel = "meeting"   // a meeting or an offline event
	Fax       Channel = "fax"       // a fax
	Letter    Channel = "letter"    // a letter or a mailing by post
)

// All returns every channel, in catalogue order.
func All() []Channel {
	return []Channel{Phone, Email, SMS, Messenger, Chat, WebForm, Social, Meeting, Fax, Letter}
}

// Parse returns s as a Channel if it names one.
func Parse(s string) (Channel, error) {
	c := Channel(s)
	return c, c.Validate()
}

// Validate reports whether c is a known channel (field "channel").
func (c Channel) Validate() error { return domain.OneOf("channel", c, All()) }

// Direction says who started a contact.
type Direction string

// The two directions.
const (
	Inbound  Direction = "inbound"  // the customer contacted us
	Outbound Direction = "outbound" // we contacted the customer
)

// ParseDirection returns s as a Direction if it names one.
func ParseDirection(s string) (Direction, error) {
	d := Direction(s)
	return d, d.Validate()
}

// Validate reports whether d is inbound or outbound (field "direction").
func (d Direction) Validate() error {
	return domain.OneOf("direction", d, []Direction{Inbound, Outbound})
}
