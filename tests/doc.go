// Package tests holds ledgerline's end-to-end and fault tests, and the
// architecture test that keeps the dependency direction of ARCHITECTURE.md
// true: the domain imports no infrastructure, adapters never import each
// other.
package tests
