package projections_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// TestRowsSortByUUID sorts rows by their key column, typed or boxed,
// taking every other column along, NULLs included.
func TestRowsSortByUUID(t *testing.T) {
	a := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	b := uuid.MustParse("7fffffff-0000-4000-8000-000000000000")
	c := uuid.MustParse("ffffffff-0000-4000-8000-000000000000")
	want := [][]any{{a, int64(1), "x"}, {b, int64(2), nil}, {c, int64(3), "z"}}
	typed := func() []readmodel.Column {
		ids, ns, texts := readmodel.NewOf[uuid.UUID](3), readmodel.NewOf[int64](3), readmodel.NewOf[string](3)
		for _, r := range []struct {
			id   uuid.UUID
			n    int64
			text string
		}{{c, 3, "z"}, {a, 1, "x"}, {b, 2, ""}} {
			ids.Add(r.id)
			ns.Add(r.n)
			texts.AddOrNull(r.text, r.text == "")
		}
		return []readmodel.Column{{Name: "id", Values: ids}, {Name: "n", Values: ns}, {Name: "text", Values: texts}}
	}
	cases := map[string][]readmodel.Column{
		"Typed": typed(),
		"Boxed": readmodel.ColumnsOf([]string{"id", "n", "text"}, [][]any{{c, int64(3), "z"}, {a, int64(1), "x"}, {b, int64(2), nil}}),
	}
	for name, cols := range cases {
		t.Run(name, func(t *testing.T) {
			rows := projections.Rows{Table: "t", Columns: cols}
			rows.SortByUUID()
			got := make([][]any, rows.Len())
			for i := range got {
				got[i] = readmodel.Row(rows.Columns, i)
			}
			assert.Equal(t, want, got)
		})
	}
}
