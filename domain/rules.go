package domain

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// NotFound returns a *ValidationError of kind ErrNotFound.
func NotFound(field, rule string, value any) error {
	return &ValidationError{Field: field, Rule: rule, Value: value, Kind: ErrNotFound}
}

// AlreadyExists returns a *ValidationError of kind ErrAlreadyExists.
func AlreadyExists(field, rule string, value any) error {
	return &ValidationError{Field: field, Rule: rule, Value: value, Kind: ErrAlreadyExists}
}

// RequireText checks a mandatory text field: valid UTF-8, not blank, at
// most max characters, and no control characters other than tab and line
// breaks.
func RequireText(field, value string, max int) error {
	if strings.TrimSpace(value) == "" {
		return Invalid(field, "is required", nil)
	}
	return LimitText(field, value, max)
}

// LimitText checks an optional text field: empty passes, anything else
// obeys the rules of [RequireText].
func LimitText(field, value string, max int) error {
	switch {
	case !utf8.ValidString(value):
		return Invalid(field, "must be valid UTF-8", nil)
	case utf8.RuneCountInString(value) > max:
		return Invalid(field, "must be at most "+strconv.Itoa(max)+" characters", utf8.RuneCountInString(value))
	case strings.ContainsFunc(value, isControl):
		return Invalid(field, "must not contain control characters", value)
	}
	return nil
}

// RequireID checks that a uuid field is set.
func RequireID(field string, id uuid.UUID) error {
	if id == uuid.Nil {
		return Invalid(field, "is required", nil)
	}
	return nil
}

// OneOf checks that value is one of allowed, e.g. a channel or a kind.
func OneOf[T ~string](field string, value T, allowed []T) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return Invalid(field, "must be one of "+strings.Join(names, ", "), string(value))
}

func isControl(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}
