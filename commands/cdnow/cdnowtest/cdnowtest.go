// Package cdnowtest is the test oracle of the CDNOW import: it sums a CDNOW
// file straight from its text, with floating point and rounding,
// independently of the importer's parser, so that tests can compare what
// was stored with what the file says.
package cdnowtest

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Totals returns, per source customer id, the number of purchase lines and
// their value in cents. idColumn and valueColumn are the 0-based columns
// of the customer id and the dollar value (0 and 3 in the master file, 0
// and 4 in the sample); a header line is skipped.
func Totals(tb testing.TB, file string, idColumn, valueColumn int) map[string][2]int64 {
	tb.Helper()
	f, err := os.Open(file)
	if err != nil {
		tb.Fatalf("open %s: %v", file, err)
	}
	defer f.Close()
	out := map[string][2]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || fields[0] == "customer_id" {
			continue
		}
		v, err := strconv.ParseFloat(fields[valueColumn], 64)
		if err != nil {
			tb.Fatalf("%s: value %q: %v", file, fields[valueColumn], err)
		}
		c := out[fields[idColumn]]
		out[fields[idColumn]] = [2]int64{c[0] + 1, c[1] + int64(math.Round(v*100))}
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", file, err)
	}
	return out
}
