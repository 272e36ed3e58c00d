package customer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/customer"
)

var emailMarketing = consent.Scope{Channel: channel.Email, Purpose: consent.Marketing}

func TestConsent(t *testing.T) {
	given := customer.ConsentGiven{Scope: emailMarketing, Evidence: "web form"}
	run(t, []decideCase{
		{name: "give", given: []domain.Event{registered},
			cmd:  customer.GiveConsent{CustomerID: id, Scope: emailMarketing, Evidence: "web form"},
			want: []domain.Event{given}},
		{name: "renew", given: []domain.Event{registered, given},
			cmd:  customer.GiveConsent{CustomerID: id, Scope: emailMarketing, Evidence: "phone call"},
			want: []domain.Event{customer.ConsentGiven{Scope: emailMarketing, Evidence: "phone call"}}},
		{name: "unknown channel", given: []domain.Event{registered},
			cmd:  customer.GiveConsent{CustomerID: id, Scope: consent.Scope{Channel: "pigeon", Purpose: consent.Marketing}},
			kind: domain.ErrInvalid, field: "channel"},
		{name: "unknown purpose", given: []domain.Event{registered},
			cmd:  customer.GiveConsent{CustomerID: id, Scope: consent.Scope{Channel: channel.SMS, Purpose: "spam"}},
			kind: domain.ErrInvalid, field: "purpose"},
		{name: "withdraw", given: []domain.Event{registered, given},
			cmd:  customer.WithdrawConsent{CustomerID: id, Scope: emailMarketing, Reason: "too many mails"},
			want: []domain.Event{customer.ConsentWithdrawn{Scope: emailMarketing, Reason: "too many mails"}}},
		{name: "withdraw what was not given", given: []domain.Event{registered, given},
			cmd:  customer.WithdrawConsent{CustomerID: id, Scope: consent.Scope{Channel: channel.SMS, Purpose: consent.Marketing}},
			kind: domain.ErrState, field: "purpose"},
		{name: "withdraw twice", given: []domain.Event{registered, given, customer.ConsentWithdrawn{Scope: emailMarketing}},
			cmd: customer.WithdrawConsent{CustomerID: id, Scope: emailMarketing}, kind: domain.ErrState, field: "purpose"},
	})
}

func TestConsentState(t *testing.T) {
	sms := consent.Scope{Channel: channel.SMS, Purpose: consent.Surveys}
	s := fold(registered, customer.ConsentGiven{Scope: emailMarketing}, customer.ConsentGiven{Scope: sms},
		customer.ConsentWithdrawn{Scope: emailMarketing})
	assert.False(t, s.HasConsent(emailMarketing))
	assert.True(t, s.HasConsent(sms))
	assert.Equal(t, t0.Add(2*time.Hour), s.Consents[sms])
}

func TestLogInteraction(t *testing.T) {
	logged := customer.InteractionLogged{Channel: channel.Phone, Direction: channel.Outbound, Topic: "renewal",
		Outcome: "call back Friday", Employee: "e1", CampaignID: other, Note: "prefers mornings"}
	run(t, []decideCase{
		{name: "outbound call", given: []domain.Event{registered},
			cmd: customer.LogInteraction{CustomerID: id, Channel: channel.Phone, Direction: channel.Outbound, Topic: "renewal",
				Outcome: "call back Friday", Employee: "e1", CampaignID: other, Note: "prefers mornings"},
			want: []domain.Event{logged}},
		{name: "inbound web form without employee", given: []domain.Event{registered},
			cmd:  customer.LogInteraction{CustomerID: id, Channel: channel.WebForm, Direction: channel.Inbound, Topic: "question"},
			want: []domain.Event{customer.InteractionLogged{Channel: channel.WebForm, Direction: channel.Inbound, Topic: "question"}}},
		{name: "every channel is known", given: []domain.Event{registered},
			cmd:  customer.LogInteraction{CustomerID: id, Channel: channel.Fax, Direction: channel.Inbound, Topic: "order"},
			want: []domain.Event{customer.InteractionLogged{Channel: channel.Fax, Direction: channel.Inbound, Topic: "order"}}},
		{name: "outbound without employee", given: []domain.Event{registered},
			cmd:  customer.LogInteraction{CustomerID: id, Channel: channel.Email, Direction: channel.Outbound, Topic: "offer"},
			kind: domain.ErrInvalid, field: "employee"},
		{name: "unknown channel", given: []domain.Event{registered},
			cmd:  customer.LogInteraction{CustomerID: id, Channel: "telepathy", Direction: channel.Inbound, Topic: "x"},
			kind: domain.ErrInvalid, field: "channel"},
		{name: "unknown direction", given: []domain.Event{registered},
			cmd:  customer.LogInteraction{CustomerID: id, Channel: channel.Email, Direction: "sideways", Topic: "x"},
			kind: domain.ErrInvalid, field: "direction"},
		{name: "no topic", given: []domain.Event{registered},
			cmd:  customer.LogInteraction{CustomerID: id, Channel: channel.Email, Direction: channel.Inbound},
			kind: domain.ErrInvalid, field: "topic"},
		{name: "note too long", given: []domain.Event{registered},
			cmd: customer.LogInteraction{CustomerID: id, Channel: channel.Email, Direction: channel.Inbound, Topic: "x",
				Note: strings.Repeat("n", 4001)},
			kind: domain.ErrInvalid, field: "note"},
	})
}

