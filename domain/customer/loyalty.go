package customer

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/money"
)

// PromotionOffered records a promotion offered to the customer, maybe as
// part of a campaign, valid until ValidUntil (exclusive; zero: no end).
type PromotionOffered struct {
	PromotionID string          `json:"promotion_id"`
	Offer       string          `json:"offer"`
	Channel     channel.Channel `json:"channel"`
	CampaignID  uuid.UUID       `json:"campaign_id,omitzero"`
	ValidUntil  time.Time       `json:"valid_until,omitzero"`
}

// EventType implements domain.Event.
func (PromotionOffered) EventType() string { return "customer.promotion_offered" }

func (e PromotionOffered) apply(s *State, _ time.Time) {
	put(&s.Promotions, e.PromotionID, Promotion{ValidUntil: e.ValidUntil})
}

// PromotionRedeemed records that the customer used an offered promotion,
// maybe on a purchase.
type PromotionRedeemed struct {
	PromotionID string `json:"promotion_id"`
	PurchaseID  string `json:"purchase_id,omitempty"`
}

// EventType implements domain.Event.
func (PromotionRedeemed) EventType() string { return "customer.promotion_redeemed" }

func (e PromotionRedeemed) apply(s *State, _ time.Time) {
	p := s.Promotions[e.PromotionID]
	p.Redeemed = true
	put(&s.Promotions, e.PromotionID, p)
}

// RewardKind tells a gift from loyalty points.
type RewardKind string

// The kinds of reward.
const (
	Gift    RewardKind = "gift"
	Loyalty RewardKind = "loyalty"
)

// Validate reports whether k is gift or loyalty (field "kind").
func (k RewardKind) Validate() error { return domain.OneOf("kind", k, []RewardKind{Gift, Loyalty}) }

// RewardSent records a gift or loyalty points sent to the customer. A
// gift has a description and may have a Value in minor units of Currency
// (what it cost); loyalty has Points.
type RewardSent struct {
	RewardID    string         `json:"reward_id"`
	Kind        RewardKind     `json:"kind"`
	Description string         `json:"description,omitempty"`
	Points      int64          `json:"points,omitempty"`
	Value       int64          `json:"value,omitempty"`
	Currency    money.Currency `json:"currency,omitempty"`
	Reason      string         `json:"reason"`
	SentBy      string         `json:"sent_by"`
}

// EventType implements domain.Event.
func (RewardSent) EventType() string { return "customer.reward_sent" }

func (e RewardSent) apply(s *State, at time.Time) { put(&s.Rewards, e.RewardID, at) }

func (e RewardSent) validate() error {
	var kind, value error
	switch e.Kind {
	case Gift:
		kind = domain.RequireText("description", e.Description, 500)
		if e.Points != 0 {
			kind = domain.Invalid("points", "only loyalty rewards have points", e.Points)
		}
	case Loyalty:
		kind = errors.Join(positive("points", e.Points), domain.LimitText("description", e.Description, 500))
	default:
		kind = e.Kind.Validate()
	}
	switch {
	case e.Value < 0:
		value = domain.Invalid("value", "must not be negative", e.Value)
	case e.Value > 0 || e.Currency != "":
		value = e.Currency.Validate()
	}
	return errors.Join(domain.RequireText("reward_id", e.RewardID, maxID), kind, value,
		domain.RequireText("reason", e.Reason, maxShort), domain.RequireText("sent_by", e.SentBy, maxID))
}

// OfferPromotion offers a promotion; ValidUntil, if set, must be after the
// command's time.
type OfferPromotion struct {
	CustomerID  uuid.UUID       `json:"customer_id"`
	PromotionID string          `json:"promotion_id"`
	Offer       string          `json:"offer"`
	Channel     channel.Channel `json:"channel"`
	CampaignID  uuid.UUID       `json:"campaign_id,omitzero"`
	ValidUntil  time.Time       `json:"valid_until,omitzero"`
}

// Stream implements domain.Command.
func (c OfferPromotion) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: a new promotion id.
func (c OfferPromotion) Decide(s *State, at time.Time) ([]domain.Event, error) {
	var until error
	if !c.ValidUntil.IsZero() && !c.ValidUntil.After(at) {
		until = domain.Invalid("valid_until", "must be after the offer's time", c.ValidUntil)
	}
	fields := errors.Join(domain.RequireText("promotion_id", c.PromotionID, maxID),
		domain.RequireText("offer", c.Offer, 500), c.Channel.Validate(), until)
	_, dup := s.Promotions[c.PromotionID]
	err := domain.FirstError(s.live(), fields, newID("promotion_id", c.PromotionID, dup))
	return domain.Decision(err, PromotionOffered{PromotionID: c.PromotionID, Offer: c.Offer, Channel: c.Channel,
		CampaignID: c.CampaignID, ValidUntil: c.ValidUntil})
}

// RedeemPromotion records that an offered promotion was used.
type RedeemPromotion struct {
	CustomerID  uuid.UUID `json:"customer_id"`
	PromotionID string    `json:"promotion_id"`
	PurchaseID  string    `json:"purchase_id,omitempty"`
}

// Stream implements domain.Command.
func (c RedeemPromotion) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: the promotion must be offered, not
// redeemed and not expired at the command's time; a purchase, if named,
// must be recorded.
func (c RedeemPromotion) Decide(s *State, at time.Time) ([]domain.Event, error) {
	var usable error
	switch p, ok := s.Promotions[c.PromotionID]; {
	case !ok:
		usable = domain.Conflict("promotion_id", "no such promotion", c.PromotionID)
	case p.Redeemed:
		usable = domain.Conflict("promotion_id", "promotion is already redeemed", c.PromotionID)
	case !p.ValidUntil.IsZero() && !at.Before(p.ValidUntil):
		usable = domain.Conflict("promotion_id", "promotion expired at "+p.ValidUntil.Format(time.RFC3339), c.PromotionID)
	}
	fields := errors.Join(domain.RequireText("promotion_id", c.PromotionID, maxID), domain.LimitText("purchase_id", c.PurchaseID, maxID))
	err := domain.FirstError(s.live(), fields, usable, s.knownPurchase(c.PurchaseID))
	return domain.Decision(err, PromotionRedeemed{PromotionID: c.PromotionID, PurchaseID: c.PurchaseID})
}

// SendReward sends the customer a gift or loyalty points.
type SendReward struct {
	CustomerID  uuid.UUID      `json:"customer_id"`
	RewardID    string         `json:"reward_id"`
	Kind        RewardKind     `json:"kind"`
	Description string         `json:"description,omitempty"`
	Points      int64          `json:"points,omitempty"`
	Value       int64          `json:"value,omitempty"`
	Currency    money.Currency `json:"currency,omitempty"`
	Reason      string         `json:"reason"`
	SentBy      string         `json:"sent_by"`
}

// Stream implements domain.Command.
func (c SendReward) Stream() string { return Stream(c.CustomerID) }

// Decide implements domain.Command: a new reward id; a gift has a
// description and no points, loyalty positive points; a value needs a
// currency.
func (c SendReward) Decide(s *State, _ time.Time) ([]domain.Event, error) {
	e := RewardSent{RewardID: c.RewardID, Kind: c.Kind, Description: c.Description, Points: c.Points,
		Value: c.Value, Currency: c.Currency, Reason: c.Reason, SentBy: c.SentBy}
	_, dup := s.Rewards[e.RewardID]
	return domain.Decision(domain.FirstError(s.live(), e.validate(), newID("reward_id", e.RewardID, dup)), e)
}
