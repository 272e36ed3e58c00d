package projections_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/projections"
)

func TestRowsSortByUUID(t *testing.T) {
	a := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	b := uuid.MustParse("7fffffff-0000-4000-8000-000000000000")
	c := uuid.MustParse("ffffffff-0000-4000-8000-000000000000")
	rows := projections.Rows{Table: "t", Columns: []string{"id", "n"}, Values: [][]any{{c, 3}, {a, 1}, {b, 2}}}
	rows.SortByUUID()
	assert.Equal(t, [][]any{{a, 1}, {b, 2}, {c, 3}}, rows.Values)
}