func TestRatingsAndSurveys(t *testing.T) {
	zero, eleven, minus := 0, 11, -1
	run(t, []decideCase{
		{name: "rating", given: []domain.Event{registered}, cmd: customer.GiveRating{CustomerID: id, Stars: 4, Subject: "P1", Comment: "ok"},
			want: []domain.Event{customer.RatingGiven{Stars: 4, Subject: "P1", Comment: "ok"}}},
		{name: "no stars", given: []domain.Event{registered}, cmd: customer.GiveRating{CustomerID: id},
			kind: domain.ErrInvalid, field: "stars"},
		{name: "six stars", given: []domain.Event{registered}, cmd: customer.GiveRating{CustomerID: id, Stars: 6},
			kind: domain.ErrInvalid, field: "stars"},
		{name: "survey", given: []domain.Event{registered}, cmd: customer.AnswerSurvey{CustomerID: id, SurveyID: "S1", NPS: &nps, Comment: "great"},
			want: []domain.Event{customer.SurveyAnswered{SurveyID: "S1", NPS: 9, Comment: "great"}}},
		{name: "detractor", given: []domain.Event{registered}, cmd: customer.AnswerSurvey{CustomerID: id, SurveyID: "S1", NPS: &zero},
			want: []domain.Event{customer.SurveyAnswered{SurveyID: "S1", NPS: 0}}},
		{name: "no score", given: []domain.Event{registered}, cmd: customer.AnswerSurvey{CustomerID: id, SurveyID: "S1"},
			kind: domain.ErrInvalid, field: "nps"},
		{name: "score 11", given: []domain.Event{registered}, cmd: customer.AnswerSurvey{CustomerID: id, SurveyID: "S1", NPS: &eleven},
			kind: domain.ErrInvalid, field: "nps"},
		{name: "score -1", given: []domain.Event{registered}, cmd: customer.AnswerSurvey{CustomerID: id, SurveyID: "S1", NPS: &minus},
			kind: domain.ErrInvalid, field: "nps"},
		{name: "no survey", given: []domain.Event{registered}, cmd: customer.AnswerSurvey{CustomerID: id, NPS: &nps},
			kind: domain.ErrInvalid, field: "survey_id"},
		{name: "answered twice", given: []domain.Event{registered, customer.SurveyAnswered{SurveyID: "S1", NPS: 3}},
			cmd: customer.AnswerSurvey{CustomerID: id, SurveyID: "S1", NPS: &nps}, kind: domain.ErrState, field: "survey_id"},
	})
}

