package timeline

import "github.com/ledgerline/ledgerline/projections/readmodel"

// Name is the projection's name and checkpoint key.
const Name = "timeline"

func schema(d readmodel.Dialect) []string {
	t := readmodel.TypesOf(d)
	return []string{
		`CREATE TABLE IF NOT EXISTS timeline (
			position     ` + t.IntegerKey + ` PRIMARY KEY,
			event_id     ` + t.UUID + ` NOT NULL,
			stream       TEXT NOT NULL,
			customer_id  ` + t.UUID + `,
			version      BIGINT NOT NULL,
			type         TEXT NOT NULL,
			channel      TEXT,
			direction    TEXT,
			summary      TEXT NOT NULL,
			amount_minor BIGINT,
			currency     TEXT,
			actor        TEXT NOT NULL,
			occurred_at  ` + t.Time + ` NOT NULL,
			recorded_at  ` + t.Time + ` NOT NULL
		)`,
		`CREATE INDEX IF NOT EXISTS timeline_customer ON timeline (customer_id, occurred_at, position)`,
		`CREATE TABLE IF NOT EXISTS customers (
			customer_id   ` + t.UUID + ` PRIMARY KEY,
			kind          TEXT NOT NULL DEFAULT '',
			display_name  TEXT NOT NULL DEFAULT '',
			source        TEXT NOT NULL DEFAULT '',
			source_id     TEXT NOT NULL DEFAULT '',
			sample_index  TEXT NOT NULL DEFAULT '',
			registered_at ` + t.Time + `,
			events        BIGINT NOT NULL DEFAULT 0,
			last_event_at ` + t.Time + `,
			forgotten     ` + t.Bool + ` NOT NULL DEFAULT FALSE
		)`,
		`CREATE INDEX IF NOT EXISTS customers_source ON customers (source_id, source)`,
	}
}
