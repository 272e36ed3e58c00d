package customer_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/customer"
)

func TestPromotions(t *testing.T) {
	until := now.Add(7 * 24 * time.Hour)
	offered := customer.PromotionOffered{PromotionID: "PR1", Offer: "2 for 1", Channel: channel.Email, CampaignID: other, ValidUntil: until}
	offer := customer.OfferPromotion{CustomerID: id, PromotionID: "PR1", Offer: "2 for 1", Channel: channel.Email, CampaignID: other, ValidUntil: until}
	run(t, []decideCase{
		{name: "offer", given: []domain.Event{registered}, cmd: offer, want: []domain.Event{offered}},
		{name: "offer id reused", given: []domain.Event{registered, offered}, cmd: offer, kind: domain.ErrState, field: "promotion_id"},
		{name: "offer already expired", given: []domain.Event{registered}, at: until, cmd: offer,
			kind: domain.ErrInvalid, field: "valid_until"},
		{name: "offer nothing", given: []domain.Event{registered},
			cmd:  customer.OfferPromotion{CustomerID: id, PromotionID: "PR1", Channel: channel.Email},
			kind: domain.ErrInvalid, field: "offer"},
		{name: "redeem on a purchase", given: []domain.Event{registered, offered, purchased},
			cmd:  customer.RedeemPromotion{CustomerID: id, PromotionID: "PR1", PurchaseID: "P1"},
			want: []domain.Event{customer.PromotionRedeemed{PromotionID: "PR1", PurchaseID: "P1"}}},
		{name: "redeem open-ended", at: now.Add(1000 * 24 * time.Hour),
			given: []domain.Event{registered, customer.PromotionOffered{PromotionID: "PR2", Offer: "gift", Channel: channel.Letter}},
			cmd:   customer.RedeemPromotion{CustomerID: id, PromotionID: "PR2"},
			want:  []domain.Event{customer.PromotionRedeemed{PromotionID: "PR2"}}},
		{name: "redeem unknown", given: []domain.Event{registered}, cmd: customer.RedeemPromotion{CustomerID: id, PromotionID: "PR1"},
			kind: domain.ErrState, field: "promotion_id"},
		{name: "redeem twice", given: []domain.Event{registered, offered, customer.PromotionRedeemed{PromotionID: "PR1"}},
			cmd: customer.RedeemPromotion{CustomerID: id, PromotionID: "PR1"}, kind: domain.ErrState, field: "promotion_id"},
		{name: "redeem expired", given: []domain.Event{registered, offered}, at: until,
			cmd: customer.RedeemPromotion{CustomerID: id, PromotionID: "PR1"}, kind: domain.ErrState, field: "promotion_id"},
		{name: "redeem on an unknown purchase", given: []domain.Event{registered, offered},
			cmd:  customer.RedeemPromotion{CustomerID: id, PromotionID: "PR1", PurchaseID: "P9"},
			kind: domain.ErrState, field: "purchase_id"},
	})
}

func TestSendReward(t *testing.T) {
	gift := customer.SendReward{CustomerID: id, RewardID: "R1", Kind: customer.Gift, Description: "mug", Value: 800, Currency: "EUR",
		Reason: "10 years", SentBy: "e1"}
	withGift := func(f func(*customer.SendReward)) customer.SendReward {
		c := gift
		f(&c)
		return c
	}
	run(t, []decideCase{
		{name: "gift", given: []domain.Event{registered}, cmd: gift,
			want: []domain.Event{customer.RewardSent{RewardID: "R1", Kind: customer.Gift, Description: "mug", Value: 800, Currency: "EUR",
				Reason: "10 years", SentBy: "e1"}}},
		{name: "loyalty points", given: []domain.Event{registered},
			cmd:  customer.SendReward{CustomerID: id, RewardID: "R2", Kind: customer.Loyalty, Points: 250, Reason: "purchase", SentBy: "e1"},
			want: []domain.Event{customer.RewardSent{RewardID: "R2", Kind: customer.Loyalty, Points: 250, Reason: "purchase", SentBy: "e1"}}},
		{name: "loyalty without points", given: []domain.Event{registered},
			cmd:  customer.SendReward{CustomerID: id, RewardID: "R2", Kind: customer.Loyalty, Reason: "purchase", SentBy: "e1"},
			kind: domain.ErrInvalid, field: "points"},
		{name: "gift without description", given: []domain.Event{registered},
			cmd: withGift(func(c *customer.SendReward) { c.Description = "" }), kind: domain.ErrInvalid, field: "description"},
		{name: "gift with points", given: []domain.Event{registered},
			cmd: withGift(func(c *customer.SendReward) { c.Points = 5 }), kind: domain.ErrInvalid, field: "points"},
		{name: "unknown kind", given: []domain.Event{registered},
			cmd: withGift(func(c *customer.SendReward) { c.Kind = "cash" }), kind: domain.ErrInvalid, field: "kind"},
		{name: "value without currency", given: []domain.Event{registered},
			cmd: withGift(func(c *customer.SendReward) { c.Currency = "" }), kind: domain.ErrInvalid, field: "currency"},
		{name: "negative value", given: []domain.Event{registered},
			cmd: withGift(func(c *customer.SendReward) { c.Value = -1 }), kind: domain.ErrInvalid, field: "value"},
		{name: "id reused", given: []domain.Event{registered, customer.RewardSent{RewardID: "R1", Kind: customer.Gift}},
			cmd: gift, kind: domain.ErrState, field: "reward_id"},
	})
}

func TestLoyaltyState(t *testing.T) {
	s := fold(registered, customer.PromotionOffered{PromotionID: "PR1", Offer: "x", Channel: channel.SMS, ValidUntil: now},
		customer.PromotionRedeemed{PromotionID: "PR1"}, customer.RewardSent{RewardID: "R1", Kind: customer.Loyalty, Points: 5})
	assert.Equal(t, customer.Promotion{ValidUntil: now, Redeemed: true}, s.Promotions["PR1"])
	assert.Equal(t, t0.Add(3*time.Hour), s.Rewards["R1"])
}
