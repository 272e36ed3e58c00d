package demo

import (
	"math/rand/v2"

	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/money"
)

// Currency is the currency of every demo amount: the shop sells in euros.
const Currency money.Currency = "EUR"

// product is an item of the demo shop (smart-home devices and services).
// Prices and costs are euro cents; cost 0 means unknown.
type product struct {
	sku, name   string
	price, cost int64
	// goesWith lists the skus bought with it, for cross-sell affinity.
	goesWith []string
}

var products = []product{
	{"HUB-100", "Smart home hub", 14900, 9800, []string{"SNS-010", "SNS-020", "PLG-005", "INS-001"}},
	{"CAM-200", "Indoor camera", 7900, 5200, []string{"SUB-CLD", "PLG-005"}},
	{"CAM-210", "Outdoor camera", 11900, 8100, []string{"SUB-CLD", "INS-001"}},
	{"SNS-010", "Door sensor", 2490, 1120, []string{"SNS-020", "HUB-100"}},
	{"SNS-020", "Motion sensor", 2990, 1350, []string{"SNS-010", "BLB-001"}},
	{"PLG-005", "Smart plug", 1990, 740, []string{"BLB-001"}},
	{"BLB-001", "Smart bulb", 1490, 510, []string{"PLG-005", "SNS-020"}},
	{"INS-001", "Installation service", 8900, 6000, nil},
	{"SUB-CLD", "Cloud video, 12 months", 5900, 900, []string{"CAM-200"}},
	{"CON-001", "Consulting hour", 12000, 0, []string{"INS-001"}},
}

// anchors are the skus a basket starts with, per persona; unprofitable
// customers buy the low-margin hardware.
var anchors = map[Persona][]string{
	Loyal:        {"HUB-100", "CAM-200", "SNS-010", "PLG-005", "BLB-001", "SUB-CLD"},
	Declining:    {"CAM-200", "SNS-020", "PLG-005", "BLB-001"},
	Churned:      {"CAM-200", "HUB-100", "BLB-001"},
	New:          {"HUB-100", "CAM-200", "PLG-005", "BLB-001"},
	Unprofitable: {"HUB-100", "CAM-210", "HUB-100", "INS-001"},
}

// bySKU indexes products by sku.
var bySKU = func() map[string]product {
	m := make(map[string]product, len(products))
	for _, p := range products {
		m[p.sku] = p
	}
	return m
}()

// basket draws the lines of one order: an anchor and, often, what goes
// with it. Companies buy more of each; scale (in percent) shrinks the
// quantities of a customer whose spend falls.
func basket(r *rand.Rand, p Persona, kind customer.Kind, scale int) []customer.Line {
	first := bySKU[pick(r, anchors[p])]
	chosen := []product{first}
	for _, sku := range first.goesWith {
		if len(chosen) < 4 && chance(r, ifElse(p == Unprofitable, 0.15, 0.45)) {
			chosen = append(chosen, bySKU[sku])
		}
	}
	lines := make([]customer.Line, len(chosen))
	for i, pr := range chosen {
		lines[i] = line(pr, quantity(r, pr, kind, scale))
	}
	return lines
}

func quantity(r *rand.Rand, pr product, kind customer.Kind, scale int) int64 {
	n := 1
	switch {
	case kind == customer.Company && pr.price < 5000:
		n = between(r, 5, 40)
	case kind == customer.Company:
		n = between(r, 1, 8)
	case pr.price < 3000:
		n = between(r, 1, 6)
	}
	return int64(max(1, n*scale/100))
}

func line(pr product, qty int64) customer.Line {
	l := customer.Line{SKU: pr.sku, Description: pr.name, Quantity: qty, UnitPrice: pr.price}
	if pr.cost > 0 {
		cost := pr.cost
		l.UnitCost = &cost
	}
	return l
}

// subtotal returns the sum of the lines.
func subtotal(lines []customer.Line) int64 {
	var sum int64
	for _, l := range lines {
		sum += l.Amount()
	}
	return sum
}
