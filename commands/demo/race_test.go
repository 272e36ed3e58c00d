//go:build race

package demo_test

// raceDetector is set when the tests run with -race, under which the
// default population takes more than ten seconds to generate.
const raceDetector = true
