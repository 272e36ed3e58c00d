package money

import "math"

// Sum returns a+b and whether it fits in an int64.
func Sum(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

// Product returns a×b and whether it fits in an int64.
func Product(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return p, true
}
