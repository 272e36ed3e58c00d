package customer_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/campaign"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
	"github.com/ledgerline/ledgerline/domain/customer"
)

var departed = customer.DepartureDeclared{Reason: "too expensive", Channel: channel.Phone}

func TestDepartureWinBackReactivation(t *testing.T) {
	attempt := func(o customer.Outcome) customer.AttemptWinBack {
		return customer.AttemptWinBack{CustomerID: id, Offer: "20% off", Outcome: o, Channel: channel.Phone, Employee: "e1"}
	}
	attempted := func(o customer.Outcome) customer.WinBackAttempted {
		return customer.WinBackAttempted{Offer: "20% off", Outcome: o, Channel: channel.Phone, Employee: "e1"}
	}
	run(t, []decideCase{
		{name: "declare", given: []domain.Event{registered},
			cmd: customer.DeclareDeparture{CustomerID: id, Reason: "too expensive", Channel: channel.Phone}, want: []domain.Event{departed}},
		{name: "declare twice", given: []domain.Event{registered, departed},
			cmd: customer.DeclareDeparture{CustomerID: id, Reason: "still"}, kind: domain.ErrState, field: "customer_id"},
		{name: "declare without reason", given: []domain.Event{registered},
			cmd: customer.DeclareDeparture{CustomerID: id}, kind: domain.ErrInvalid, field: "reason"},
		{name: "win-back declined", given: []domain.Event{registered, departed}, cmd: attempt(customer.Declined),
			want: []domain.Event{attempted(customer.Declined)}},
		{name: "win-back accepted reactivates", given: []domain.Event{registered, departed}, cmd: attempt(customer.Accepted),
			want: []domain.Event{attempted(customer.Accepted), customer.Reactivated{Reason: "win-back offer accepted: 20% off"}}},
		{name: "win-back of a silent customer", given: []domain.Event{registered}, cmd: attempt(customer.Accepted),
			want: []domain.Event{attempted(customer.Accepted)}},
		{name: "win-back with unknown outcome", given: []domain.Event{registered}, cmd: attempt("maybe"),
			kind: domain.ErrInvalid, field: "outcome"},
		{name: "win-back without offer", given: []domain.Event{registered},
			cmd:  customer.AttemptWinBack{CustomerID: id, Outcome: customer.Pending, Channel: channel.Phone, Employee: "e1"},
			kind: domain.ErrInvalid, field: "offer"},
		{name: "reactivate", given: []domain.Event{registered, departed}, cmd: customer.Reactivate{CustomerID: id, Reason: "new contract"},
			want: []domain.Event{customer.Reactivated{Reason: "new contract"}}},
		{name: "reactivate an active customer", given: []domain.Event{registered}, cmd: customer.Reactivate{CustomerID: id, Reason: "x"},
			kind: domain.ErrState, field: "customer_id"},
		{name: "reactivate twice", given: []domain.Event{registered, departed, customer.Reactivated{Reason: "x"}},
			cmd: customer.Reactivate{CustomerID: id, Reason: "x"}, kind: domain.ErrState, field: "customer_id"},
	})
}

