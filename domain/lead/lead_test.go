package lead_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/contact"
	"github.com/ledgerline/ledgerline/domain/lead"
)

var (
	id       = uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-0a1b2c3d4e5f")
	customer = uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-ffffffffffff")
	campaign = uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-000000000001")
	now      = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

	captured = lead.Captured{LeadID: id, Name: "Jan Kowalski", Details: contact.Details{Email: "jan@example.com"},
		Company: "Kowalski i s-ka", Channel: channel.WebForm, CampaignID: campaign, Source: "spring fair"}
	qualified    = lead.Qualified{Employee: "e1", Note: "budget approved"}
	disqualified = lead.Disqualified{Reason: "no budget", Employee: "e1"}
)

func capture() lead.Capture {
	return lead.Capture{LeadID: id, Name: "Jan Kowalski", Details: contact.Details{Email: "jan@example.com"},
		Company: "Kowalski i s-ka", Channel: channel.WebForm, CampaignID: campaign, Source: "spring fair"}
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name  string
		given []domain.Event
		cmd   domain.Command[*lead.State]
		want  []domain.Event
		kind  error
		field string
	}{
		{name: "capture", cmd: capture(), want: []domain.Event{captured}},
		{name: "capture with a phone only", cmd: lead.Capture{LeadID: id, Name: "Jan", Details: contact.Details{Phone: "600100200"}, Channel: channel.Phone},
			want: []domain.Event{lead.Captured{LeadID: id, Name: "Jan", Details: contact.Details{Phone: "600100200"}, Channel: channel.Phone}}},
		{name: "capture twice", given: []domain.Event{captured}, cmd: capture(), kind: domain.ErrAlreadyExists, field: "lead_id"},
		{name: "capture unreachable", cmd: lead.Capture{LeadID: id, Name: "Jan", Channel: channel.Phone},
			kind: domain.ErrInvalid, field: "email"},
		{name: "capture without name", cmd: lead.Capture{LeadID: id, Details: contact.Details{Phone: "600100200"}, Channel: channel.Phone},
			kind: domain.ErrInvalid, field: "name"},
		{name: "capture from unknown channel", cmd: lead.Capture{LeadID: id, Name: "Jan", Details: contact.Details{Phone: "600100200"}, Channel: "tv"},
			kind: domain.ErrInvalid, field: "channel"},
		{name: "capture without id", cmd: lead.Capture{Name: "Jan", Details: contact.Details{Phone: "600100200"}, Channel: channel.Phone},
			kind: domain.ErrInvalid, field: "lead_id"},
		{name: "qualify", given: []domain.Event{captured}, cmd: lead.Qualify{LeadID: id, Employee: "e1", Note: "budget approved"},
			want: []domain.Event{qualified}},
		{name: "qualify unknown", cmd: lead.Qualify{LeadID: id, Employee: "e1"}, kind: domain.ErrNotFound, field: "lead_id"},
		{name: "qualify twice", given: []domain.Event{captured, qualified}, cmd: lead.Qualify{LeadID: id, Employee: "e1"},
			kind: domain.ErrState, field: "status"},
		{name: "qualify without employee", given: []domain.Event{captured}, cmd: lead.Qualify{LeadID: id},
			kind: domain.ErrInvalid, field: "employee"},
		{name: "disqualify captured", given: []domain.Event{captured}, cmd: lead.Disqualify{LeadID: id, Reason: "no budget", Employee: "e1"},
			want: []domain.Event{disqualified}},
		{name: "disqualify qualified", given: []domain.Event{captured, qualified}, cmd: lead.Disqualify{LeadID: id, Reason: "no budget", Employee: "e1"},
			want: []domain.Event{disqualified}},
		{name: "disqualify converted", given: []domain.Event{captured, qualified, lead.Converted{CustomerID: customer}},
			cmd: lead.Disqualify{LeadID: id, Reason: "x", Employee: "e1"}, kind: domain.ErrState, field: "status"},
		{name: "disqualify without reason", given: []domain.Event{captured}, cmd: lead.Disqualify{LeadID: id, Employee: "e1"},
			kind: domain.ErrInvalid, field: "reason"},
		{name: "convert", given: []domain.Event{captured, qualified}, cmd: lead.Convert{LeadID: id, CustomerID: customer},
			want: []domain.Event{lead.Converted{CustomerID: customer}}},
		{name: "convert unqualified", given: []domain.Event{captured}, cmd: lead.Convert{LeadID: id, CustomerID: customer},
			kind: domain.ErrState, field: "status"},
		{name: "convert disqualified", given: []domain.Event{captured, disqualified}, cmd: lead.Convert{LeadID: id, CustomerID: customer},
			kind: domain.ErrState, field: "status"},
		{name: "convert into nobody", given: []domain.Event{captured, qualified}, cmd: lead.Convert{LeadID: id},
			kind: domain.ErrInvalid, field: "customer_id"},
		{name: "convert unknown", cmd: lead.Convert{LeadID: id, CustomerID: customer}, kind: domain.ErrNotFound, field: "lead_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := fold(tc.given...)
			got, err := tc.cmd.Decide(s, now)
			if tc.kind != nil {
				var v *domain.ValidationError
				require.ErrorAs(t, err, &v)
				assert.ErrorIs(t, err, tc.kind)
				assert.Equal(t, tc.field, v.Field)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			roundTrip(t, got)
		})
	}
}

func TestState(t *testing.T) {
	s := fold(captured, qualified, lead.Converted{CustomerID: customer})
	assert.Equal(t, lead.StatusConverted, s.Status)
	assert.Equal(t, channel.WebForm, s.Captured.Channel)
	assert.Equal(t, campaign, s.Captured.CampaignID)
	assert.Equal(t, customer, s.Customer.CustomerID)
	assert.Equal(t, uint64(3), s.Version)
	assert.Equal(t, lead.StatusDisqualified, fold(captured, disqualified).Status)
}

func TestStream(t *testing.T) {
	assert.Equal(t, "lead-"+id.String(), lead.Qualify{LeadID: id}.Stream())
	got, err := lead.ParseStream("lead-" + id.String())
	require.NoError(t, err)
	assert.Equal(t, id, got)
	_, err = lead.ParseStream("customer-" + id.String())
	assert.ErrorIs(t, err, domain.ErrInvalid)
}

func fold(events ...domain.Event) *lead.State {
	s := &lead.State{}
	for i, e := range events {
		s.Apply(domain.Recorded{Version: uint64(i + 1), At: now, Event: e})
	}
	return s
}

func roundTrip(t *testing.T, events []domain.Event) {
	t.Helper()
	cat := catalogue.New()
	for _, e := range events {
		typ, v, data, err := cat.Encode(e)
		require.NoError(t, err)
		back, err := cat.Decode(typ, v, data)
		require.NoError(t, err)
		assert.Equal(t, e, back)
	}
}
