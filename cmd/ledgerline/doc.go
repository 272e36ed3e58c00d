// Command ledgerline is the CLI of the ledgerline CRM core: import data,
// replay and verify a customer's history, operate projections, serve the
// API. It is the composition root: the only place that reads flags and
// the environment and wires adapters to ports.
//
// Run `ledgerline --help` for the commands. Exit codes: 0 success, 1 a
// failure, 2 bad usage or input, 3 verification found tampering.
package main