func TestTargetCampaign(t *testing.T) {
	camp := uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-000000000001")
	consented := customer.ConsentGiven{Scope: emailMarketing}
	target := func(limit campaign.FrequencyCap) customer.TargetCampaign {
		return customer.TargetCampaign{CustomerID: id, CampaignID: camp, Channel: channel.Email, Purpose: consent.Marketing, FrequencyCap: limit}
	}
	weekly := campaign.FrequencyCap{Max: 2, WindowDays: 7}
	call := customer.InteractionLogged{Channel: channel.Phone, Direction: channel.Outbound, Topic: "offer", Employee: "e1"}
	targeted := customer.CampaignTargeted{CampaignID: camp, Scope: emailMarketing}
	run(t, []decideCase{
		{name: "targeted", given: []domain.Event{registered, consented}, cmd: target(weekly), want: []domain.Event{targeted}},
		{name: "no cap", given: []domain.Event{registered, consented, call, call, call}, cmd: target(campaign.FrequencyCap{}),
			want: []domain.Event{targeted}},
		{name: "skipped without consent", given: []domain.Event{registered, customer.ConsentGiven{Scope: consent.Scope{Channel: channel.SMS, Purpose: consent.Marketing}}},
			cmd: target(weekly), want: []domain.Event{customer.CampaignSkipped{CampaignID: camp, Channel: channel.Email, Reason: customer.NoConsent}}},
		{name: "skipped after withdrawal", given: []domain.Event{registered, consented, customer.ConsentWithdrawn{Scope: emailMarketing}},
			cmd: target(weekly), want: []domain.Event{customer.CampaignSkipped{CampaignID: camp, Channel: channel.Email, Reason: customer.NoConsent}}},
		{name: "skipped at the cap, on any channel", given: []domain.Event{registered, consented, call, call},
			cmd: target(weekly), want: []domain.Event{customer.CampaignSkipped{CampaignID: camp, Channel: channel.Email, Reason: customer.FrequencyCap}}},
		{name: "contacts outside the window do not count", given: []domain.Event{registered, consented, call, call},
			at: t0.Add(8 * 24 * time.Hour), cmd: target(weekly), want: []domain.Event{targeted}},
		{name: "inbound contacts do not count", given: []domain.Event{registered, consented,
			customer.InteractionLogged{Channel: channel.Phone, Direction: channel.Inbound, Topic: "q"},
			customer.InteractionLogged{Channel: channel.Chat, Direction: channel.Inbound, Topic: "q"}},
			cmd: target(weekly), want: []domain.Event{targeted}},
		{name: "targeted twice", given: []domain.Event{registered, consented, targeted}, cmd: target(weekly),
			kind: domain.ErrState, field: "campaign_id"},
		{name: "retried after a skip", given: []domain.Event{registered,
			customer.CampaignSkipped{CampaignID: camp, Channel: channel.Email, Reason: customer.NoConsent}, consented},
			cmd: target(weekly), want: []domain.Event{targeted}},
		{name: "bad cap", given: []domain.Event{registered, consented}, cmd: target(campaign.FrequencyCap{Max: 2}),
			kind: domain.ErrInvalid, field: "frequency_cap.window_days"},
		{name: "no campaign", given: []domain.Event{registered}, cmd: customer.TargetCampaign{CustomerID: id, Channel: channel.Email, Purpose: consent.Marketing},
			kind: domain.ErrInvalid, field: "campaign_id"},
		{name: "unknown purpose", given: []domain.Event{registered},
			cmd:  customer.TargetCampaign{CustomerID: id, CampaignID: camp, Channel: channel.Email, Purpose: "spam"},
			kind: domain.ErrInvalid, field: "purpose"},
	})
}

func TestRespondToCampaign(t *testing.T) {
	camp := uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-000000000001")
	consented := customer.ConsentGiven{Scope: emailMarketing}
	targeted := customer.CampaignTargeted{CampaignID: camp, Scope: emailMarketing}
	respond := func(r customer.Response) customer.RespondToCampaign {
		return customer.RespondToCampaign{CustomerID: id, CampaignID: camp, Response: r, Channel: channel.Email}
	}
	run(t, []decideCase{
		{name: "clicked", given: []domain.Event{registered, consented, targeted}, cmd: respond(customer.Clicked),
			want: []domain.Event{customer.CampaignResponded{CampaignID: camp, Response: customer.Clicked, Channel: channel.Email}}},
		{name: "unsubscribed withdraws consent", given: []domain.Event{registered, consented, targeted}, cmd: respond(customer.Unsubscribed),
			want: []domain.Event{customer.CampaignResponded{CampaignID: camp, Response: customer.Unsubscribed, Channel: channel.Email},
				customer.ConsentWithdrawn{Scope: emailMarketing, Reason: "unsubscribed from campaign " + camp.String()}}},
		{name: "unsubscribed after withdrawal", given: []domain.Event{registered, consented, targeted, customer.ConsentWithdrawn{Scope: emailMarketing}},
			cmd:  respond(customer.Unsubscribed),
			want: []domain.Event{customer.CampaignResponded{CampaignID: camp, Response: customer.Unsubscribed, Channel: channel.Email}}},
		{name: "not targeted", given: []domain.Event{registered}, cmd: respond(customer.Clicked),
			kind: domain.ErrState, field: "campaign_id"},
		{name: "unknown response", given: []domain.Event{registered, consented, targeted}, cmd: respond("liked"),
			kind: domain.ErrInvalid, field: "response"},
	})
}

func TestOutboundContactsState(t *testing.T) {
	camp := uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-000000000001")
	s := fold(registered,
		customer.CampaignTargeted{CampaignID: camp, Scope: emailMarketing},
		customer.InteractionLogged{Channel: channel.Email, Direction: channel.Outbound, Topic: "offer", Employee: "e1", CampaignID: camp},
		customer.InteractionLogged{Channel: channel.Phone, Direction: channel.Outbound, Topic: "follow-up", Employee: "e1"},
		customer.InteractionLogged{Channel: channel.Phone, Direction: channel.Inbound, Topic: "question"},
		departed)
	assert.Equal(t, []time.Time{t0.Add(time.Hour), t0.Add(3 * time.Hour)}, s.Outbound)
	assert.Equal(t, emailMarketing, s.Campaigns[camp])
	assert.True(t, s.Departing)
}
