package customer_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
)

func register() customer.Register {
	return customer.Register{CustomerID: id, Kind: customer.Person, Name: "Anna Nowak",
		Details: contact.Details{Email: "anna@example.com", Phone: "+48 600 100 200"}}
}

func registerWith(f func(*customer.Register)) customer.Register {
	c := register()
	f(&c)
	return c
}

func TestRegister(t *testing.T) {
	profile := customer.Profile{BirthDate: date.New(1980, 5, 17), Gender: customer.Female, Country: "PL", Industry: "music"}
	imported := customer.Registered{CustomerID: id, Kind: customer.Person, Name: "CDNOW 00004",
		SourceSystem: "cdnow", SourceID: "00004", SampleIndex: 1}
	run(t, []decideCase{
		{name: "person", cmd: register(), want: []domain.Event{registered}},
		{name: "with profile", cmd: registerWith(func(c *customer.Register) { c.Profile = profile }),
			want: []domain.Event{registered, customer.ProfileAttributesChanged{Profile: profile}}},
		{name: "imported", cmd: customer.Register{CustomerID: id, Kind: customer.Person, Name: "CDNOW 00004",
			SourceSystem: "cdnow", SourceID: "00004", SampleIndex: 1}, want: []domain.Event{imported}},
		{name: "company with address", cmd: customer.Register{CustomerID: id, Kind: customer.Company, Name: "Acme", TaxID: "PL5260001246",
			Details: contact.Details{Address: contact.Address{Street: "Prosta 1", PostalCode: "00-001", City: "Warszawa", Country: "PL"}}},
			want: []domain.Event{customer.Registered{CustomerID: id, Kind: customer.Company, Name: "Acme", TaxID: "PL5260001246",
				Details: contact.Details{Address: contact.Address{Street: "Prosta 1", PostalCode: "00-001", City: "Warszawa", Country: "PL"}}}}},
		{name: "no id", cmd: registerWith(func(c *customer.Register) { c.CustomerID = uuid.Nil }),
			kind: domain.ErrInvalid, field: "customer_id"},
		{name: "unknown kind", cmd: registerWith(func(c *customer.Register) { c.Kind = "robot" }),
			kind: domain.ErrInvalid, field: "kind"},
		{name: "blank name", cmd: registerWith(func(c *customer.Register) { c.Name = "  " }),
			kind: domain.ErrInvalid, field: "name"},
		{name: "name with control character", cmd: registerWith(func(c *customer.Register) { c.Name = "A\x00" }),
			kind: domain.ErrInvalid, field: "name"},
		{name: "bad e-mail", cmd: registerWith(func(c *customer.Register) { c.Email = "Anna <anna@example.com>" }),
			kind: domain.ErrInvalid, field: "email"},
		{name: "bad phone", cmd: registerWith(func(c *customer.Register) { c.Phone = "call me" }),
			kind: domain.ErrInvalid, field: "phone"},
		{name: "address without city", cmd: registerWith(func(c *customer.Register) { c.Address = contact.Address{Country: "PL"} }),
			kind: domain.ErrInvalid, field: "address.city"},
		{name: "address in unknown country", cmd: registerWith(func(c *customer.Register) { c.Address = contact.Address{City: "X", Country: "QQ"} }),
			kind: domain.ErrInvalid, field: "address.country"},
		{name: "source id without system", cmd: registerWith(func(c *customer.Register) { c.SourceID = "1" }),
			kind: domain.ErrInvalid, field: "source_system"},
		{name: "source system without id", cmd: registerWith(func(c *customer.Register) { c.SourceSystem = "cdnow" }),
			kind: domain.ErrInvalid, field: "source_id"},
		{name: "sample index without source", cmd: registerWith(func(c *customer.Register) { c.SampleIndex = 3 }),
			kind: domain.ErrInvalid, field: "sample_index"},
		{name: "negative sample index", cmd: registerWith(func(c *customer.Register) { c.SampleIndex = -1 }),
			kind: domain.ErrInvalid, field: "sample_index"},
		{name: "birth date in the future", cmd: registerWith(func(c *customer.Register) { c.Profile.BirthDate = date.Of(now).AddDays(1) }),
			kind: domain.ErrInvalid, field: "profile.birth_date"},
		{name: "company with gender", cmd: customer.Register{CustomerID: id, Kind: customer.Company, Name: "Acme",
			Profile: customer.Profile{Gender: customer.Male}}, kind: domain.ErrInvalid, field: "profile.gender"},
	})
}

