package publish

import (
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
)

// Defaults of [Sharding].
const (
	// DefaultPrefix is the topic prefix of a Sharding that sets none.
	DefaultPrefix = "ledgerline.events"
	// DefaultShards is the shard count of a Sharding that sets none.
	DefaultShards = 16
	// MaxShards bounds the shard count.
	MaxShards = 1024
)

// Sharding maps streams to topics: a stream's events all go to topic
// Prefix.<shard>, with shard = FNV-1a(stream) mod Shards. Changing either
// field moves streams to other topics; drain the consumers first, or a
// customer's events may be read out of order across the old and the new
// topic.
type Sharding struct {
	// Prefix of every topic, dot-separated words of letters, digits, '_'
	// and '-'; "" means DefaultPrefix.
	Prefix string
	// Shards is the number of topics, 1 to MaxShards; 0 means
	// DefaultShards.
	Shards int
}

var prefixRE = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

// WithDefaults returns s with its zero fields set to the defaults.
func (s Sharding) WithDefaults() Sharding {
	if s.Prefix == "" {
		s.Prefix = DefaultPrefix
	}
	if s.Shards == 0 {
		s.Shards = DefaultShards
	}
	return s
}

// Validate reports every problem of s (after defaults).
func (s Sharding) Validate() error {
	s = s.WithDefaults()
	var errs []error
	if !prefixRE.MatchString(s.Prefix) {
		errs = append(errs, fmt.Errorf("publish: topic prefix %q: want dot-separated words of letters, digits, '_' and '-'", s.Prefix))
	}
	if s.Shards < 1 || s.Shards > MaxShards {
		errs = append(errs, fmt.Errorf("publish: %d shards: want 1 to %d", s.Shards, MaxShards))
	}
	return errors.Join(errs...)
}

// Shard returns the shard of stream.
func (s Sharding) Shard(stream string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(stream))
	return int(h.Sum32() % uint32(s.WithDefaults().Shards))
}

// Topic returns the topic of shard.
func (s Sharding) Topic(shard int) string {
	return s.WithDefaults().Prefix + "." + strconv.Itoa(shard)
}

// TopicOf returns the topic of stream.
func (s Sharding) TopicOf(stream string) string { return s.Topic(s.Shard(stream)) }

// Topics returns every topic, in shard order.
func (s Sharding) Topics() []string {
	s = s.WithDefaults()
	out := make([]string, s.Shards)
	for i := range out {
		out[i] = s.Topic(i)
	}
	return out
}

// Assign returns the shards that member (0-based) of a group of members
// consumes: those whose number modulo members is member. Every shard has
// exactly one member, so a customer's events are handled by one process,
// in order. It returns nil when member is out of range.
func Assign(member, members, shards int) []int {
	if members < 1 || member < 0 || member >= members {
		return nil
	}
	var out []int
	for s := member; s < shards; s += members {
		out = append(out, s)
	}
	return out
}
