// Package country validates ISO 3166-1 alpha-2 country codes, the form in
// which ledgerline stores a customer's country and address country.
package country
