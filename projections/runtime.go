package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// PoisonTopic is the Watermill topic of batches that failed permanently.
const PoisonTopic = "ledgerline.projections.poison"

// Config wires a [Runtime]. Events, ReadModels, Catalogue and Projectors
// are required.
type Config struct {
	Events     eventstore.Store
	ReadModels readmodel.Store
	Catalogue  *domain.Catalogue
	Projectors []Projector
	// MaxBatch caps the events applied per transaction; 0 means
	// feed.DefaultMaxBatch.
	MaxBatch int
	// MaxRetries bounds in-process retries of a failing batch before it
	// is nacked (or poisoned, if permanent); 0 means DefaultMaxRetries.
	MaxRetries int
	// Logger receives the runtime's logs; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultMaxRetries is the retry bound of a Config that sets none.
const DefaultMaxRetries = 5

// Validate reports every missing part of c.
func (c Config) Validate() error {
	var errs []error
	if c.Events == nil {
		errs = append(errs, errors.New("projections: Events is required"))
	}
	if c.ReadModels == nil {
		errs = append(errs, errors.New("projections: ReadModels is required"))
	}
	if c.Catalogue == nil {
		errs = append(errs, errors.New("projections: Catalogue is required"))
	}
	if len(c.Projectors) == 0 {
		errs = append(errs, errors.New("projections: no Projectors"))
	}
	return errors.Join(errs...)
}

// Runtime runs projectors until its context ends. Create it with New.
type Runtime struct {
	cfg   Config
	log   *slog.Logger
	mu    sync.Mutex
	at    map[string]uint64
	moved eventstore.Signal
	// failing records, per projection, the outage under way: when its
	// first failure happened and how many attempts failed since.
	failing map[string]*outage
}

type outage struct {
	since    time.Time
	attempts int
}

// New validates cfg and returns a runtime.
func New(cfg Config) (*Runtime, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Runtime{cfg: cfg, log: cfg.Logger, at: map[string]uint64{}, failing: map[string]*outage{}}, nil
}

// Migrate creates the runtime's and every projector's tables.
func (r *Runtime) Migrate(ctx context.Context) error {
	d := r.cfg.ReadModels.Dialect()
	if err := r.cfg.ReadModels.Migrate(ctx, poisonSchema(d)); err != nil {
		return fmt.Errorf("migrate projection runtime: %w", err)
	}
	for _, p := range r.cfg.Projectors {
		if err := r.cfg.ReadModels.Migrate(ctx, p.Schema(d)); err != nil {
			return fmt.Errorf("migrate projection %s: %w", p.Name(), err)
		}
	}
	return nil
}

// Run migrates, then runs every projector until ctx is done. It returns
// only after the router and its subscribers have stopped.
func (r *Runtime) Run(ctx context.Context) error {
	if err := r.Migrate(ctx); err != nil {
		// A cancellation during the migration shows as the driver's
		// "transaction already rolled back": report it as what it is.
		return errors.Join(context.Cause(ctx), err)
	}
	logger := watermill.NewSlogLogger(r.log)
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, logger)
	if err != nil {
		return fmt.Errorf("projection router: %w", err)
	}
	if err := r.middleware(router, logger); err != nil {
		return err
	}
	sub := feed.NewSubscriber(r.cfg.Events, r.start, feed.Config{MaxBatch: r.cfg.MaxBatch, Logger: logger})
	for _, p := range r.cfg.Projectors {
		router.AddConsumerHandler(p.Name(), p.Name(), sub, r.handler(p))
	}
	err = router.Run(ctx)
	return errors.Join(err, sub.Close())
}

func (r *Runtime) middleware(router *message.Router, logger watermill.LoggerAdapter) error {
	poison, err := middleware.PoisonQueueWithFilter(&poisonSink{models: r.cfg.ReadModels, log: r.log, advanced: r.advanced}, PoisonTopic,
		func(err error) bool { return errors.Is(err, ErrPermanent) })
	if err != nil {
		return fmt.Errorf("projection poison queue: %w", err)
	}
	router.AddMiddleware(
		middleware.Recoverer,
		middleware.CorrelationID,
		poison,
		middleware.Retry{
			MaxRetries: r.cfg.MaxRetries, InitialInterval: 50 * time.Millisecond, MaxInterval: 2 * time.Second,
			Multiplier: 2, Logger: logger,
			ShouldRetry: func(p middleware.RetryParams) bool { return !errors.Is(p.Err, ErrPermanent) },
		}.Middleware,
	)
	return nil
}

// start is the feed's StartFunc: a projection starts at its checkpoint.
func (r *Runtime) start(ctx context.Context, projection string) (uint64, error) {
	cp, err := r.cfg.ReadModels.Checkpoint(ctx, projection)
	if err != nil {
		return 0, err
	}
	r.advanced(projection, cp.Position)
	return cp.Position, nil
}

func (r *Runtime) handler(p Projector) message.NoPublishHandlerFunc {
	return func(msg *message.Message) error {
		after, last, err := feed.Batch(msg)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrPermanent, err)
		}
		recs, err := feed.Decode(msg.Payload)
		if err != nil || len(recs) == 0 {
			return fmt.Errorf("%w: projection %s: batch %s: %w", ErrPermanent, p.Name(), msg.UUID, err)
		}
		events := Events(r.cfg.Catalogue, recs)
		to := readmodel.Checkpoint{Position: last, RecordedAt: recs[len(recs)-1].RecordedAt}
		err = r.cfg.ReadModels.Apply(msg.Context(), p.Name(), after, to, func(ctx context.Context, tx readmodel.Tx) error {
			return p.Project(ctx, tx, events)
		})
		if err != nil {
			r.failed(p.Name())
			return fmt.Errorf("project %s after %d: %w", p.Name(), after, err)
		}
		r.resumed(p.Name(), last)
		r.advanced(p.Name(), last)
		return nil
	}
}

// failed notes a failed attempt of projection.
func (r *Runtime) failed(projection string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o := r.failing[projection]
	if o == nil {
		o = &outage{since: time.Now()}
		r.failing[projection] = o
	}
	o.attempts++
}

// resumed logs, once, that projection applies batches again after an
// outage, so that an operator reading the errors also reads their end.
func (r *Runtime) resumed(projection string, position uint64) {
	r.mu.Lock()
	o := r.failing[projection]
	delete(r.failing, projection)
	r.mu.Unlock()
	if o != nil {
		r.log.Info("projection resumed", "projection", projection, "position", position,
			"failed_attempts", o.attempts, "outage", time.Since(o.since).Round(time.Millisecond))
	}
}

func (r *Runtime) advanced(projection string, pos uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.at[projection] = pos
	r.moved.Notify()
}

// WaitFor blocks until every projector has applied the global log up to
// position (or ctx ends). A projector whose filter skips the last events
// reaches position once a later event it handles arrives, so callers wait
// for a position the projector sees, such as an append's LastPosition.
func (r *Runtime) WaitFor(ctx context.Context, position uint64) error {
	for {
		woken := r.moved.C()
		if r.reached(position) {
			return nil
		}
		select {
		case <-woken:
		case <-ctx.Done():
			return fmt.Errorf("wait for projections to reach %d: %w", position, ctx.Err())
		}
	}
}

func (r *Runtime) reached(position uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.cfg.Projectors {
		if r.at[p.Name()] < position {
			return false
		}
	}
	return true
}
