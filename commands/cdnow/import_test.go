package cdnow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/cdnow"
	"github.com/ledgerline/ledgerline/commands/cdnow/cdnowtest"
	"github.com/ledgerline/ledgerline/domain/catalogue"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
)

const (
	masterFile = "../../../shared/data/cdnow/CDNOW_master.txt"
	sampleFile = "../../../shared/data/cdnow/CDNOW_sample.txt"
)

func importFile(t *testing.T, store eventstore.Store, file string, batch int) (cdnow.Summary, error) {
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	return cdnow.Import(context.Background(), store, catalogue.New(), bytes.NewReader(data), file, cdnow.Options{BatchLines: batch})
}

// storedTotals sums purchases per customer stream from the stored events.
func storedTotals(t *testing.T, store eventstore.Store) map[string][2]int64 {
	out := map[string][2]int64{}
	var after uint64
	for {
		page, err := store.ReadAll(context.Background(), eventstore.ReadAllOptions{After: after, Limit: 10000})
		require.NoError(t, err)
		if len(page) == 0 {
			return out
		}
		for _, r := range page {
			after = r.Position
			if r.Type != "customer.purchase_recorded" {
				continue
			}
			var p customer.PurchaseRecorded
			require.NoError(t, json.Unmarshal(r.Data, &p))
			c := out[r.Stream]
			out[r.Stream] = [2]int64{c[0] + 1, c[1] + p.Total}
		}
	}
}

func TestImportMatchesTheFileCustomerByCustomer(t *testing.T) {
	tests := []struct {
		file      string
		dataset   cdnow.Dataset
		id, value int
		customers int
		purchases int
	}{
		{masterFile, cdnow.Master, 0, 3, 23570, 69659},
		{sampleFile, cdnow.Sample, 0, 4, 2357, 6919},
	}
	for _, tt := range tests {
		t.Run(string(tt.dataset), func(t *testing.T) {
			store := memory.New(nil)
			sum, err := importFile(t, store, tt.file, 0)
			require.NoError(t, err)
			assert.Equal(t, tt.customers, sum.Customers)
			assert.Equal(t, tt.purchases, sum.Purchases)
			assert.Equal(t, tt.customers+tt.purchases, sum.Appended)

			want := cdnowtest.Totals(t, tt.file, tt.id, tt.value)
			got := storedTotals(t, store)
			require.Len(t, got, len(want))
			for id, w := range want {
				assert.Equal(t, w, got[customer.Stream(cdnow.CustomerID(tt.dataset, id))], "customer %s", id)
			}
			_, err = eventstore.Verify(context.Background(), store, nil)
			require.NoError(t, err)
		})
	}
}

func TestReimportAddsNothing(t *testing.T) {
	store := memory.New(nil)
	first, err := importFile(t, store, sampleFile, 1000)
	require.NoError(t, err)
	second, err := importFile(t, store, sampleFile, 700)
	require.NoError(t, err)
	assert.Equal(t, first.Events, second.Events)
	assert.Zero(t, second.Appended)
	head, err := eventstore.Head(context.Background(), store)
	require.NoError(t, err)
	assert.Equal(t, first.LastPosition, head)
}

func TestMalformedLineCommitsNothingOfItsBatch(t *testing.T) {
	lines := []string{" customer_id  date number_of_cds  dollar_value"}
	for i := 1; i <= 12; i++ {
		lines = append(lines, " 0000"+strconv.Itoa(i%4+1)+" 19970101 1 10.00")
	}
	lines[9] = " 00001 19970101 1 ten" // line 10 of the file
	file := t.TempDir() + "/bad.txt"
	require.NoError(t, os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600))

	t.Run("whole file in one batch stores nothing", func(t *testing.T) {
		store := memory.New(nil)
		_, err := importFile(t, store, file, 100)
		var le *cdnow.LineError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, 10, le.Line)
		assert.Equal(t, 4, le.Column)
		head, err := eventstore.Head(context.Background(), store)
		require.NoError(t, err)
		assert.Zero(t, head, "the store is as it was")
	})
	t.Run("earlier batches stay, the failing batch does not", func(t *testing.T) {
		store := memory.New(nil)
		sum, err := importFile(t, store, file, 4) // lines 2-5 and 6-9 commit; 10-13 fails
		require.Error(t, err)
		assert.Equal(t, 8, sum.Purchases)
		got := storedTotals(t, store)
		var purchases int64
		for _, c := range got {
			purchases += c[0]
		}
		assert.Equal(t, int64(8), purchases)
	})
}
