package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Rule violations that callers may act on; every *ValidationError wraps
// one of them.
var (
	// ErrInvalid means a field breaks a rule (format, range, unknown value).
	ErrInvalid = errors.New("invalid")
	// ErrState means the command does not fit the aggregate's state
	// (a refund above what was paid, a payment on an unknown invoice,
	// anything on a forgotten customer).
	ErrState = errors.New("not allowed in this state")
	// ErrNotFound means the command addresses an aggregate that does not
	// exist yet.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists means the command would create an aggregate that
	// exists.
	ErrAlreadyExists = errors.New("already exists")
)

// ValidationError names the field, the rule it breaks and the offending
// value. Kind is one of the sentinels above, so errors.Is(err, ErrState)
// tells a state conflict from a malformed field.
type ValidationError struct {
	Field string
	Rule  string
	Value any
	Kind  error
}

// Error implements error: `field "amount": must be positive (got -5)`.
func (e *ValidationError) Error() string {
	if e.Value == nil {
		return fmt.Sprintf("field %q: %s", e.Field, e.Rule)
	}
	return fmt.Sprintf("field %q: %s (got %v)", e.Field, e.Rule, e.Value)
}

// Unwrap returns the kind sentinel.
func (e *ValidationError) Unwrap() error { return e.Kind }

// Invalid returns a *ValidationError of kind ErrInvalid.
func Invalid(field, rule string, value any) error {
	return &ValidationError{Field: field, Rule: rule, Value: value, Kind: ErrInvalid}
}

// Conflict returns a *ValidationError of kind ErrState.
func Conflict(field, rule string, value any) error {
	return &ValidationError{Field: field, Rule: rule, Value: value, Kind: ErrState}
}

// Prefix returns err with its field prefixed by path and a dot, so that
// nested values report "lines[2].quantity"; other errors pass unchanged.
func Prefix(path string, err error) error {
	var v *ValidationError
	if !errors.As(err, &v) {
		return err
	}
	c := *v
	c.Field = strings.TrimSuffix(path+"."+c.Field, ".")
	return &c
}