func TestRegisterJoinsEveryBadField(t *testing.T) {
	_, err := customer.Register{CustomerID: id, Kind: "x", Details: contact.Details{Email: "no"},
		Profile: customer.Profile{Country: "XX"}}.Decide(&customer.State{}, now)
	assert.ErrorIs(t, err, domain.ErrInvalid)
	assert.Equal(t, []string{"kind", "name", "email", "profile.country"}, fields(err))
}

func TestChangeContactDetailsAndProfile(t *testing.T) {
	moved := contact.Details{Email: "anna@new.example", Address: contact.Address{City: "Kraków", Country: "PL"}}
	profile := customer.Profile{BirthDate: date.New(1980, 5, 17), Gender: customer.Undisclosed, Country: "DE"}
	run(t, []decideCase{
		{name: "contact details", given: []domain.Event{registered}, cmd: customer.ChangeContactDetails{CustomerID: id, Details: moved},
			want: []domain.Event{customer.ContactDetailsChanged{Details: moved}}},
		{name: "clear contact details", given: []domain.Event{registered}, cmd: customer.ChangeContactDetails{CustomerID: id},
			want: []domain.Event{customer.ContactDetailsChanged{}}},
		{name: "unchanged contact details", given: []domain.Event{registered},
			cmd: customer.ChangeContactDetails{CustomerID: id, Details: registered.Details}},
		{name: "bad e-mail", given: []domain.Event{registered}, cmd: customer.ChangeContactDetails{CustomerID: id, Details: contact.Details{Email: "@"}},
			kind: domain.ErrInvalid, field: "email"},
		{name: "profile", given: []domain.Event{registered}, cmd: customer.ChangeProfile{CustomerID: id, Profile: profile},
			want: []domain.Event{customer.ProfileAttributesChanged{Profile: profile}}},
		{name: "unchanged profile", given: []domain.Event{registered, customer.ProfileAttributesChanged{Profile: profile}},
			cmd: customer.ChangeProfile{CustomerID: id, Profile: profile}},
		{name: "company industry", given: []domain.Event{registeredCompany},
			cmd:  customer.ChangeProfile{CustomerID: id, Profile: customer.Profile{Industry: "retail", Country: "PL"}},
			want: []domain.Event{customer.ProfileAttributesChanged{Profile: customer.Profile{Industry: "retail", Country: "PL"}}}},
		{name: "company birth date", given: []domain.Event{registeredCompany},
			cmd:  customer.ChangeProfile{CustomerID: id, Profile: customer.Profile{BirthDate: date.New(1990, 1, 1)}},
			kind: domain.ErrInvalid, field: "birth_date"},
		{name: "birth date before 1900", given: []domain.Event{registered},
			cmd:  customer.ChangeProfile{CustomerID: id, Profile: customer.Profile{BirthDate: date.New(1899, 12, 31)}},
			kind: domain.ErrInvalid, field: "birth_date"},
		{name: "unknown gender", given: []domain.Event{registered},
			cmd:  customer.ChangeProfile{CustomerID: id, Profile: customer.Profile{Gender: "x"}},
			kind: domain.ErrInvalid, field: "gender"},
		{name: "unknown country", given: []domain.Event{registered},
			cmd:  customer.ChangeProfile{CustomerID: id, Profile: customer.Profile{Country: "pl"}},
			kind: domain.ErrInvalid, field: "country"},
	})
}

