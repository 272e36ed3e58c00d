package demo

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
)

// Defaults for a zero [Config] field.
const (
	DefaultCustomers = 200
	DefaultDays      = 365
)

// DefaultStart is the first simulated day when Config.Start is zero.
var DefaultStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Lower bounds under which the population would not hold every event type.
const (
	// MinCustomers is the number of customers with a fixed role.
	MinCustomers = 10
	// MinDays leaves room for invoices to fall overdue and departures to
	// be fought.
	MinDays = 120
)

// SourceSystem is the source system every demo customer carries.
const SourceSystem = "demo"

// Config says what population to generate. The zero Config is the default
// population.
type Config struct {
	// Seed selects the population; the same seed gives the same events.
	Seed uint64
	// Customers is how many customers to register at the start of the
	// story (leads converted later add some); 0 means DefaultCustomers.
	Customers int
	// Start is the first simulated day; zero means DefaultStart.
	Start time.Time
	// Days is how long the simulation runs; 0 means DefaultDays.
	Days int
	// Progress, if set, is called with the simulated days done and the
	// days in all, as the simulation advances.
	Progress func(done, total int)
}

// CustomerID returns the id of customer n (1-based, the n of its source
// id "D%04d") in the population c generates. Every id derives from the
// whole Config: populations of different Configs share none.
func (c Config) CustomerID(n int) uuid.UUID { return derive(c.withDefaults(), "customer", n) }

// withDefaults returns c with its zero fields set to the defaults and
// Start in UTC.
func (c Config) withDefaults() Config {
	if c.Customers == 0 {
		c.Customers = DefaultCustomers
	}
	if c.Days == 0 {
		c.Days = DefaultDays
	}
	if c.Start.IsZero() {
		c.Start = DefaultStart
	}
	c.Start = c.Start.UTC()
	return c
}

// Validate reports every field out of range, after defaults apply.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.Customers < MinCustomers {
		errs = append(errs, domain.Invalid("customers", fmt.Sprintf("must be at least %d", MinCustomers), c.Customers))
	}
	if c.Days < MinDays {
		errs = append(errs, domain.Invalid("days", fmt.Sprintf("must be at least %d", MinDays), c.Days))
	}
	if c.Start.Year() < 1990 || c.Start.Year() > 9000 {
		errs = append(errs, domain.Invalid("start", "must be in the years 1990 to 9000", c.Start.Format(time.DateOnly)))
	}
	return errors.Join(errs...)
}

// Summary reports a generated population.
type Summary struct {
	Seed  uint64    `json:"seed"`
	Start time.Time `json:"start"`
	// End is the end of the simulated period (exclusive).
	End time.Time `json:"end"`
	// Customers counts registered customers: the configured ones, leads
	// converted and the duplicate merged away.
	Customers int `json:"customers"`
	// Personas counts customers by behaviour.
	Personas  map[Persona]int `json:"personas"`
	Leads     int             `json:"leads"`
	Campaigns int             `json:"campaigns"`
	// Commands counts commands executed; Replayed those whose id was
	// already in the store (a second run with the same Config).
	Commands int `json:"commands"`
	Replayed int `json:"replayed"`
	// Events counts the events the commands produced, in all and by type.
	Events       int            `json:"events"`
	EventsByType map[string]int `json:"events_by_type"`
	// Showcase names customers worth a look, in role order.
	Showcase []Showcase `json:"showcase"`
}

// Showcase is a customer with a notable story.
type Showcase struct {
	// Role says what the customer's history shows.
	Role       string    `json:"role"`
	SourceID   string    `json:"source_id"`
	CustomerID uuid.UUID `json:"customer_id"`
	Persona    Persona   `json:"persona"`
	// Moment is a time in the middle of the story, for an --as-of look.
	Moment time.Time `json:"moment"`
}
