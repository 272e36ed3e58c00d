package commands

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
)

// Envelope carries what every command needs besides its intent.
type Envelope struct {
	// CommandID identifies the request; a retry sends the same id.
	CommandID uuid.UUID
	// Actor is who asks, e.g. "user:alice".
	Actor string
	// CorrelationID ties together everything one request causes; it
	// defaults to CommandID.
	CorrelationID uuid.UUID
	// CausationID is what caused the command (an event id for a policy);
	// it defaults to CommandID.
	CausationID uuid.UUID
	// At is when the command's fact happened: the events' occurred_at.
	At time.Time
}

// Validate reports every missing field of e.
func (e Envelope) Validate() error {
	var errs []error
	if e.CommandID == uuid.Nil {
		errs = append(errs, domain.Invalid("command_id", "is required", nil))
	}
	if e.Actor == "" {
		errs = append(errs, domain.Invalid("actor", "is required", nil))
	}
	if e.At.IsZero() {
		errs = append(errs, domain.Invalid("at", "is required", nil))
	}
	return errors.Join(errs...)
}

// Metadata returns the event metadata of e, with defaults filled in.
func (e Envelope) Metadata() eventstore.Metadata {
	m := eventstore.Metadata{Actor: e.Actor, CommandID: e.CommandID, CorrelationID: e.CorrelationID, CausationID: e.CausationID}
	if m.CorrelationID == uuid.Nil {
		m.CorrelationID = e.CommandID
	}
	if m.CausationID == uuid.Nil {
		m.CausationID = e.CommandID
	}
	return m
}

// EventID returns the id of the i-th event a command produces: derived
// from the command id, so a retried command yields the same ids.
func (e Envelope) EventID(i int) uuid.UUID {
	return uuid.NewSHA1(e.CommandID, []byte{byte(i >> 24), byte(i >> 16), byte(i >> 8), byte(i)})
}
