// Package money holds ledgerline's money values: an [Amount] is an integer
// count of minor units (cents, pence, yen) in a [Currency], an ISO 4217
// alphabetic code checked against the list of active codes with their
// minor-unit exponents.
//
// Money is never a float. Arithmetic refuses to mix currencies and to
// overflow int64, returning a *domain.ValidationError of kind
// domain.ErrInvalid, so that commands report the offending field.
package money
