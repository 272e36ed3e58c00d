package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/country"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
)

// locale holds what names, places and numbers look like in one country.
// Every e-mail domain is reserved for examples (RFC 2606) and every phone
// number is made up.
type locale struct {
	country            country.Code
	female, male, last []string
	places             []place
	// phone and taxID are patterns whose # are random digits.
	phone, taxID string
	firms        []string
}

type place struct{ street, postal, city, region string }

var locales = []locale{
	{country: "PL", female: []string{"Anna", "Katarzyna", "Magdalena", "Zofia", "Agnieszka", "Małgorzata"},
		male: []string{"Piotr", "Tomasz", "Michał", "Jakub", "Krzysztof", "Paweł"},
		last: []string{"Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Zając", "Król", "Woźniak"},
		places: []place{{"ul. Długa 12", "00-238", "Warszawa", "mazowieckie"}, {"ul. Floriańska 3", "31-019", "Kraków", "małopolskie"},
			{"ul. Piwna 45", "80-831", "Gdańsk", "pomorskie"}, {"ul. Ruska 7", "50-079", "Wrocław", "dolnośląskie"}},
		phone: "+48 6## ### ###", firms: []string{"%s Instalacje sp. z o.o.", "%s Nieruchomości S.A.", "Hotel %s sp. j."},
		taxID: "PL##########"},
	{country: "DE", female: []string{"Lena", "Sophie", "Marie", "Laura", "Jana"},
		male: []string{"Lukas", "Jonas", "Felix", "Maximilian", "Jörg"},
		last: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Groß"},
		places: []place{{"Torstraße 101", "10119", "Berlin", "Berlin"}, {"Mönckebergstraße 7", "20095", "Hamburg", "Hamburg"},
			{"Sendlinger Straße 21", "80331", "München", "Bayern"}},
		phone: "+49 151 ########", firms: []string{"%s Haustechnik GmbH", "%s Immobilien AG", "Pension %s KG"},
		taxID: "DE#########"},
	{country: "GB", female: []string{"Olivia", "Emily", "Charlotte", "Grace"},
		male: []string{"Oliver", "Harry", "George", "Jack"},
		last: []string{"Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "O'Neill"},
		places: []place{{"12 Baker Street", "NW1 6XE", "London", ""}, {"4 Deansgate", "M3 2BW", "Manchester", ""},
			{"27 Park Row", "LS1 5JL", "Leeds", ""}},
		phone: "+44 7700 9## ###", firms: []string{"%s Facilities Ltd", "%s Property Group plc", "The %s Arms Ltd"},
		taxID: "GB#########"},
	{country: "NL", female: []string{"Emma", "Julia", "Sanne", "Fleur"},
		male:   []string{"Daan", "Sem", "Lucas", "Bram"},
		last:   []string{"de Jong", "Jansen", "de Vries", "Bakker", "Visser"},
		places: []place{{"Prinsengracht 263", "1016 GV", "Amsterdam", "Noord-Holland"}, {"Oudegracht 158", "3511 AZ", "Utrecht", "Utrecht"}},
		phone:  "+31 6 ########", firms: []string{"%s Installatie B.V.", "%s Vastgoed N.V.", "Hotel %s B.V."},
		taxID: "NL#########B01"},
}

// industries are the lines of business of company customers.
var industries = []string{"facility management", "property management", "hospitality", "security services", "retail", "education"}

// ascii folds the letters the locales use into e-mail-safe ASCII.
var ascii = strings.NewReplacer("ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n", "ó", "o", "ś", "s", "ź", "z", "ż", "z",
	"Ł", "L", "Ś", "S", "Ż", "Z", "ä", "ae", "ö", "oe", "ü", "ue", "Ü", "Ue", "ß", "ss", "'", "", " ", "")

// identity is who a customer or a lead is.
type identity struct {
	kind customer.Kind
	// first and last are the name of a person, or of a company's contact person.
	first, last string
	name        string
	contact     contact.Details
	taxID       string
	profile     customer.Profile
	loc         *locale
}

// newIdentity draws a person or a company living in one of the locales;
// a person is 18 to 80 years old at start.
func newIdentity(r *rand.Rand, kind customer.Kind, start time.Time) identity {
	loc := &locales[r.IntN(len(locales))]
	id := identity{kind: kind, loc: loc}
	gender := customer.Female
	if r.IntN(2) == 0 {
		gender = customer.Male
	}
	id.first = pick(r, loc.firstNames(gender))
	last := pick(r, loc.last)
	id.last = last
	p := pick(r, loc.places)
	id.contact = contact.Details{Phone: digits(r, loc.phone),
		Address: contact.Address{Street: p.street, PostalCode: p.postal, City: p.city, Region: p.region, Country: loc.country}}
	if kind == customer.Company {
		id.name = fmt.Sprintf(pick(r, loc.firms), last)
		id.contact.Email = "office@" + slug(last) + "-" + strings.ToLower(string(loc.country)) + ".example"
		id.taxID = digits(r, loc.taxID)
		id.profile = customer.Profile{Country: loc.country, Industry: pick(r, industries)}
		return id
	}
	id.name = id.first + " " + last
	id.contact.Email = fmt.Sprintf("%s.%s%d@%s", slug(id.first), slug(last), r.IntN(90)+10, pick(r, []string{"example.com", "example.net", "example.org"}))
	if r.IntN(12) == 0 {
		gender = pick(r, []customer.Gender{customer.Diverse, customer.Undisclosed})
	}
	birth := date.Of(start).AddDays(-(18*365 + r.IntN(62*365)))
	id.profile = customer.Profile{BirthDate: birth, Gender: gender, Country: loc.country}
	return id
}

func (l *locale) firstNames(g customer.Gender) []string {
	if g == customer.Female {
		return l.female
	}
	return l.male
}

// digits returns pattern with each # replaced by a random digit.
func digits(r *rand.Rand, pattern string) string {
	return strings.Map(func(c rune) rune {
		if c == '#' {
			return rune('0' + r.IntN(10))
		}
		return c
	}, pattern)
}

// moved returns c at another address of the same locale.
func (id identity) moved(r *rand.Rand) contact.Details {
	c := id.contact
	p := pick(r, id.loc.places)
	if p.city == c.Address.City {
		p.street = fmt.Sprintf("%s, flat %d", p.street, r.IntN(40)+1)
	}
	c.Address = contact.Address{Street: p.street, PostalCode: p.postal, City: p.city, Region: p.region, Country: id.loc.country}
	return c
}

func slug(s string) string { return strings.ToLower(ascii.Replace(s)) }

// pick returns a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns a random int in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }
