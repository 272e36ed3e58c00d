// Package schema generates the JSON Schemas (draft 2020-12) of what
// services receive from ledgerline: the envelope of every published event
// and the payload of each event type at each schema version. The files
// live in docs/schema/ and are generated from the code, never edited by
// hand: [Envelope] reflects [feed.Envelope], [Payload] reflects the Go
// type the catalogue decodes a payload into.
//
// The package's test fails when a catalogued type has no schema file at
// its current version or when a file no longer matches its Go struct. To
// regenerate after changing a payload:
//
//	go generate ./projections/publish/schema
//
// which runs the test with -update. Files of older schema versions are
// kept, frozen: a consumer may still receive events stored at those
// versions.
package schema

//go:generate go test -run TestSchemasAreCurrent -update .
