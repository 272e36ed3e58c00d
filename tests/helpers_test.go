package tests

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fileTotals sums purchases and cents per source customer straight from a
// CDNOW file, independently of the importer.
func fileTotals(t *testing.T, file string, idColumn, valueColumn int) map[string][2]int64 {
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	out := map[string][2]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || fields[0] == "customer_id" {
			continue
		}
		v, err := strconv.ParseFloat(fields[valueColumn], 64)
		require.NoError(t, err)
		c := out[fields[idColumn]]
		out[fields[idColumn]] = [2]int64{c[0] + 1, c[1] + int64(math.Round(v*100))}
	}
	return out
}
