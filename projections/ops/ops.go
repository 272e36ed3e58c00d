package ops

import (
	"errors"
	"fmt"
	"sync"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// ErrNoShadows means the read-model store cannot build shadow tables
// ([readmodel.Shadower]), so a projection cannot be rebuilt or verified
// without readers seeing it half-built.
var ErrNoShadows = errors.New("ops: the read-model store has no shadow tables")

// DefaultBatch is the events per read and per shadow transaction of a
// Config that sets none: big enough that per-transaction costs vanish,
// small enough that a batch's rows stay in memory comfortably.
const DefaultBatch = 32768

// Config wires an [Operator]. Events, ReadModels and Catalogue are
// required.
type Config struct {
	Events     eventstore.Store
	ReadModels readmodel.Store
	Catalogue  *domain.Catalogue
	// Batch is the events per read of the log and per transaction of a
	// shadow build; 0 means DefaultBatch.
	Batch int
	// Progress, if set, is told after every batch a build applies. Calls
	// come from the builds' goroutines one at a time: keep them short.
	Progress func(Progress)
}

// Progress is how far a build has come.
type Progress struct {
	// Projection is the projection being built.
	Projection string
	// Events is how many events the build has applied.
	Events uint64
	// Position is the position of the last applied event.
	Position uint64
	// Target is the position the build runs to: the log's head when it
	// started (a rebuild then goes on to the new head), or the live
	// checkpoint a verify compares with.
	Target uint64
}

// Total estimates how many events the build applies by the time it
// reaches Target: exact on a log with consecutive positions (the embedded
// and in-memory stores), extrapolated from the positions seen so far on
// one with gaps (PostgreSQL).
func (p Progress) Total() uint64 {
	if p.Position == 0 {
		return p.Target
	}
	return max(p.Events, uint64(float64(p.Events)*float64(p.Target)/float64(p.Position)))
}

// Validate reports every missing part of c.
func (c Config) Validate() error {
	var errs []error
	if c.Events == nil {
		errs = append(errs, errors.New("ops: Events is required"))
	}
	if c.ReadModels == nil {
		errs = append(errs, errors.New("ops: ReadModels is required"))
	}
	if c.Catalogue == nil {
		errs = append(errs, errors.New("ops: Catalogue is required"))
	}
	if c.Batch < 0 {
		errs = append(errs, fmt.Errorf("ops: Batch %d is negative", c.Batch))
	}
	return errors.Join(errs...)
}

// Operator runs the operations on projections. It is safe for concurrent
// use; two builds of one projection exclude each other through their
// shadow ([readmodel.ErrShadowBusy]).
type Operator struct {
	cfg Config
}

// New validates cfg and returns an operator.
func New(cfg Config) (*Operator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Batch == 0 {
		cfg.Batch = DefaultBatch
	}
	if report := cfg.Progress; report != nil {
		var mu sync.Mutex
		cfg.Progress = func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			report(p)
		}
	}
	return &Operator{cfg: cfg}, nil
}

// Shadow names: a rebuild's shadow is "rebuild_<projection>", a verify's
// "verify_<projection>", so that status tells them apart.
const (
	rebuildPrefix = "rebuild_"
	verifyPrefix  = "verify_"
)

func (o *Operator) shadower(p projections.Projector, prefix string) (readmodel.Shadower, string, error) {
	sh, ok := o.cfg.ReadModels.(readmodel.Shadower)
	if !ok {
		return nil, "", fmt.Errorf("projection %s: %w", p.Name(), ErrNoShadows)
	}
	name := prefix + p.Name()
	if !readmodel.ValidShadowName(name) {
		return nil, "", fmt.Errorf("projection %q: its name cannot name a shadow (lowercase letters, digits, underscores)", p.Name())
	}
	return sh, name, nil
}
