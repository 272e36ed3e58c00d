package value

import (
	"cmp"
	"slices"
)

// Segment is a named RFM segment.
type Segment string

// The RFM segments, from the best customers to the lost ones.
const (
	Champions         Segment = "Champions"
	Loyal             Segment = "Loyal"
	PotentialLoyalist Segment = "Potential loyalist"
	NewCustomer       Segment = "New"
	Promising         Segment = "Promising"
	NeedAttention     Segment = "Need attention"
	AboutToSleep      Segment = "About to sleep"
	AtRisk            Segment = "At risk"
	CantLose          Segment = "Can't lose"
	Hibernating       Segment = "Hibernating"
	Lost              Segment = "Lost"
)

// Segments returns every segment, best first.
func Segments() []Segment {
	return []Segment{Champions, Loyal, PotentialLoyalist, NewCustomer, Promising, NeedAttention,
		AboutToSleep, AtRisk, CantLose, Hibernating, Lost}
}

// segmentGrid maps [R-1][FM-1] to a segment.
var segmentGrid = [5][5]Segment{
	{Lost, Hibernating, AtRisk, AtRisk, CantLose},
	{Hibernating, Hibernating, AtRisk, AtRisk, CantLose},
	{AboutToSleep, AboutToSleep, NeedAttention, Loyal, Loyal},
	{Promising, PotentialLoyalist, PotentialLoyalist, Loyal, Loyal},
	{NewCustomer, PotentialLoyalist, PotentialLoyalist, Champions, Champions},
}

// SegmentOf returns the segment of the scores r, f and m (each 1 to 5):
// FM is the mean of f and m rounded half up, and (R, FM) picks the
// segment from the grid in the package documentation. Scores out of
// range are clamped.
func SegmentOf(r, f, m int) Segment {
	fm := (clampScore(f) + clampScore(m) + 1) / 2
	return segmentGrid[clampScore(r)-1][fm-1]
}

func clampScore(s int) int { return min(max(s, 1), 5) }

// Quintiles returns a score from 1 to 5 for each value, higher values
// scoring higher: the score of v is 1 + ⌊5 · b / n⌋, where b is how many
// of the n values are strictly below v. Equal values get equal scores,
// whatever their order, so ties are never split at random; with many
// ties (most customers buy once) some scores stay unused.
func Quintiles[T cmp.Ordered](values []T) []int {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	n := len(values)
	out := make([]int, n)
	for i, v := range values {
		below, _ := slices.BinarySearch(sorted, v)
		out[i] = 1 + 5*below/n
	}
	return out
}
