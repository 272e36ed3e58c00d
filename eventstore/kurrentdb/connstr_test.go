package kurrentdb

import (
	"bytes"
	"log/slog"
	"math"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConnString(t *testing.T) {
	cases := []struct {
		name        string
		url         string
		address     string
		seeds       int
		discover    bool
		preference  esdb.NodePreference
		maxAttempts int
	}{
		{"OneHost", "esdb://127.0.0.1:2113?tls=false", "127.0.0.1:2113", 0, false, esdb.NodePreferenceLeader, math.MaxInt32},
		{"KurrentDBScheme", "kurrentdb://127.0.0.1:2113?tls=false", "127.0.0.1:2113", 0, false, esdb.NodePreferenceLeader, math.MaxInt32},
		{"SeveralSeeds", "kurrentdb://a:2113,b:2113,c:2113?tls=false&nodePreference=follower", "", 3, false, esdb.NodePreferenceFollower, math.MaxInt32},
		{"DNSDiscovery", "kurrentdb+discover://cluster.example:2113?nodePreference=leader", "cluster.example:2113", 0, true, esdb.NodePreferenceLeader, math.MaxInt32},
		{"OldDiscoverScheme", "esdb+discover://cluster.example:2113", "cluster.example:2113", 0, true, esdb.NodePreferenceLeader, math.MaxInt32},
		{"DiscoveryLimitKept", "esdb://127.0.0.1:2113?tls=false&maxDiscoverAttempts=3", "127.0.0.1:2113", 0, false, esdb.NodePreferenceLeader, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := parseConnString(c.url, slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			assert.Equal(t, c.address, cfg.Address)
			assert.Len(t, cfg.GossipSeeds, c.seeds)
			assert.Equal(t, c.discover, cfg.DnsDiscover)
			assert.Equal(t, c.preference, cfg.NodePreference)
			assert.Equal(t, c.maxAttempts, cfg.MaxDiscoverAttempts)
			require.NotNil(t, cfg.Logger, "the client's console logger is replaced")
		})
	}
}

func TestParseConnStringRefusals(t *testing.T) {
	cases := []struct {
		name, url, want string
	}{
		{"UnknownScheme", "postgres://localhost:5432", `scheme "postgres"`},
		{"NoScheme", "localhost:2113", "scheme"},
		{"BadPreference", "esdb://h:2113?nodePreference=nearest", "NodePreference"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseConnString(c.url, slog.New(slog.DiscardHandler))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestParseConnStringHidesPassword(t *testing.T) {
	_, err := parseConnString("esdb://admin:s3cret@h:notaport", slog.New(slog.DiscardHandler))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret")
}

func TestUnknownSettingsAreDroppedWithAWarning(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	cfg, err := parseConnString("kurrentdb://h:2113?tls=false&connectionName=ledgerline", log)
	require.NoError(t, err)
	assert.True(t, cfg.DisableTLS, "known settings are kept")
	assert.Contains(t, logs.String(), "connectionName")
}