func TestAccountManagerTagsAndKeyAccount(t *testing.T) {
	flagged := customer.KeyAccountFlagged{Reason: "top 1%", Employee: "e1"}
	run(t, []decideCase{
		{name: "assign manager", given: []domain.Event{registered}, cmd: customer.AssignAccountManager{CustomerID: id, Employee: "e1"},
			want: []domain.Event{customer.AccountManagerAssigned{Employee: "e1"}}},
		{name: "same manager", given: []domain.Event{registered, customer.AccountManagerAssigned{Employee: "e1"}},
			cmd: customer.AssignAccountManager{CustomerID: id, Employee: "e1"}},
		{name: "no manager", given: []domain.Event{registered}, cmd: customer.AssignAccountManager{CustomerID: id},
			kind: domain.ErrInvalid, field: "employee"},
		{name: "tags are sorted and deduplicated", given: []domain.Event{registered},
			cmd:  customer.SetTags{CustomerID: id, Tags: []string{"vip", "b2b", "vip"}},
			want: []domain.Event{customer.TagsSet{Tags: []string{"b2b", "vip"}}}},
		{name: "same tags", given: []domain.Event{registered, customer.TagsSet{Tags: []string{"b2b", "vip"}}},
			cmd: customer.SetTags{CustomerID: id, Tags: []string{"vip", "b2b"}}},
		{name: "clear tags", given: []domain.Event{registered, customer.TagsSet{Tags: []string{"vip"}}},
			cmd: customer.SetTags{CustomerID: id}, want: []domain.Event{customer.TagsSet{}}},
		{name: "blank tag", given: []domain.Event{registered}, cmd: customer.SetTags{CustomerID: id, Tags: []string{" "}},
			kind: domain.ErrInvalid, field: "tags"},
		{name: "too many tags", given: []domain.Event{registered}, cmd: customer.SetTags{CustomerID: id, Tags: manyTags(51)},
			kind: domain.ErrInvalid, field: "tags"},
		{name: "flag key account", given: []domain.Event{registered}, cmd: customer.FlagKeyAccount{CustomerID: id, Reason: "top 1%", Employee: "e1"},
			want: []domain.Event{flagged}},
		{name: "flag twice", given: []domain.Event{registered, flagged}, cmd: customer.FlagKeyAccount{CustomerID: id, Reason: "r", Employee: "e1"},
			kind: domain.ErrState, field: "key_account"},
		{name: "flag without reason", given: []domain.Event{registered}, cmd: customer.FlagKeyAccount{CustomerID: id, Employee: "e1"},
			kind: domain.ErrInvalid, field: "reason"},
		{name: "unflag", given: []domain.Event{registered, flagged}, cmd: customer.UnflagKeyAccount{CustomerID: id, Reason: "r", Employee: "e1"},
			want: []domain.Event{customer.KeyAccountUnflagged{Reason: "r", Employee: "e1"}}},
		{name: "unflag a plain account", given: []domain.Event{registered}, cmd: customer.UnflagKeyAccount{CustomerID: id, Reason: "r", Employee: "e1"},
			kind: domain.ErrState, field: "key_account"},
		{name: "unflag without employee", given: []domain.Event{registered, flagged}, cmd: customer.UnflagKeyAccount{CustomerID: id, Reason: "r"},
			kind: domain.ErrInvalid, field: "employee"},
	})
}

func manyTags(n int) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	return tags
}

func TestMerge(t *testing.T) {
	run(t, []decideCase{
		{name: "merge into", given: []domain.Event{registered}, cmd: customer.Merge{CustomerID: id, Into: other},
			want: []domain.Event{customer.MergedInto{Into: other}}},
		{name: "merge into itself", given: []domain.Event{registered}, cmd: customer.Merge{CustomerID: id, Into: id},
			kind: domain.ErrInvalid, field: "into"},
		{name: "merge into nobody", given: []domain.Event{registered}, cmd: customer.Merge{CustomerID: id},
			kind: domain.ErrInvalid, field: "into"},
		{name: "accept", given: []domain.Event{registered}, cmd: customer.AcceptMerge{CustomerID: id, From: other},
			want: []domain.Event{customer.MergedFrom{From: other}}},
		{name: "accept twice", given: []domain.Event{registered, customer.MergedFrom{From: other}},
			cmd: customer.AcceptMerge{CustomerID: id, From: other}, kind: domain.ErrState, field: "from"},
		{name: "accept itself", given: []domain.Event{registered}, cmd: customer.AcceptMerge{CustomerID: id, From: id},
			kind: domain.ErrInvalid, field: "from"},
	})
}

func TestIdentityState(t *testing.T) {
	s := fold(registered, customer.ContactDetailsChanged{Details: contact.Details{Email: "a@b.example"}},
		customer.AccountManagerAssigned{Employee: "e7"}, customer.TagsSet{Tags: []string{"vip"}},
		customer.KeyAccountFlagged{Reason: "r", Employee: "e7"}, customer.MergedFrom{From: other})
	assert.Equal(t, id, s.ID)
	assert.True(t, s.Registered)
	assert.Equal(t, t0, s.RegisteredAt)
	assert.Equal(t, uint64(6), s.Version)
	assert.Equal(t, "Anna Nowak", s.Name)
	assert.Equal(t, "a@b.example", s.Contact.Email)
	assert.Equal(t, "e7", s.AccountManager)
	assert.Equal(t, []string{"vip"}, s.Tags)
	assert.True(t, s.KeyAccount)
	assert.Equal(t, []uuid.UUID{other}, s.MergedFrom)
	s.Apply(domain.Recorded{Version: 7, At: t0.Add(time.Hour), Event: customer.KeyAccountUnflagged{Reason: "r"}})
	assert.False(t, s.KeyAccount)
	require.Equal(t, uint64(7), s.Version)
}
