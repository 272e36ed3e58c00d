package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	neturl "net/url"
	"strings"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/embedded"
	"github.com/ledgerline/ledgerline/eventstore/kurrentdb"
	pgstore "github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/churn"
	"github.com/ledgerline/ledgerline/projections/readmodel"
	rmpostgres "github.com/ledgerline/ledgerline/projections/readmodel/postgres"
	rmsqlite "github.com/ledgerline/ledgerline/projections/readmodel/sqlite"
	"github.com/ledgerline/ledgerline/projections/timeline"
	"github.com/ledgerline/ledgerline/projections/value"
)

// backend is an opened event store with its read models.
type backend struct {
	events    eventstore.Store
	models    readmodel.Store
	catalogue *domain.Catalogue
	location  string
	log       *slog.Logger
}

// open connects to the backend the options name.
func (o *options) open(ctx context.Context, log *slog.Logger) (*backend, error) {
	switch scheme(o.store) {
	case "", "file", "sqlite":
		return o.openEmbedded(ctx, log)
	case "postgres", "postgresql":
		return o.openPostgres(ctx, log)
	case "esdb", "esdb+discover", "kurrentdb", "kurrentdb+discover":
		return o.openKurrentDB(ctx, log)
	default:
		return nil, usageError(fmt.Errorf("--store %q: unsupported scheme (want postgres://, esdb://, kurrentdb:// or an embedded file)", o.store))
	}
}

func scheme(url string) string {
	s, _, ok := strings.Cut(url, ":")
	if !ok {
		return ""
	}
	return strings.ToLower(s)
}

func (o *options) openPostgres(ctx context.Context, log *slog.Logger) (*backend, error) {
	events, err := pgstore.Open(ctx, o.store, pgstore.Config{})
	if err != nil {
		return nil, err
	}
	models, err := o.openReadModels(ctx, o.store)
	if err != nil {
		return nil, errors.Join(err, events.Close())
	}
	return &backend{events: events, models: models, catalogue: newCatalogue(), location: redact(o.store), log: log}, nil
}

// openKurrentDB opens the event log in KurrentDB, with read models in
// PostgreSQL (--readmodels) or in the embedded file (--db).
func (o *options) openKurrentDB(ctx context.Context, log *slog.Logger) (*backend, error) {
	events, err := kurrentdb.Open(ctx, o.store, kurrentdb.Config{Logger: log})
	if err != nil {
		return nil, err
	}
	models, err := o.openReadModels(ctx, "")
	if err != nil {
		return nil, errors.Join(err, events.Close())
	}
	return &backend{events: events, models: models, catalogue: newCatalogue(), location: redact(o.store), log: log}, nil
}

// openReadModels opens the read-model store: --readmodels if set, else
// fallback (a PostgreSQL URL) if set, else the embedded file.
func (o *options) openReadModels(ctx context.Context, fallback string) (readmodel.Store, error) {
	url := o.readModels
	if url == "" {
		url = fallback
	}
	if url != "" {
		return rmpostgres.Open(ctx, url, rmpostgres.Config{})
	}
	path, err := o.embeddedPath()
	if err != nil {
		return nil, err
	}
	return rmsqlite.Open(ctx, path)
}

// redact hides a URL's password for display.
func redact(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func (o *options) embeddedPath() (string, error) {
	if scheme(o.store) == "file" || scheme(o.store) == "sqlite" {
		if p := strings.TrimPrefix(strings.TrimPrefix(o.store, "sqlite:"), "file:"); p != "" {
			return p, nil
		}
	}
	if o.db != "" {
		return o.db, nil
	}
	return embedded.DefaultPath()
}

func (o *options) openEmbedded(ctx context.Context, log *slog.Logger) (*backend, error) {
	path, err := o.embeddedPath()
	if err != nil {
		return nil, err
	}
	events, err := embedded.Open(ctx, path, embedded.Config{})
	if err != nil {
		return nil, err
	}
	write, read := events.Pools()
	models, err := rmsqlite.Shared(ctx, write, read)
	if err != nil {
		return nil, errors.Join(err, events.Close())
	}
	return &backend{events: events, models: models, catalogue: newCatalogue(), location: path, log: log}, nil
}

// projectors returns the read models every backend maintains.
func (b *backend) projectors() []projections.Projector {
	return []projections.Projector{timeline.New(), value.New(), churn.New()}
}

// runtime returns a projection runtime over b.
func (b *backend) runtime() (*projections.Runtime, error) {
	return projections.New(projections.Config{Events: b.events, ReadModels: b.models,
		Catalogue: b.catalogue, Projectors: b.projectors(), Logger: b.log})
}

// catchUp runs the projections until they have applied the whole log as
// it is now, then stops them.
func (b *backend) catchUp(ctx context.Context) error {
	return b.withProjections(ctx, func(ctx context.Context) (uint64, error) {
		return eventstore.Head(ctx, b.events)
	})
}

// withProjections runs the projections while work runs, then until they
// have applied the log up to the position work returns, then stops them.
func (b *backend) withProjections(ctx context.Context, work func(context.Context) (uint64, error)) error {
	rt, err := b.runtime()
	if err != nil {
		return err
	}
	if err := rt.Migrate(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	head, err := work(ctx)
	if err == nil {
		err = rt.WaitFor(ctx, head)
	}
	cancel()
	return errors.Join(err, ignoreCanceled(<-done))
}

func ignoreCanceled(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func (b *backend) Close() error {
	return errors.Join(b.models.Close(), b.events.Close())
}
