package readmodel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

func TestColumns(t *testing.T) {
	texts := readmodel.NewOf[string](4)
	texts.Add("a") // before the first NULL: no Null slice yet
	texts.AddOrNull("", true)
	texts.AddOrNull("c", false)
	texts.Add("d")
	boxed := readmodel.Any{int64(1), nil, int64(3), int64(4)}
	cases := []struct {
		name   string
		values readmodel.Values
		want   []any
	}{
		{"TypedWithNulls", texts, []any{"a", nil, "c", "d"}},
		{"Boxed", boxed, []any{int64(1), nil, int64(3), int64(4)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := make([]any, c.values.Len())
			for i := range got {
				got[i] = c.values.At(i)
			}
			assert.Equal(t, c.want, got)
			c.values.Reorder([]int{3, 2, 1, 0})
			for i := range got {
				assert.Equal(t, c.want[3-i], c.values.At(i), "row %d reordered", i)
			}
		})
	}
}

func TestColumnsOfAndRow(t *testing.T) {
	rows := [][]any{{int64(1), "x"}, {int64(2), nil}}
	cols := readmodel.ColumnsOf([]string{"n", "s"}, rows)
	assert.Equal(t, "s", cols[1].Name)
	named := readmodel.Named([]string{"n", "s"}, readmodel.Any{int64(1), int64(2)}, readmodel.Any{"x", nil})
	for i, want := range rows {
		assert.Equal(t, want, readmodel.Row(cols, i))
		assert.Equal(t, want, readmodel.Row(named, i))
	}
}

func TestNames(t *testing.T) {
	short := readmodel.Any{int64(1)}
	long := readmodel.Any{"a", "b"}
	names, err := readmodel.Names("t", []readmodel.Column{{Name: "n", Values: short}, {Name: "s", Values: readmodel.Any{"a"}}})
	assert.NoError(t, err)
	assert.Equal(t, []string{"n", "s"}, names)
	_, err = readmodel.Names("t", []readmodel.Column{{Name: "n", Values: short}, {Name: "s", Values: long}})
	assert.ErrorContains(t, err, "column s has 2 values, column n 1")
	_, err = readmodel.Names("t", nil)
	assert.ErrorContains(t, err, "no columns")
}
