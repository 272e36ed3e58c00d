package catalogue_test

import (
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/campaign"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
	"github.com/ledgerline/ledgerline/domain/lead"
)

var (
	someID   = uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-0a1b2c3d4e5f")
	otherID  = uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-ffffffffffff")
	someTime = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	details  = contact.Details{Email: "anna@example.com", Phone: "+48 600 100 200", Address: contact.Address{
		Street: "Prosta 1", PostalCode: "00-001", City: "Warszawa", Region: "mazowieckie", Country: "PL"}}
	profile = customer.Profile{BirthDate: date.New(1980, 5, 17), Gender: customer.Female, Country: "PL", Industry: "music"}
	terms   = customer.Terms{PercentBP: 1250, Amount: 500, Currency: "EUR", ValidFrom: someTime, ValidUntil: someTime.Add(time.Hour)}
	scope   = consent.Scope{Channel: channel.Email, Purpose: consent.Marketing}
	unit    = int64(700)
)

// samples returns one value of every catalogued event type with every
// field set, so that a round trip and the documentation check see them all.
func samples() []domain.Event {
	return append(customerSamples(), leadAndCampaignSamples()...)
}

func customerSamples() []domain.Event {
	return []domain.Event{
		customer.Registered{CustomerID: someID, Kind: customer.Person, Name: "Anna Nowak", Details: details, TaxID: "PL123",
			SourceSystem: "cdnow", SourceID: "00004", SampleIndex: 1},
		customer.ContactDetailsChanged{Details: details},
		customer.ProfileAttributesChanged{Profile: profile},
		customer.AccountManagerAssigned{Employee: "e1"},
		customer.TagsSet{Tags: []string{"b2b", "vip"}},
		customer.KeyAccountFlagged{Reason: "top 1%", Employee: "e1"},
		customer.KeyAccountUnflagged{Reason: "shrank", Employee: "e1"},
		customer.MergedInto{Into: otherID},
		customer.MergedFrom{From: otherID},
		customer.Forgotten{Reason: "GDPR request", RequestedBy: "dpo"},
		customer.ConsentGiven{Scope: scope, Evidence: "web form"},
		customer.ConsentWithdrawn{Scope: scope, Reason: "too many mails"},
		customer.InteractionLogged{Channel: channel.Phone, Direction: channel.Outbound, Topic: "renewal", Outcome: "call back",
			Employee: "e1", CampaignID: otherID, Note: "prefers mornings"},
		customer.RatingGiven{Stars: 4, Subject: "P1", Comment: "fast"},
		customer.SurveyAnswered{SurveyID: "S1", NPS: 9, Comment: "great"},
		customer.ComplaintFiled{ComplaintID: "C1", Channel: channel.Letter, Topic: "damaged", Description: "cracked case", PurchaseID: "P1"},
		customer.SupportCaseOpened{CaseID: "K1", Channel: channel.Chat, Subject: "refund", Description: "wants money back",
			Priority: customer.High, ComplaintID: "C1"},
		customer.SupportCaseResolved{CaseID: "K1", Resolution: "replacement sent", Employee: "e1"},
		customer.PurchaseRecorded{PurchaseID: "P1", Currency: "EUR", Lines: []customer.Line{{SKU: "cd-1", Description: "Kind of Blue",
			Quantity: 2, UnitPrice: 1299, UnitCost: &unit}}, Discount: 98, DiscountID: "D1", Total: 2500, Channel: channel.WebForm, Employee: "e1"},
		customer.PurchaseRefunded{PurchaseID: "P1", Amount: 500, Currency: "EUR", Reason: "broken"},
		customer.InvoiceIssued{InvoiceID: "I1", Amount: 5000, Currency: "EUR", DueDate: date.New(2025, 3, 15), PurchaseID: "P1"},
		customer.PaymentReceived{InvoiceID: "I1", Amount: 3000, Currency: "EUR", Method: "card", Reference: "tx-1"},
		customer.PaymentReminderSent{InvoiceID: "I1", Level: 1, DaysOverdue: 5, Open: 2000, Currency: "EUR", Channel: channel.Email},
		customer.DiscountGranted{DiscountID: "D1", Terms: terms, Reason: "loyal", GrantedBy: "e1"},
		customer.DiscountChanged{DiscountID: "D1", Terms: terms, Reason: "negotiated", ChangedBy: "e2"},
		customer.DiscountRevoked{DiscountID: "D1", Reason: "abuse", RevokedBy: "e2"},
		customer.PromotionOffered{PromotionID: "PR1", Offer: "2 for 1", Channel: channel.Email, CampaignID: otherID, ValidUntil: someTime},
		customer.PromotionRedeemed{PromotionID: "PR1", PurchaseID: "P1"},
		customer.RewardSent{RewardID: "R1", Kind: customer.Gift, Description: "mug", Points: 10, Value: 800, Currency: "EUR",
			Reason: "10 years", SentBy: "e1"},
		customer.DepartureDeclared{Reason: "too expensive", Channel: channel.Phone},
		customer.WinBackAttempted{Offer: "20% off", Outcome: customer.Accepted, Channel: channel.Phone, Employee: "e1"},
		customer.Reactivated{Reason: "new contract"},
		customer.CampaignTargeted{CampaignID: otherID, Scope: scope},
		customer.CampaignSkipped{CampaignID: otherID, Channel: channel.Email, Reason: customer.FrequencyCap},
		customer.CampaignResponded{CampaignID: otherID, Response: customer.Clicked, Channel: channel.Email},
	}
}

func leadAndCampaignSamples() []domain.Event {
	return []domain.Event{
		lead.Captured{LeadID: someID, Name: "Jan Kowalski", Details: details, Company: "Kowalski i s-ka", Channel: channel.WebForm,
			CampaignID: otherID, Source: "spring fair"},
		lead.Qualified{Employee: "e1", Note: "budget approved"},
		lead.Disqualified{Reason: "no budget", Employee: "e1"},
		lead.Converted{CustomerID: otherID},
		campaign.Defined{CampaignID: someID, Name: "Spring jazz", Channel: channel.Email, Purpose: consent.Marketing,
			AudienceRule: "segment = 'champions'", Offer: "15% off", StartsAt: someTime, EndsAt: someTime.Add(time.Hour),
			FrequencyCap: campaign.FrequencyCap{Max: 2, WindowDays: 7}},
		campaign.Closed{Reason: "budget spent"},
	}
}
