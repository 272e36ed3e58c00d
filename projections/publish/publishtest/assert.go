package publishtest

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/publish"
)

// assertDelivered checks that every event of log arrived, on its stream's
// topic, that nothing else did, that a message arriving twice is the same
// event both times, and that each stream's events first arrived in
// version order.
func assertDelivered(t *testing.T, r *rig, log []eventstore.Record, got []received) {
	t.Helper()
	byID := index(log)
	first := map[string][]byte{}
	lastVersion := map[string]uint64{}
	for _, g := range got {
		env, err := publish.Decode(g.msg)
		require.NoError(t, err)
		id := env.EventID.String()
		rec, ok := byID[id]
		require.True(t, ok, "message %s is no stored event", id)
		assert.Equal(t, r.broker.Sharding.TopicOf(rec.Stream), g.topic, "event %d on its stream's topic", rec.Position)
		if payload, seen := first[id]; seen {
			assert.Equal(t, string(payload), string(g.msg.Payload), "a duplicate of %s is the same event", id)
			continue
		}
		first[id] = g.msg.Payload
		assert.Equal(t, lastVersion[rec.Stream]+1, rec.Version, "stream %s in order (event %d)", rec.Stream, rec.Position)
		lastVersion[rec.Stream] = rec.Version
	}
	assert.Len(t, first, len(log), "every event arrived")
}

// assertCarries checks one message against its stored event.
func assertCarries(t *testing.T, r *rig, g received, rec eventstore.Record, env feed.Envelope) {
	t.Helper()
	back, err := env.Record()
	require.NoError(t, err)
	assert.Equal(t, rec, back, "the envelope carries the stored event")
	assert.Equal(t, rec.ID.String(), g.msg.UUID, "the message UUID is the event id")
	md := g.msg.Metadata
	want := map[string]string{
		publish.MetaEventID: rec.ID.String(), publish.MetaType: rec.Type, publish.MetaStream: rec.Stream,
		publish.MetaSchemaVersion: strconv.Itoa(rec.SchemaVersion),
		publish.MetaVersion:       strconv.FormatUint(rec.Version, 10), publish.MetaPosition: strconv.FormatUint(rec.Position, 10),
		publish.MetaCorrelationID: rec.Metadata.CorrelationID.String(), publish.MetaCausationID: rec.Metadata.CausationID.String(),
		publish.MetaEnvelopeVersion: strconv.Itoa(publish.EnvelopeVersion),
	}
	for k, v := range want {
		assert.Equal(t, v, md.Get(k), "metadata %s of event %d", k, rec.Position)
	}
	assert.Equal(t, r.broker.Sharding.TopicOf(rec.Stream), g.topic)
}

func index(log []eventstore.Record) map[string]eventstore.Record {
	out := make(map[string]eventstore.Record, len(log))
	for _, r := range log {
		out[r.ID.String()] = r
	}
	return out
}

func countByID(got []received) map[string]int {
	out := map[string]int{}
	for _, g := range got {
		out[g.msg.UUID]++
	}
	return out
}