func TestComplaintsAndSupportCases(t *testing.T) {
	filed := customer.ComplaintFiled{ComplaintID: "C1", Channel: channel.Letter, Topic: "damaged CD", PurchaseID: "P1"}
	opened := customer.SupportCaseOpened{CaseID: "K1", Channel: channel.Chat, Subject: "refund", Priority: customer.Normal, ComplaintID: "C1"}
	resolved := customer.SupportCaseResolved{CaseID: "K1", Resolution: "replacement sent", Employee: "e1"}
	run(t, []decideCase{
		{name: "complaint", given: []domain.Event{registered, purchased},
			cmd:  customer.FileComplaint{CustomerID: id, ComplaintID: "C1", Channel: channel.Letter, Topic: "damaged CD", PurchaseID: "P1"},
			want: []domain.Event{filed}},
		{name: "complaint about an unknown purchase", given: []domain.Event{registered},
			cmd:  customer.FileComplaint{CustomerID: id, ComplaintID: "C1", Channel: channel.Letter, Topic: "x", PurchaseID: "P1"},
			kind: domain.ErrState, field: "purchase_id"},
		{name: "complaint id reused", given: []domain.Event{registered, purchased, filed},
			cmd:  customer.FileComplaint{CustomerID: id, ComplaintID: "C1", Channel: channel.Email, Topic: "x"},
			kind: domain.ErrState, field: "complaint_id"},
		{name: "complaint without topic", given: []domain.Event{registered},
			cmd:  customer.FileComplaint{CustomerID: id, ComplaintID: "C1", Channel: channel.Email},
			kind: domain.ErrInvalid, field: "topic"},
		{name: "open case", given: []domain.Event{registered, purchased, filed},
			cmd:  customer.OpenSupportCase{CustomerID: id, CaseID: "K1", Channel: channel.Chat, Subject: "refund", ComplaintID: "C1"},
			want: []domain.Event{opened}},
		{name: "open urgent case", given: []domain.Event{registered},
			cmd:  customer.OpenSupportCase{CustomerID: id, CaseID: "K2", Channel: channel.Phone, Subject: "outage", Priority: customer.Urgent},
			want: []domain.Event{customer.SupportCaseOpened{CaseID: "K2", Channel: channel.Phone, Subject: "outage", Priority: customer.Urgent}}},
		{name: "open case for an unknown complaint", given: []domain.Event{registered},
			cmd:  customer.OpenSupportCase{CustomerID: id, CaseID: "K1", Channel: channel.Chat, Subject: "x", ComplaintID: "C9"},
			kind: domain.ErrState, field: "complaint_id"},
		{name: "open case with unknown priority", given: []domain.Event{registered},
			cmd:  customer.OpenSupportCase{CustomerID: id, CaseID: "K1", Channel: channel.Chat, Subject: "x", Priority: "asap"},
			kind: domain.ErrInvalid, field: "priority"},
		{name: "case id reused", given: []domain.Event{registered, purchased, filed, opened},
			cmd:  customer.OpenSupportCase{CustomerID: id, CaseID: "K1", Channel: channel.Chat, Subject: "again"},
			kind: domain.ErrState, field: "case_id"},
		{name: "resolve", given: []domain.Event{registered, purchased, filed, opened},
			cmd:  customer.ResolveSupportCase{CustomerID: id, CaseID: "K1", Resolution: "replacement sent", Employee: "e1"},
			want: []domain.Event{resolved}},
		{name: "resolve unknown case", given: []domain.Event{registered},
			cmd:  customer.ResolveSupportCase{CustomerID: id, CaseID: "K1", Resolution: "x", Employee: "e1"},
			kind: domain.ErrState, field: "case_id"},
		{name: "resolve twice", given: []domain.Event{registered, purchased, filed, opened, resolved},
			cmd:  customer.ResolveSupportCase{CustomerID: id, CaseID: "K1", Resolution: "x", Employee: "e1"},
			kind: domain.ErrState, field: "case_id"},
		{name: "resolve without note", given: []domain.Event{registered, purchased, filed, opened},
			cmd:  customer.ResolveSupportCase{CustomerID: id, CaseID: "K1", Employee: "e1"},
			kind: domain.ErrInvalid, field: "resolution"},
	})
}

func TestSupportState(t *testing.T) {
	s := fold(registered, customer.SupportCaseOpened{CaseID: "K1", Channel: channel.Chat, Subject: "x", Priority: customer.Low},
		customer.SupportCaseOpened{CaseID: "K2", Channel: channel.Chat, Subject: "y", Priority: customer.Low},
		customer.SupportCaseResolved{CaseID: "K1", Resolution: "done", Employee: "e1"})
	assert.True(t, s.SupportCases["K1"].Resolved)
	assert.False(t, s.SupportCases["K2"].Resolved)
	assert.Equal(t, t0.Add(2*time.Hour), s.SupportCases["K2"].OpenedAt)
	assert.NotEqual(t, uuid.Nil, s.ID)
}
