package cdnow

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/money"
)

// Namespace is the UUID v5 namespace of every id the import derives.
var Namespace = uuid.MustParse("5b0f5a4e-3c1d-4f57-9d0e-8f5c2a1b7e63")

// SourceSystem is the source system recorded on imported customers.
const SourceSystem = "cdnow"

// Currency of every CDNOW amount.
const Currency money.Currency = "USD"

// CustomerID returns the customer id of a source customer of a dataset.
func CustomerID(d Dataset, sourceID string) uuid.UUID {
	return uuid.NewSHA1(Namespace, []byte("cdnow/"+string(d)+"/customer/"+sourceID))
}

// lineID returns the id of what line n of a dataset produced.
func lineID(d Dataset, n int) uuid.UUID {
	return uuid.NewSHA1(Namespace, []byte("cdnow/"+string(d)+"/line/"+strconv.Itoa(n)))
}

func registrationID(d Dataset, sourceID string) uuid.UUID {
	return uuid.NewSHA1(Namespace, []byte("cdnow/"+string(d)+"/customer/"+sourceID+"/registered"))
}

// correlationID ties together everything imported from a dataset.
func correlationID(d Dataset) uuid.UUID {
	return uuid.NewSHA1(Namespace, []byte("cdnow/"+string(d)))
}

// register is the registration of a source customer.
func register(d Dataset, row Row) customer.Register {
	idx := 0
	if row.SampleIndex != "" {
		idx, _ = strconv.Atoi(row.SampleIndex)
	}
	return customer.Register{
		CustomerID: CustomerID(d, row.CustomerID), Kind: customer.Person,
		Name:         "CDNOW customer " + row.CustomerID,
		SourceSystem: SourceSystem, SourceID: row.CustomerID, SampleIndex: idx,
	}
}

// purchase is the purchase a line records. CDNOW gives the number of CDs
// and the order's value; when the value does not divide evenly, the cents
// left over go on one CD, so that quantities and the total stay exact.
func purchase(d Dataset, row Row) customer.RecordPurchase {
	n := int64(row.CDs)
	unit, rest := row.Cents/n, row.Cents%n
	var lines []customer.Line
	if rest == 0 {
		lines = []customer.Line{cdLine(n, unit)}
	} else {
		if n > 1 {
			lines = append(lines, cdLine(n-1, unit))
		}
		lines = append(lines, cdLine(1, unit+rest))
	}
	return customer.RecordPurchase{
		CustomerID: CustomerID(d, row.CustomerID),
		PurchaseID: fmt.Sprintf("cdnow-%s-%d", d, row.Line),
		Currency:   Currency, Lines: lines, Total: row.Cents,
	}
}

func cdLine(qty, unitPrice int64) customer.Line {
	return customer.Line{SKU: "CD", Description: strings.TrimSpace("compact disc"), Quantity: qty, UnitPrice: unitPrice}
}
