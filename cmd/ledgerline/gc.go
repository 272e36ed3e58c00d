package main

import (
	"os"
	"runtime/debug"
)

// bulkGCPercent is the garbage collector's target during a rebuild or a
// verify: they decode the whole log and allocate fast while their live
// heap stays small (the batches in flight and the folded directories), so
// collecting at 5× the live heap rather than 2× costs little memory and,
// on a 1M-event rebuild into PostgreSQL here, about 8% of the time.
const bulkGCPercent = 400

// bulkGC sets the collector's target for a bulk operation, unless GOGC
// says otherwise, and returns the function that restores it.
func bulkGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(bulkGCPercent)
	return func() { debug.SetGCPercent(old) }
}
