package customer

import (
	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
)

// Category is the stream category of customers: streams are
// "customer-<uuid>".
const Category = "customer"

// Stream returns the stream of customer id.
func Stream(id uuid.UUID) string { return domain.StreamName(Category, id) }

// ParseStream returns the customer id of a stream named by [Stream].
func ParseStream(stream string) (uuid.UUID, error) { return domain.ParseStream(Category, stream) }

// Limits on text fields, in characters.
const (
	maxID    = 100  // ids chosen by callers: purchase, invoice, case ids
	maxShort = 200  // names, topics, reasons
	maxLong  = 4000 // notes, descriptions, resolutions
)

// Events returns the specs of every customer event type, at schema
// version 1.
func Events() []domain.EventSpec {
	return []domain.EventSpec{
		domain.Define[Registered](1, nil),
		domain.Define[ContactDetailsChanged](1, nil),
		domain.Define[ProfileAttributesChanged](1, nil),
		domain.Define[AccountManagerAssigned](1, nil),
		domain.Define[TagsSet](1, nil),
		domain.Define[KeyAccountFlagged](1, nil),
		domain.Define[KeyAccountUnflagged](1, nil),
		domain.Define[MergedInto](1, nil),
		domain.Define[MergedFrom](1, nil),
		domain.Define[Forgotten](1, nil),
		domain.Define[ConsentGiven](1, nil),
		domain.Define[ConsentWithdrawn](1, nil),
		domain.Define[InteractionLogged](1, nil),
		domain.Define[RatingGiven](1, nil),
		domain.Define[SurveyAnswered](1, nil),
		domain.Define[ComplaintFiled](1, nil),
		domain.Define[SupportCaseOpened](1, nil),
		domain.Define[SupportCaseResolved](1, nil),
		domain.Define[PurchaseRecorded](1, nil),
		domain.Define[PurchaseRefunded](1, nil),
		domain.Define[InvoiceIssued](1, nil),
		domain.Define[PaymentReceived](1, nil),
		domain.Define[PaymentReminderSent](1, nil),
		domain.Define[DiscountGranted](1, nil),
		domain.Define[DiscountChanged](1, nil),
		domain.Define[DiscountRevoked](1, nil),
		domain.Define[PromotionOffered](1, nil),
		domain.Define[PromotionRedeemed](1, nil),
		domain.Define[RewardSent](1, nil),
		domain.Define[DepartureDeclared](1, nil),
		domain.Define[WinBackAttempted](1, nil),
		domain.Define[Reactivated](1, nil),
		domain.Define[CampaignTargeted](1, nil),
		domain.Define[CampaignSkipped](1, nil),
		domain.Define[CampaignResponded](1, nil),
	}
}
