package value_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/projections/value"
)

func TestQuintiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []int64
		want   []int
	}{
		{"one value", []int64{7}, []int{1}},
		{"five distinct values, any order", []int64{30, 10, 50, 20, 40}, []int{3, 1, 5, 2, 4}},
		{"ten distinct values", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}},
		{"ties share the score of their lowest member", []int64{1, 1, 1, 1, 1, 1, 2, 2, 3, 9}, []int{1, 1, 1, 1, 1, 1, 4, 4, 5, 5}},
		{"all equal", []int64{4, 4, 4}, []int{1, 1, 1}},
		{"negative values", []int64{-30, -1, -10}, []int{1, 4, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, value.Quintiles(tc.values))
		})
	}
}

func TestSegmentOf(t *testing.T) {
	for _, tc := range []struct {
		r, f, m int
		want    value.Segment
	}{
		{5, 5, 5, value.Champions},
		{5, 4, 3, value.Champions}, // FM = 3.5 rounds up to 4
		{5, 3, 2, value.PotentialLoyalist},
		{5, 1, 1, value.NewCustomer},
		{4, 1, 1, value.Promising},
		{4, 1, 3, value.PotentialLoyalist},
		{4, 5, 4, value.Loyal},
		{3, 5, 5, value.Loyal},
		{3, 3, 3, value.NeedAttention},
		{3, 1, 2, value.AboutToSleep},
		{2, 3, 4, value.AtRisk},
		{1, 4, 4, value.AtRisk},
		{2, 5, 5, value.CantLose},
		{1, 5, 4, value.CantLose},
		{2, 1, 1, value.Hibernating},
		{1, 2, 2, value.Hibernating},
		{1, 1, 1, value.Lost},
		{1, 1, 2, value.Hibernating}, // FM = 1.5 rounds up to 2
		{0, 9, -3, value.AtRisk},     // clamped to (1, 5, 1)
	} {
		assert.Equal(t, tc.want, value.SegmentOf(tc.r, tc.f, tc.m), "R%d F%d M%d", tc.r, tc.f, tc.m)
	}
}

func TestEverySegmentIsReachable(t *testing.T) {
	seen := map[value.Segment]bool{}
	for r := 1; r <= 5; r++ {
		for f := 1; f <= 5; f++ {
			for m := 1; m <= 5; m++ {
				seen[value.SegmentOf(r, f, m)] = true
			}
		}
	}
	for _, s := range value.Segments() {
		assert.True(t, seen[s], s)
	}
	assert.Len(t, seen, len(value.Segments()))
}
