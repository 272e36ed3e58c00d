package customer_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/date"
)

// TestFieldRules covers the remaining required fields, text limits and
// enumerations of every command, one violation each.
func TestFieldRules(t *testing.T) {
	long := strings.Repeat("x", 4001)
	live := []domain.Event{registered, purchased, invoiced}
	invalid := func(name string, cmd domain.Command[*customer.State], field string) decideCase {
		return decideCase{name: name, given: live, cmd: cmd, kind: domain.ErrInvalid, field: field}
	}
	run(t, []decideCase{
		{name: "register: tax id too long", cmd: registerWith(func(c *customer.Register) { c.TaxID = long }),
			kind: domain.ErrInvalid, field: "tax_id"},
		{name: "register: source id too long", cmd: registerWith(func(c *customer.Register) { c.SourceSystem, c.SourceID = "s", long }),
			kind: domain.ErrInvalid, field: "source_id"},
		invalid("accept merge: no duplicate", customer.AcceptMerge{CustomerID: id}, "from"),
		invalid("forget: requester too long", customer.Forget{CustomerID: id, Reason: "r", RequestedBy: long}, "requested_by"),
		invalid("consent: evidence too long", customer.GiveConsent{CustomerID: id, Scope: emailMarketing, Evidence: long}, "evidence"),
		invalid("interaction: employee too long", customer.LogInteraction{CustomerID: id, Channel: channel.Chat,
			Direction: channel.Inbound, Topic: "t", Employee: long}, "employee"),
		invalid("rating: comment too long", customer.GiveRating{CustomerID: id, Stars: 3, Comment: long}, "comment"),
		invalid("complaint: unknown channel", customer.FileComplaint{CustomerID: id, ComplaintID: "C1", Channel: "x", Topic: "t"}, "channel"),
		invalid("complaint: no id", customer.FileComplaint{CustomerID: id, Channel: channel.Email, Topic: "t"}, "complaint_id"),
		invalid("complaint: description too long", customer.FileComplaint{CustomerID: id, ComplaintID: "C1", Channel: channel.Email,
			Topic: "t", Description: long}, "description"),
		invalid("case: no id", customer.OpenSupportCase{CustomerID: id, Channel: channel.Chat, Subject: "s"}, "case_id"),
		invalid("case: no subject", customer.OpenSupportCase{CustomerID: id, CaseID: "K1", Channel: channel.Chat}, "subject"),
		invalid("resolve: no employee", customer.ResolveSupportCase{CustomerID: id, CaseID: "K1", Resolution: "r"}, "employee"),
		invalid("purchase: line description too long", purchase(func(c *customer.RecordPurchase) { c.Lines[0].Description = long }),
			"lines[0].description"),
		invalid("purchase: employee too long", purchase(func(c *customer.RecordPurchase) { c.PurchaseID, c.Employee = "P2", long }), "employee"),
		invalid("refund: no purchase", customer.RefundPurchase{CustomerID: id, Amount: 1, Currency: "EUR"}, "purchase_id"),
		invalid("refund: reason too long", customer.RefundPurchase{CustomerID: id, PurchaseID: "P1", Amount: 1, Currency: "EUR", Reason: long}, "reason"),
		invalid("invoice: no id", customer.IssueInvoice{CustomerID: id, Amount: 1, Currency: "EUR", DueDate: date.Of(now)}, "invoice_id"),
		invalid("payment: no invoice", customer.ReceivePayment{CustomerID: id, Amount: 1, Currency: "EUR"}, "invoice_id"),
		invalid("payment: method too long", customer.ReceivePayment{CustomerID: id, InvoiceID: "I1", Amount: 1, Currency: "EUR",
			Method: strings.Repeat("m", 51)}, "method"),
		invalid("payment: bad currency", customer.ReceivePayment{CustomerID: id, InvoiceID: "I1", Amount: 1, Currency: "€"}, "currency"),
		invalid("reminder: no invoice", customer.SendPaymentReminder{CustomerID: id, Channel: channel.Email}, "invoice_id"),
		invalid("discount: no id", customer.GrantDiscount{CustomerID: id, Terms: customer.Terms{PercentBP: 5}, Reason: "r", GrantedBy: "e"}, "discount_id"),
		invalid("change discount: no employee", customer.ChangeDiscount{CustomerID: id, DiscountID: "D1", Terms: customer.Terms{PercentBP: 5},
			Reason: "r"}, "changed_by"),
		invalid("revoke discount: no employee", customer.RevokeDiscount{CustomerID: id, DiscountID: "D1", Reason: "r"}, "revoked_by"),
		invalid("promotion: unknown channel", customer.OfferPromotion{CustomerID: id, PromotionID: "PR1", Offer: "o", Channel: "tv"}, "channel"),
		invalid("redeem: no promotion", customer.RedeemPromotion{CustomerID: id}, "promotion_id"),
		invalid("reward: no id", customer.SendReward{CustomerID: id, Kind: customer.Loyalty, Points: 1, Reason: "r", SentBy: "e"}, "reward_id"),
		invalid("reward: no reason", customer.SendReward{CustomerID: id, RewardID: "R1", Kind: customer.Loyalty, Points: 1, SentBy: "e"}, "reason"),
		invalid("reward: no sender", customer.SendReward{CustomerID: id, RewardID: "R1", Kind: customer.Loyalty, Points: 1, Reason: "r"}, "sent_by"),
		invalid("departure: unknown channel", customer.DeclareDeparture{CustomerID: id, Reason: "r", Channel: "tv"}, "channel"),
		invalid("win-back: unknown channel", customer.AttemptWinBack{CustomerID: id, Offer: "o", Outcome: customer.Pending,
			Channel: "tv", Employee: "e"}, "channel"),
		invalid("win-back: no employee", customer.AttemptWinBack{CustomerID: id, Offer: "o", Outcome: customer.Pending,
			Channel: channel.Phone}, "employee"),
		invalid("reactivate: no reason", customer.Reactivate{CustomerID: id}, "reason"),
		invalid("target: unknown channel", customer.TargetCampaign{CustomerID: id, CampaignID: other, Channel: "tv",
			Purpose: consent.Marketing}, "channel"),
		invalid("respond: unknown channel", customer.RespondToCampaign{CustomerID: id, CampaignID: other, Response: customer.Opened,
			Channel: "tv"}, "channel"),
		invalid("respond: no campaign", customer.RespondToCampaign{CustomerID: id, CampaignID: uuid.Nil, Response: customer.Opened,
			Channel: channel.Email}, "campaign_id"),
	})
}
