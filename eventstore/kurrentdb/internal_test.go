package kurrentdb

import (
	"errors"
	"fmt"
	"io"
	"math"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ledgerline/ledgerline/eventstore"
)

func TestPositionMapping(t *testing.T) {
	cases := []struct {
		name   string
		commit uint64
		port   uint64
	}{
		{"FirstEventOfTheLog", 0, 1},
		{"ByteOffset", 4242, 4243},
		{"NoPositionReported", math.MaxUint64, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.port, position(esdb.Position{Commit: c.commit, Prepare: c.commit}))
			if c.port > 0 {
				assert.Equal(t, esdb.Position{Commit: c.commit, Prepare: c.commit}, logPosition(c.port), "round trip")
			}
		})
	}
}

func TestServerFilter(t *testing.T) {
	cases := []struct {
		name   string
		cfg    Config
		filter eventstore.Filter
		want   esdb.SubscriptionFilter
	}{
		{"EverythingButSystemStreams", Config{}, eventstore.Filter{},
			esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Regex: "^[^$]"}},
		{"Namespace", Config{Namespace: "t1-"}, eventstore.Filter{},
			esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{"t1-"}}},
		{"ConfiguredPrefixes", Config{Namespace: "t1-", StreamPrefixes: []string{"customer-", "lead-"}}, eventstore.Filter{},
			esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{"t1-customer-", "t1-lead-"}}},
		{"FilterPrefixesWin", Config{StreamPrefixes: []string{"customer-"}}, eventstore.Filter{StreamPrefixes: []string{"customer-7"}},
			esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{"customer-7"}}},
		{"TypesAsAnchoredRegex", Config{}, eventstore.Filter{Types: []string{"customer.registered", "lead.won"}},
			esdb.SubscriptionFilter{Type: esdb.EventFilterType, Regex: `^(?:customer\.registered|lead\.won)$`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Store{cfg: c.cfg.withDefaults()}
			assert.Equal(t, c.want, *s.serverFilter(c.filter))
		})
	}
}

func TestOwnStreams(t *testing.T) {
	s := &Store{cfg: Config{Namespace: "t1-", StreamPrefixes: []string{"customer-"}}.withDefaults()}
	cases := []struct {
		name, stream, typ string
		want              string
		ok                bool
	}{
		{"OwnStream", "t1-customer-1", "customer.registered", "customer-1", true},
		{"OtherNamespace", "t2-customer-1", "customer.registered", "", false},
		{"OutsidePrefixes", "t1-lead-1", "lead.captured", "", false},
		{"SystemStream", "$stats-127.0.0.1:2113", "$statsCollected", "", false},
		{"SystemEventType", "t1-customer-1", "$metadata", "", false},
		{"IDClaim", "$ll-eventid-t1-" + uuid.NewString(), claimEventType, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := s.own(c.stream, c.typ)
			assert.Equal(t, c.ok, ok)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestClaimDigest(t *testing.T) {
	ev := eventstore.EventData{ID: uuid.New(), Type: "t", SchemaVersion: 1, Data: []byte(`{}`),
		OccurredAt: time.Date(2025, 1, 2, 3, 4, 5, 6789, time.FixedZone("X", 3600))}
	same := ev
	same.OccurredAt = ev.OccurredAt.UTC().Truncate(time.Microsecond)
	other := ev
	other.Data = []byte(`{"x":1}`)
	assert.Equal(t, claimOf("s", ev), claimOf("s", same), "a retry claims the same")
	assert.NotEqual(t, claimOf("s", ev), claimOf("s", other), "other content, other claim")
	assert.NotEqual(t, claimOf("s", ev), claimOf("t", ev), "other stream, other claim")
}

func TestReplayOf(t *testing.T) {
	evs := []eventstore.EventData{
		{ID: uuid.New(), Type: "t", SchemaVersion: 1, Data: []byte(`{"n":1}`), OccurredAt: time.Unix(1, 0).UTC()},
		{ID: uuid.New(), Type: "t", SchemaVersion: 1, Data: []byte(`{"n":2}`), OccurredAt: time.Unix(2, 0).UTC()},
	}
	stored := func(i int, version, pos uint64) eventstore.Record {
		return eventstore.Record{EventData: evs[i], Stream: "s", Version: version, Position: pos}
	}
	changed := stored(1, 5, 60)
	changed.Data = []byte(`{"n":3}`)
	cases := []struct {
		name    string
		found   []eventstore.Record
		replay  bool
		wantErr bool
		want    eventstore.AppendResult
	}{
		{"NothingStored", nil, false, false, eventstore.AppendResult{}},
		{"AllStoredInOrder", []eventstore.Record{stored(0, 4, 50), stored(1, 5, 60)}, true, false, eventstore.AppendResult{FirstVersion: 4, LastVersion: 5, LastPosition: 60}},
		{"OnlyTheFirstStored", []eventstore.Record{stored(0, 4, 50)}, false, true, eventstore.AppendResult{}},
		{"OnlyTheSecondStored", []eventstore.Record{stored(1, 5, 60)}, false, true, eventstore.AppendResult{}},
		{"NotTogether", []eventstore.Record{stored(0, 4, 50), stored(1, 7, 80)}, false, true, eventstore.AppendResult{}},
		{"OtherContent", []eventstore.Record{stored(0, 4, 50), changed}, false, true, eventstore.AppendResult{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			found := map[uuid.UUID]eventstore.Record{}
			for _, rec := range c.found {
				found[rec.ID] = rec
			}
			res, replay, err := replayOf("s", evs, found)
			assert.Equal(t, c.replay, replay)
			assert.Equal(t, c.want, res)
			if c.wantErr {
				require.ErrorIs(t, err, eventstore.ErrDuplicateEventID)
			} else {
				require.NoError(t, err)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	require.NoError(t, Config{}.Validate())
	err := Config{Timeout: -time.Second, Namespace: "$x", StreamPrefixes: []string{"", "$y"}}.Validate()
	require.Error(t, err)
	for _, want := range []string{"timeout", "namespace", `prefix ""`, `prefix "$y"`} {
		assert.Contains(t, err.Error(), want, "every problem is reported")
	}
}

func TestTransient(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"Unreachable", status.Error(codes.Unavailable, "connection refused"), true},
		{"NoAnswerInTime", status.Error(codes.DeadlineExceeded, "deadline"), true},
		{"StreamCutUnderASend", fmt.Errorf("could not send append request. Reason: %w", io.EOF), true},
		{"ClientClosedMeanwhile", fmt.Errorf("read: %w", errClientGone), true},
		{"AccessDenied", status.Error(codes.PermissionDenied, "denied"), false},
		{"RefusedRequest", status.Error(codes.InvalidArgument, "bad"), false},
		{"AnyOtherError", errors.New("boom"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, transient(c.err))
		})
	}
}
