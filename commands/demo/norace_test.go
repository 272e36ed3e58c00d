//go:build !race

package demo_test

// raceDetector is set when the tests run with -race.
const raceDetector = false
