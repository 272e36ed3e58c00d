// Package valuetest helps the tests of the value and churn read models:
// it executes customer commands through commands.Execute on an event
// store, at business times the test chooses, and runs projectors over the
// log into a read-model store until they have caught up.
package valuetest
