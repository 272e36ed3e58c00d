package publish_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"path/filepath"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections/publish"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
)

func TestShardingValidates(t *testing.T) {
	for _, c := range []struct {
		name string
		s    publish.Sharding
		ok   bool
	}{
		{"defaults", publish.Sharding{}, true},
		{"custom", publish.Sharding{Prefix: "crm.events-v1", Shards: 64}, true},
		{"empty word", publish.Sharding{Prefix: "crm..events"}, false},
		{"wildcard", publish.Sharding{Prefix: "crm.*"}, false},
		{"too many shards", publish.Sharding{Shards: publish.MaxShards + 1}, false},
		{"negative shards", publish.Sharding{Shards: -1}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.ok, c.s.Validate() == nil, "%v", c.s.Validate())
		})
	}
}

func TestShardingIsStableAndSpread(t *testing.T) {
	s := publish.Sharding{}
	assert.Equal(t, "ledgerline.events.0", s.Topic(0))
	assert.Len(t, s.Topics(), publish.DefaultShards)
	counts := map[int]int{}
	for i := range 1600 {
		stream := fmt.Sprintf("customer-%04d", i)
		assert.Equal(t, s.Shard(stream), s.Shard(stream))
		counts[s.Shard(stream)]++
	}
	assert.Len(t, counts, publish.DefaultShards, "every shard gets streams")
	for shard, n := range counts {
		assert.InDelta(t, 100, n, 50, "shard %d", shard)
	}
}

func TestAssignGivesEveryShardOneMember(t *testing.T) {
	for _, c := range []struct{ members, shards int }{{1, 16}, {3, 16}, {4, 16}, {5, 3}} {
		t.Run(fmt.Sprintf("%d of %d", c.members, c.shards), func(t *testing.T) {
			owner := map[int]int{}
			for m := range c.members {
				for _, s := range publish.Assign(m, c.members, c.shards) {
					_, taken := owner[s]
					assert.False(t, taken, "shard %d assigned twice", s)
					owner[s] = m
				}
			}
			assert.Len(t, owner, c.shards)
		})
	}
	assert.Nil(t, publish.Assign(3, 3, 16))
	assert.Nil(t, publish.Assign(-1, 3, 16))
}

func TestDecodeRefusesForeignMessages(t *testing.T) {
	good := `{"event_id":"0b7d4d6e-9c8f-4f1e-8d4b-0e6c1a2b3c4d","type":"t","data":{}}`
	for _, c := range []struct {
		name, payload string
		md            map[string]string
	}{
		{"not json", `{`, nil},
		{"other envelope version", good, map[string]string{publish.MetaEnvelopeVersion: "2"}},
		{"metadata names another event", good, map[string]string{publish.MetaEventID: "7f000000-0000-4000-8000-000000000000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg := message.NewMessage("x", []byte(c.payload))
			for k, v := range c.md {
				msg.Metadata.Set(k, v)
			}
			_, err := publish.Decode(msg)
			assert.Error(t, err)
		})
	}
}

func TestConfigReportsEveryProblem(t *testing.T) {
	err := publish.Config{Sharding: publish.Sharding{Shards: -1}}.Validate()
	for _, want := range []string{"Events", "Checkpoints", "Publisher", "Name", "shards"} {
		assert.ErrorContains(t, err, want)
	}
	_, err = publish.New(publish.Config{})
	assert.Error(t, err)
}

// refusing is a Watermill publisher that always fails.
type refusing struct{}

func (refusing) Publish(string, ...*message.Message) error { return errors.New("connection refused") }
func (refusing) Close() error                              { return nil }

// stuck is a Watermill publisher that ignores its messages' context and
// returns only when released.
type stuck struct{ release chan struct{} }

func (s stuck) Publish(string, ...*message.Message) error { <-s.release; return nil }
func (stuck) Close() error                                { return nil }

func TestFromWatermillMarksBrokerErrorsRetryable(t *testing.T) {
	msgs := []*message.Message{message.NewMessage("a", nil)}
	err := publish.FromWatermill(refusing{}).Publish(context.Background(), "t", msgs)
	assert.ErrorIs(t, err, publish.ErrUnavailable)
	assert.ErrorContains(t, err, "connection refused")

	s := stuck{release: make(chan struct{})}
	defer close(s.release)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(fmt.Errorf("%w: gave up", publish.ErrUnavailable))
	err = publish.FromWatermill(s).Publish(ctx, "t", msgs)
	assert.ErrorIs(t, err, publish.ErrUnavailable, "a publisher that ignores the context still returns with its cause")
	assert.Equal(t, ctx, msgs[0].Context(), "the context reaches the messages")
}

// hooked is a Watermill publisher that runs a hook on every call.
type hooked struct{ hook func() }

func (h hooked) Publish(string, ...*message.Message) error { h.hook(); return nil }
func (hooked) Close() error                                { return nil }

func TestRunStopsWhenAnotherForwarderMovedTheCheckpoint(t *testing.T) {
	ctx := context.Background()
	models, err := rmsqlite.Open(ctx, filepath.Join(t.TempDir(), "rm.db"))
	require.NoError(t, err)
	defer models.Close()
	events := memory.New(nil)
	_, err = events.Append(ctx, "customer-1", eventstore.NoStream, []eventstore.EventData{{ID: uuid.New(), Type: "t",
		SchemaVersion: 1, Data: []byte(`{}`), OccurredAt: time.Unix(1, 0)}})
	require.NoError(t, err)
	rival := func() {
		_ = models.Apply(ctx, "publisher:x", 0, readmodel.Checkpoint{Position: 1}, func(context.Context, readmodel.Tx) error { return nil })
	}
	f, err := publish.New(publish.Config{Events: events, Checkpoints: models, Publisher: publish.FromWatermill(hooked{rival}), Name: "x"})
	require.NoError(t, err)
	assert.Equal(t, "publisher:x", f.Status().Name)
	err = f.Run(ctx)
	assert.ErrorIs(t, err, readmodel.ErrCheckpointMoved)
}
