package projections

import (
	"runtime"
	"sync"
)

// minPart is the fewest events worth a goroutine of their own.
const minPart = 256

// Split runs work over the indexes [0, n) in up to runtime.GOMAXPROCS(0)
// parts at once and returns when every part is done, so that the part
// of a [Fold]'s work that reads one event at a time, independently of
// the others (decoding, describing), uses every core.
func Split(n int, work func(lo, hi int)) {
	parts := min(runtime.GOMAXPROCS(0), n/minPart)
	if parts <= 1 {
		work(0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Go(func() { work(lo, hi) })
	}
	wg.Wait()
}
