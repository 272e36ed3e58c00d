package customer

import "github.com/ledgerline/ledgerline/domain"

// Every use case is a domain.Command on the customer's stream.
var (
	_ domain.Command[*State] = Register{}
	_ domain.Command[*State] = ChangeContactDetails{}
	_ domain.Command[*State] = ChangeProfile{}
	_ domain.Command[*State] = AssignAccountManager{}
	_ domain.Command[*State] = SetTags{}
	_ domain.Command[*State] = FlagKeyAccount{}
	_ domain.Command[*State] = UnflagKeyAccount{}
	_ domain.Command[*State] = Merge{}
	_ domain.Command[*State] = AcceptMerge{}
	_ domain.Command[*State] = Forget{}
	_ domain.Command[*State] = GiveConsent{}
	_ domain.Command[*State] = WithdrawConsent{}
	_ domain.Command[*State] = LogInteraction{}
	_ domain.Command[*State] = GiveRating{}
	_ domain.Command[*State] = AnswerSurvey{}
	_ domain.Command[*State] = FileComplaint{}
	_ domain.Command[*State] = OpenSupportCase{}
	_ domain.Command[*State] = ResolveSupportCase{}
	_ domain.Command[*State] = RecordPurchase{}
	_ domain.Command[*State] = RefundPurchase{}
	_ domain.Command[*State] = IssueInvoice{}
	_ domain.Command[*State] = ReceivePayment{}
	_ domain.Command[*State] = SendPaymentReminder{}
	_ domain.Command[*State] = GrantDiscount{}
	_ domain.Command[*State] = ChangeDiscount{}
	_ domain.Command[*State] = RevokeDiscount{}
	_ domain.Command[*State] = OfferPromotion{}
	_ domain.Command[*State] = RedeemPromotion{}
	_ domain.Command[*State] = SendReward{}
	_ domain.Command[*State] = DeclareDeparture{}
	_ domain.Command[*State] = AttemptWinBack{}
	_ domain.Command[*State] = Reactivate{}
	_ domain.Command[*State] = TargetCampaign{}
	_ domain.Command[*State] = RespondToCampaign{}
)
