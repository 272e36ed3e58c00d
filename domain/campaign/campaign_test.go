package campaign_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/campaign"
	"github.com/ledgerline/ledgerline/domain/channel"
	"github.com/ledgerline/ledgerline/domain/consent"
)

var (
	id      = uuid.MustParse("0190c5a4-6b2e-7c3d-9e8f-000000000001")
	now     = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	later   = now.Add(30 * 24 * time.Hour)
	weekly  = campaign.FrequencyCap{Max: 2, WindowDays: 7}
	defined = campaign.Defined{CampaignID: id, Name: "Spring jazz", Channel: channel.Email, Purpose: consent.Marketing,
		AudienceRule: "rfm_segment = 'champions'", Offer: "15% off jazz", StartsAt: now, EndsAt: later, FrequencyCap: weekly}
)

func define(f func(*campaign.Define)) campaign.Define {
	c := campaign.Define{CampaignID: id, Name: "Spring jazz", Channel: channel.Email, Purpose: consent.Marketing,
		AudienceRule: "rfm_segment = 'champions'", Offer: "15% off jazz", EndsAt: later, FrequencyCap: weekly}
	if f != nil {
		f(&c)
	}
	return c
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name  string
		given []domain.Event
		cmd   domain.Command[*campaign.State]
		want  []domain.Event
		kind  error
		field string
	}{
		{name: "define from now", cmd: define(nil), want: []domain.Event{defined}},
		{name: "purpose defaults to marketing", cmd: define(func(c *campaign.Define) { c.Purpose = "" }), want: []domain.Event{defined}},
		{name: "define twice", given: []domain.Event{defined}, cmd: define(nil), kind: domain.ErrAlreadyExists, field: "campaign_id"},
		{name: "ends before start", cmd: define(func(c *campaign.Define) { c.EndsAt = now }), kind: domain.ErrInvalid, field: "ends_at"},
		{name: "unknown channel", cmd: define(func(c *campaign.Define) { c.Channel = "tv" }), kind: domain.ErrInvalid, field: "channel"},
		{name: "no audience", cmd: define(func(c *campaign.Define) { c.AudienceRule = "" }), kind: domain.ErrInvalid, field: "audience_rule"},
		{name: "no offer", cmd: define(func(c *campaign.Define) { c.Offer = "" }), kind: domain.ErrInvalid, field: "offer"},
		{name: "cap without window", cmd: define(func(c *campaign.Define) { c.FrequencyCap.WindowDays = 0 }),
			kind: domain.ErrInvalid, field: "frequency_cap.window_days"},
		{name: "cap without max", cmd: define(func(c *campaign.Define) { c.FrequencyCap.Max = 0 }),
			kind: domain.ErrInvalid, field: "frequency_cap.max"},
		{name: "close", given: []domain.Event{defined}, cmd: campaign.Close{CampaignID: id, Reason: "budget spent"},
			want: []domain.Event{campaign.Closed{Reason: "budget spent"}}},
		{name: "close unknown", cmd: campaign.Close{CampaignID: id, Reason: "x"}, kind: domain.ErrNotFound, field: "campaign_id"},
		{name: "close twice", given: []domain.Event{defined, campaign.Closed{Reason: "x"}}, cmd: campaign.Close{CampaignID: id, Reason: "x"},
			kind: domain.ErrState, field: "campaign_id"},
		{name: "close without reason", given: []domain.Event{defined}, cmd: campaign.Close{CampaignID: id},
			kind: domain.ErrInvalid, field: "reason"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := fold(tc.given...)
			assert.Equal(t, campaign.Stream(id), tc.cmd.Stream())
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
		})
	}
}

func TestState(t *testing.T) {
	s := fold(defined)
	assert.True(t, s.Exists())
	assert.False(t, s.ActiveAt(now.Add(-time.Second)))
	assert.True(t, s.ActiveAt(now))
	assert.False(t, s.ActiveAt(later))
	s.Apply(domain.Recorded{Version: 2, Event: campaign.Closed{Reason: "x"}})
	assert.False(t, s.ActiveAt(now))
	assert.Equal(t, uint64(2), s.Version)
	assert.False(t, fold().Exists())
}

func TestFrequencyCap(t *testing.T) {
	assert.True(t, campaign.FrequencyCap{}.IsZero())
	assert.NoError(t, campaign.FrequencyCap{}.Validate())
	assert.Equal(t, 7*24*time.Hour, weekly.Window())
	assert.ErrorIs(t, campaign.FrequencyCap{Max: -1, WindowDays: 7}.Validate(), domain.ErrInvalid)
}

func TestStream(t *testing.T) {
	got, err := campaign.ParseStream(campaign.Stream(id))
	require.NoError(t, err)
	assert.Equal(t, id, got)
}

func fold(events ...domain.Event) *campaign.State {
	s := &campaign.State{}
	for i, e := range events {
		s.Apply(domain.Recorded{Version: uint64(i + 1), At: now, Event: e})
	}
	return s
}
