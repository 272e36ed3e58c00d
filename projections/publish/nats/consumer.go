package nats

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ledgerline/ledgerline/projections/publish"
)

// PositionsBucket is the JetStream key-value bucket where consumer groups
// keep, per shard, the stream sequence of the last handled message.
const PositionsBucket = "ledgerline_consumers"

// Defaults of [ConsumerConfig].
const (
	DefaultFetch      = 512
	DefaultRetryDelay = 200 * time.Millisecond
	maxRetryDelay     = 5 * time.Second
)

// ConsumerConfig configures a [Consumer]. URL, Group and Handler are
// required.
type ConsumerConfig struct {
	// URL of the NATS server.
	URL string
	// Sharding must be the publisher's.
	Sharding publish.Sharding
	// Group names the consumer group: letters, digits, '_' and '-'.
	// Renaming it starts the group over from the first message.
	Group string
	// Member is this process's index in the group, from 0; Members is
	// the group's size (0 means 1). Every member of a group must be
	// started with the same Members; see [publish.Assign].
	Member, Members int
	// Handler processes each event.
	Handler publish.Handler
	// Fetch is how many messages the client asks ahead and the most it
	// handles between two position saves; 0 means DefaultFetch.
	Fetch int
	// RetryDelay is the first pause after a failure, doubling up to 5 s;
	// 0 means DefaultRetryDelay.
	RetryDelay time.Duration
	// Logger receives failures; nil means slog.Default().
	Logger *slog.Logger
	// Options are passed to nats.Connect, after MaxReconnects(-1).
	Options []nats.Option
}

var groupRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Validate reports every missing or bad field of c.
func (c ConsumerConfig) Validate() error {
	var errs []error
	if c.URL == "" {
		errs = append(errs, errors.New("nats: consumer URL is required"))
	}
	if !groupRE.MatchString(c.Group) {
		errs = append(errs, fmt.Errorf("nats: consumer group %q: want letters, digits, '_' and '-'", c.Group))
	}
	if c.Handler == nil {
		errs = append(errs, errors.New("nats: consumer Handler is required"))
	}
	members := max(c.Members, 1)
	if c.Member < 0 || c.Member >= members {
		errs = append(errs, fmt.Errorf("nats: member %d of a group of %d", c.Member, members))
	}
	return errors.Join(append(errs, c.Sharding.Validate())...)
}

// Consumer is one member of a consumer group: it handles the shards
// [publish.Assign] gives it, each in stream order, from the position the
// group saved for the shard. Each shard is read with an ordered consumer,
// which the client recreates at the next sequence whenever it sees a gap
// or loses the server, so no message is skipped or handled out of order.
// Positions are saved every Fetch messages or [SaveEvery], and when the
// consumer stops: a crash re-handles at most that much per shard. It is safe for concurrent use.
type Consumer struct {
	cfg     ConsumerConfig
	log     *slog.Logger
	handled atomic.Uint64
}

// NewConsumer validates cfg and returns a consumer.
func NewConsumer(cfg ConsumerConfig) (*Consumer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Sharding = cfg.Sharding.WithDefaults()
	cfg.Members = max(cfg.Members, 1)
	if cfg.Fetch <= 0 {
		cfg.Fetch = DefaultFetch
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = DefaultRetryDelay
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Consumer{cfg: cfg, log: cfg.Logger}, nil
}

// Handled returns how many messages the handler has accepted, redeliveries
// included.
func (c *Consumer) Handled() uint64 { return c.handled.Load() }

// Run connects and handles the member's shards until ctx ends; it returns
// nil then. It fails only when it cannot connect or set up the positions
// bucket; later failures are logged and retried.
func (c *Consumer) Run(ctx context.Context) error {
	nc, err := nats.Connect(c.cfg.URL, append([]nats.Option{nats.MaxReconnects(-1)}, c.cfg.Options...)...)
	if err != nil {
		return fmt.Errorf("consumer %s: connect to %s: %w", c.cfg.Group, c.cfg.URL, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("consumer %s: jetstream: %w", c.cfg.Group, err)
	}
	kv, err := positions(ctx, js)
	if err != nil {
		return fmt.Errorf("consumer %s: %w", c.cfg.Group, err)
	}
	var wg sync.WaitGroup
	for _, shard := range publish.Assign(c.cfg.Member, c.cfg.Members, c.cfg.Sharding.Shards) {
		wg.Go(func() { c.shard(ctx, js, kv, shard) })
	}
	wg.Wait()
	return nil
}

// positions opens the positions bucket, creating it if needed.
func positions(ctx context.Context, js jetstream.JetStream) (jetstream.KeyValue, error) {
	kv, err := js.KeyValue(ctx, PositionsBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		kv, err = js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: PositionsBucket, Storage: jetstream.FileStorage})
	}
	if err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", PositionsBucket, err)
	}
	return kv, nil
}

