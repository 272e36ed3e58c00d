package nats

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/ledgerline/ledgerline/projections/publish"
)

// StreamName returns the JetStream stream that holds shard's topic (see
// [TopicStream]).
func StreamName(s publish.Sharding, shard int) string { return TopicStream(s.Topic(shard)) }

// TopicStream returns the JetStream stream that holds topic: the topic
// with dots replaced by underscores (stream names may not hold dots).
func TopicStream(topic string) string { return strings.ReplaceAll(topic, ".", "_") }

// EnsureStreams creates the stream of every shard that does not exist
// yet, with duplicates as its deduplication window (0: the server's
// default). Existing streams are left as they are.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, s publish.Sharding, duplicates time.Duration) error {
	s = s.WithDefaults()
	for shard := range s.Shards {
		cfg := jetstream.StreamConfig{Name: StreamName(s, shard), Subjects: []string{s.Topic(shard)},
			Storage: jetstream.FileStorage, Retention: jetstream.LimitsPolicy, Duplicates: duplicates}
		if _, err := js.CreateStream(ctx, cfg); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return fmt.Errorf("create stream %s: %w", cfg.Name, err)
		}
	}
	return nil
}

// DeleteStreams deletes the stream of every shard, for tests and for
// starting over; a missing stream is not an error.
func DeleteStreams(ctx context.Context, js jetstream.JetStream, s publish.Sharding) error {
	s = s.WithDefaults()
	var errs []error
	for shard := range s.Shards {
		if err := js.DeleteStream(ctx, StreamName(s, shard)); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			errs = append(errs, fmt.Errorf("delete stream %s: %w", StreamName(s, shard), err))
		}
	}
	return errors.Join(errs...)
}
