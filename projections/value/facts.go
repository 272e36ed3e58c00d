package value

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// Purchase is one purchase as of a time, with the refunds on it recorded
// by then.
type Purchase struct {
	EventID    uuid.UUID `json:"event_id"`
	PurchaseID string    `json:"purchase_id"`
	At         time.Time `json:"at"`
	// Gross is the sum of the lines, Discount what was taken off, Total
	// their difference; minor units.
	Gross    int64 `json:"gross_minor"`
	Discount int64 `json:"discount_minor"`
	Total    int64 `json:"total_minor"`
	// Cost is what the lines cost the seller; nil unless every line's
	// cost is known.
	Cost *int64 `json:"cost_minor,omitempty"`
	// Refunded is the sum of the purchase's refunds, RefundIDs their
	// event ids.
	Refunded  int64       `json:"refunded_minor"`
	RefundIDs []uuid.UUID `json:"refund_event_ids,omitempty"`
}

// Net is what the purchase brought in: its total less its refunds.
func (p Purchase) Net() int64 { return p.Total - p.Refunded }

// History is one customer's purchases in one currency, in time order
// (occurred_at, then event id).
type History struct {
	Customer  Customer   `json:"customer"`
	Currency  string     `json:"currency"`
	Purchases []Purchase `json:"purchases"`
}

// Facts are the value facts as of a time: what had happened by then.
type Facts struct {
	AsOf      time.Time
	Directory Directory
	// Histories are sorted by customer id, then currency. Purchases of a
	// customer merged into another count for the survivor; forgotten
	// customers have none.
	Histories []History
}

// Load reads the facts that had happened by asOf (occurred_at ≤ asOf,
// in microseconds, UTC):
// purchases and the refunds on them. A refund counts only with its
// purchase, in the purchase's currency.
func Load(ctx context.Context, q readmodel.Querier, asOf time.Time) (Facts, error) {
	asOf = asOf.UTC().Truncate(time.Microsecond) // the read models' precision
	dir, err := LoadDirectory(ctx, q)
	if err != nil {
		return Facts{}, err
	}
	purchases, err := loadPurchases(ctx, q, asOf)
	if err != nil {
		return Facts{}, err
	}
	if err := loadRefunds(ctx, q, asOf, purchases); err != nil {
		return Facts{}, err
	}
	return Facts{AsOf: asOf, Directory: dir, Histories: histories(dir, purchases)}, nil
}

// purchaseKey names a purchase: its customer (before any merge) and id.
type purchaseKey struct {
	customer uuid.UUID
	id       string
}

// fact is a purchase with its customer and currency.
type fact struct {
	customer uuid.UUID
	currency string
	purchase Purchase
}

func loadPurchases(ctx context.Context, q readmodel.Querier, asOf time.Time) (map[purchaseKey]*fact, error) {
	rows, err := q.Query(ctx, `SELECT event_id, customer_id, purchase_id, occurred_at, currency, gross_minor, discount_minor,
		total_minor, cost_minor FROM value_purchases WHERE occurred_at <= $1`, readmodel.Timestamp(asOf))
	if err != nil {
		return nil, fmt.Errorf("read value purchases: %w", err)
	}
	defer rows.Close()
	out := map[purchaseKey]*fact{}
	for rows.Next() {
		f, err := scanPurchase(rows)
		if err != nil {
			return nil, err
		}
		out[purchaseKey{f.customer, f.purchase.PurchaseID}] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read value purchases: %w", err)
	}
	return out, nil
}

func scanPurchase(rows readmodel.Rows) (*fact, error) {
	var event, cust string
	var at readmodel.Time
	var cost sql.NullInt64
	f := &fact{}
	p := &f.purchase
	err := rows.Scan(&event, &cust, &p.PurchaseID, &at, &f.currency, &p.Gross, &p.Discount, &p.Total, &cost)
	if err != nil {
		return nil, fmt.Errorf("scan value purchase: %w", err)
	}
	if p.EventID, err = uuid.Parse(event); err != nil {
		return nil, fmt.Errorf("scan value purchase %q: %w", event, err)
	}
	if f.customer, err = uuid.Parse(cust); err != nil {
		return nil, fmt.Errorf("scan value purchase %s: customer %q: %w", event, cust, err)
	}
	p.At = at.Time
	if cost.Valid {
		p.Cost = &cost.Int64
	}
	return f, nil
}

func loadRefunds(ctx context.Context, q readmodel.Querier, asOf time.Time, purchases map[purchaseKey]*fact) error {
	rows, err := q.Query(ctx, `SELECT event_id, customer_id, purchase_id, amount_minor FROM value_refunds WHERE occurred_at <= $1`,
		readmodel.Timestamp(asOf))
	if err != nil {
		return fmt.Errorf("read value refunds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var event, cust, purchase string
		var amount int64
		if err := rows.Scan(&event, &cust, &purchase, &amount); err != nil {
			return fmt.Errorf("scan value refund: %w", err)
		}
		id, err1 := uuid.Parse(event)
		c, err2 := uuid.Parse(cust)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("scan value refund %q of customer %q: malformed uuid", event, cust)
		}
		if f, ok := purchases[purchaseKey{c, purchase}]; ok {
			f.purchase.Refunded += amount
			f.purchase.RefundIDs = append(f.purchase.RefundIDs, id)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read value refunds: %w", err)
	}
	return nil
}

// historyKey groups purchases by resolved customer and currency.
type historyKey struct {
	customer uuid.UUID
	currency string
}

// histories groups the purchases by the customer they count for and
// currency, in a fixed order whatever the order rows came in.
func histories(dir Directory, purchases map[purchaseKey]*fact) []History {
	byKey := map[historyKey]*History{}
	for _, f := range purchases {
		c, ok := dir.Resolve(f.customer)
		if !ok {
			continue
		}
		k := historyKey{c.ID, f.currency}
		h := byKey[k]
		if h == nil {
			h = &History{Customer: c, Currency: f.currency}
			byKey[k] = h
		}
		slices.SortFunc(f.purchase.RefundIDs, compareUUID)
		h.Purchases = append(h.Purchases, f.purchase)
	}
	out := make([]History, 0, len(byKey))
	for _, h := range byKey {
		slices.SortFunc(h.Purchases, comparePurchases)
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b History) int {
		return cmp.Or(compareUUID(a.Customer.ID, b.Customer.ID), cmp.Compare(a.Currency, b.Currency))
	})
	return out
}

func comparePurchases(a, b Purchase) int {
	return cmp.Or(a.At.Compare(b.At), compareUUID(a.EventID, b.EventID))
}

func compareUUID(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }

// LastPurchase returns the business time of the latest purchase in the
// facts, forgotten customers' included, and false if there is none: the
// natural as-of of a data set that ended in the past.
func LastPurchase(ctx context.Context, q readmodel.Querier) (time.Time, bool, error) {
	rows, err := q.Query(ctx, `SELECT max(occurred_at) FROM value_purchases`)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read last purchase: %w", err)
	}
	defer rows.Close()
	var last readmodel.Time
	if rows.Next() {
		if err := rows.Scan(&last); err != nil {
			return time.Time{}, false, fmt.Errorf("read last purchase: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return time.Time{}, false, fmt.Errorf("read last purchase: %w", err)
	}
	return last.Time, !last.IsZero(), nil
}