// shard handles one shard until ctx ends, starting over from the saved
// position after any failure.
func (c *Consumer) shard(ctx context.Context, js jetstream.JetStream, kv jetstream.KeyValue, shard int) {
	delay := c.cfg.RetryDelay
	for ctx.Err() == nil {
		progressed, err := c.consume(ctx, js, kv, shard)
		if ctx.Err() != nil {
			return
		}
		if progressed {
			delay = c.cfg.RetryDelay
		}
		c.log.Warn("consumer shard failed; resuming from its saved position", "group", c.cfg.Group, "shard", shard, "err", err)
		sleep(ctx, delay)
		delay = min(2*delay, maxRetryDelay)
	}
}

// consume reads shard from its saved position until an error or the end
// of ctx (after saving what it handled); it reports whether it saved any
// progress.
func (c *Consumer) consume(ctx context.Context, js jetstream.JetStream, kv jetstream.KeyValue, shard int) (bool, error) {
	stream, key := StreamName(c.cfg.Sharding, shard), StreamName(c.cfg.Sharding, shard)+"."+c.cfg.Group
	last, err := loadPosition(ctx, kv, key)
	if err != nil {
		return false, err
	}
	cons, err := js.OrderedConsumer(ctx, stream, orderedFrom(last))
	if err != nil {
		return false, fmt.Errorf("ordered consumer on %s after %d: %w", stream, last, err)
	}
	// A 2 s idle heartbeat (the client's default is 15 s) makes a lost
	// connection, such as a broker restart, fail the pull within about
	// 4 s, so the shard resumes from its saved position instead of
	// waiting 30 s for the silence to be noticed.
	it, err := cons.Messages(jetstream.PullMaxMessages(c.cfg.Fetch),
		jetstream.PullExpiry(10*time.Second), jetstream.PullHeartbeat(2*time.Second))
	if err != nil {
		return false, fmt.Errorf("read %s after %d: %w", stream, last, err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	p := &progress{kv: kv, key: key, saved: last, last: last, at: time.Now()}
	err = c.read(ctx, it, p)
	if serr := p.save(ctx); serr != nil {
		err = errors.Join(err, serr)
	}
	return p.moved, err
}

// read handles messages from it until an error, saving the position
// every Fetch messages or SaveEvery.
func (c *Consumer) read(ctx context.Context, it jetstream.MessagesContext, p *progress) error {
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("read after %d: %w", p.last, err)
		}
		meta, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("message after %d: %w", p.last, err)
		}
		if meta.Sequence.Stream <= p.last {
			continue
		}
		if err := c.handle(ctx, msg); err != nil {
			return err
		}
		p.last = meta.Sequence.Stream
		if p.last-p.saved >= uint64(c.cfg.Fetch) || time.Since(p.at) >= SaveEvery {
			if err := p.save(ctx); err != nil {
				return err
			}
		}
	}
}

// SaveEvery bounds how long a consumer keeps a handled position unsaved
// while messages keep coming.
const SaveEvery = 100 * time.Millisecond

// progress is a shard's handled and saved positions.
type progress struct {
	kv          jetstream.KeyValue
	key         string
	saved, last uint64
	at          time.Time
	moved       bool
}

// save stores the last handled position if it is not saved yet, even
// when ctx has just ended (a member that stops saves what it handled),
// within two seconds.
func (p *progress) save(ctx context.Context) error {
	if p.last <= p.saved {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if _, err := p.kv.Put(ctx, p.key, []byte(strconv.FormatUint(p.last, 10))); err != nil {
		return fmt.Errorf("save position %d of %s: %w", p.last, p.key, err)
	}
	p.saved, p.at, p.moved = p.last, time.Now(), true
	return nil
}

func orderedFrom(last uint64) jetstream.OrderedConsumerConfig {
	if last == 0 {
		return jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	}
	return jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: last + 1}
}

func loadPosition(ctx context.Context, kv jetstream.KeyValue, key string) (uint64, error) {
	e, err := kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load position %s: %w", key, err)
	}
	v, err := strconv.ParseUint(string(e.Value()), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("load position %s: %w", key, err)
	}
	return v, nil
}
