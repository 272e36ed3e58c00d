package customer_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/campaign"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
)

var nps = 9

// commands returns one well-formed command of every customer use case
// but Register and Forget.
func commands() []domain.Command[*customer.State] {
	scope := consent.Scope{Channel: channel.Email, Purpose: consent.Marketing}
	return []domain.Command[*customer.State]{
		customer.ChangeContactDetails{CustomerID: id},
		customer.ChangeProfile{CustomerID: id},
		customer.AssignAccountManager{CustomerID: id, Employee: "e1"},
		customer.SetTags{CustomerID: id, Tags: []string{"vip"}},
		customer.FlagKeyAccount{CustomerID: id, Reason: "big", Employee: "e1"},
		customer.UnflagKeyAccount{CustomerID: id, Reason: "small", Employee: "e1"},
		customer.Merge{CustomerID: id, Into: other},
		customer.AcceptMerge{CustomerID: id, From: other},
		customer.GiveConsent{CustomerID: id, Scope: scope},
		customer.WithdrawConsent{CustomerID: id, Scope: scope},
		customer.LogInteraction{CustomerID: id, Channel: channel.Phone, Direction: channel.Inbound, Topic: "order"},
		customer.GiveRating{CustomerID: id, Stars: 5},
		customer.AnswerSurvey{CustomerID: id, SurveyID: "S1", NPS: &nps},
		customer.FileComplaint{CustomerID: id, ComplaintID: "C1", Channel: channel.Email, Topic: "late"},
		customer.OpenSupportCase{CustomerID: id, CaseID: "K1", Channel: channel.Chat, Subject: "login"},
		customer.ResolveSupportCase{CustomerID: id, CaseID: "K1", Resolution: "reset", Employee: "e1"},
		customer.RecordPurchase{CustomerID: id, PurchaseID: "P9", Currency: "EUR", Total: 100,
			Lines: []customer.Line{{SKU: "a", Quantity: 1, UnitPrice: 100}}},
		customer.RefundPurchase{CustomerID: id, PurchaseID: "P1", Amount: 1, Currency: "EUR"},
		customer.IssueInvoice{CustomerID: id, InvoiceID: "I9", Amount: 1, Currency: "EUR", DueDate: date.Of(now)},
		customer.ReceivePayment{CustomerID: id, InvoiceID: "I1", Amount: 1, Currency: "EUR"},
		customer.SendPaymentReminder{CustomerID: id, InvoiceID: "I1", Channel: channel.Email},
		customer.GrantDiscount{CustomerID: id, DiscountID: "D1", Terms: customer.Terms{PercentBP: 500}, Reason: "r", GrantedBy: "e1"},
		customer.ChangeDiscount{CustomerID: id, DiscountID: "D1", Terms: customer.Terms{PercentBP: 700}, Reason: "r", ChangedBy: "e1"},
		customer.RevokeDiscount{CustomerID: id, DiscountID: "D1", Reason: "r", RevokedBy: "e1"},
		customer.OfferPromotion{CustomerID: id, PromotionID: "PR1", Offer: "2 for 1", Channel: channel.Email},
		customer.RedeemPromotion{CustomerID: id, PromotionID: "PR1"},
		customer.SendReward{CustomerID: id, RewardID: "R1", Kind: customer.Loyalty, Points: 100, Reason: "r", SentBy: "e1"},
		customer.DeclareDeparture{CustomerID: id, Reason: "price"},
		customer.AttemptWinBack{CustomerID: id, Offer: "10% off", Outcome: customer.Pending, Channel: channel.Phone, Employee: "e1"},
		customer.Reactivate{CustomerID: id, Reason: "back"},
		customer.TargetCampaign{CustomerID: id, CampaignID: other, Channel: channel.Email, Purpose: consent.Marketing,
			FrequencyCap: campaign.FrequencyCap{Max: 1, WindowDays: 7}},
		customer.RespondToCampaign{CustomerID: id, CampaignID: other, Response: customer.Clicked, Channel: channel.Email},
	}
}

// TestEveryCommandNeedsALiveCustomer: nothing but Register on an
// unregistered customer, nothing but Forget on a forgotten or merged one.
func TestEveryCommandNeedsALiveCustomer(t *testing.T) {
	histories := []struct {
		name  string
		given []domain.Event
		kind  error
	}{
		{"unregistered", nil, domain.ErrNotFound},
		{"forgotten", []domain.Event{registered, forgotten}, domain.ErrState},
		{"merged", []domain.Event{registered, mergedInto}, domain.ErrState},
	}
	for _, h := range histories {
		for _, cmd := range commands() {
			t.Run(fmt.Sprintf("%s/%T", h.name, cmd), func(t *testing.T) {
				got, err := cmd.Decide(fold(h.given...), now)
				requireRule(t, err, h.kind, "customer_id")
				assert.Nil(t, got)
			})
		}
	}
}

func TestCommandsStreamTheirCustomer(t *testing.T) {
	for _, cmd := range commands() {
		assert.Equal(t, customer.Stream(id), cmd.Stream(), "%T", cmd)
	}
}

func TestForgetAndRegisterOnEveryHistory(t *testing.T) {
	run(t, []decideCase{
		{name: "forget unregistered", cmd: customer.Forget{CustomerID: id, Reason: "gdpr"},
			kind: domain.ErrNotFound, field: "customer_id"},
		{name: "forget", given: []domain.Event{registered}, cmd: customer.Forget{CustomerID: id, Reason: "gdpr", RequestedBy: "dpo"},
			want: []domain.Event{customer.Forgotten{Reason: "gdpr", RequestedBy: "dpo"}}},
		{name: "forget is idempotent", given: []domain.Event{registered, forgotten}, cmd: customer.Forget{CustomerID: id, Reason: "again"}},
		{name: "forget a merged duplicate", given: []domain.Event{registered, mergedInto}, cmd: customer.Forget{CustomerID: id, Reason: "gdpr"},
			want: []domain.Event{customer.Forgotten{Reason: "gdpr"}}},
		{name: "forget without reason", given: []domain.Event{registered}, cmd: customer.Forget{CustomerID: id},
			kind: domain.ErrInvalid, field: "reason"},
		{name: "register twice", given: []domain.Event{registered}, cmd: register(),
			kind: domain.ErrAlreadyExists, field: "customer_id"},
		{name: "register a forgotten id", given: []domain.Event{registered, forgotten}, cmd: register(),
			kind: domain.ErrAlreadyExists, field: "customer_id"},
	})
}

func TestForgottenStateDropsPersonalData(t *testing.T) {
	s := fold(registered, customer.ProfileAttributesChanged{Profile: customer.Profile{
		BirthDate: date.New(1980, 5, 17), Gender: customer.Female, Country: "PL"}}, forgotten)
	require.True(t, s.Forgotten)
	assert.Empty(t, s.Name)
	assert.Zero(t, s.Contact)
	assert.Equal(t, customer.Profile{Country: "PL"}, s.Profile)
	assert.Equal(t, id, s.ID)
}
