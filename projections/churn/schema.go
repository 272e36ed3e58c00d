package churn

import "github.com/ledgerline/ledgerline/projections/readmodel"

// Name is the churn projection's name and checkpoint key.
const Name = "churn"

// factSchema returns the DDL of the evidence table the projector keeps.
func factSchema(d readmodel.Dialect) []string {
	t := readmodel.TypesOf(d)
	date := "DATE"
	if d != readmodel.PostgreSQL {
		date = "TEXT"
	}
	return []string{
		`CREATE TABLE IF NOT EXISTS churn_evidence (
			event_id        ` + t.UUID + ` PRIMARY KEY,
			customer_id     ` + t.UUID + ` NOT NULL,
			type            TEXT NOT NULL,
			occurred_at     ` + t.Time + ` NOT NULL,
			stars           SMALLINT,
			nps             SMALLINT,
			invoice_id      TEXT,
			due_date        ` + date + `,
			amount_minor    BIGINT,
			currency        TEXT,
			consent_purpose TEXT,
			consent_channel TEXT,
			discount_id     TEXT
		)`,
	}
}

// Schema returns the DDL of the tables [Materialize] writes: signals as
// of a time, which a rebuild of the projection does not recreate.
func Schema(d readmodel.Dialect) []string {
	t := readmodel.TypesOf(d)
	return []string{
		`CREATE TABLE IF NOT EXISTS churn_signals (
			as_of       ` + t.Time + ` NOT NULL,
			customer_id ` + t.UUID + ` NOT NULL,
			source      TEXT NOT NULL,
			source_id   TEXT NOT NULL,
			score       SMALLINT NOT NULL,
			top_reason  TEXT,
			reasons     SMALLINT NOT NULL,
			PRIMARY KEY (as_of, customer_id)
		)`,
		`CREATE TABLE IF NOT EXISTS churn_reasons (
			as_of       ` + t.Time + ` NOT NULL,
			customer_id ` + t.UUID + ` NOT NULL,
			code        TEXT NOT NULL,
			weight      DOUBLE PRECISION NOT NULL,
			detail      TEXT NOT NULL,
			event_ids   ` + t.JSON + ` NOT NULL,
			PRIMARY KEY (as_of, customer_id, code)
		)`,
	}
}
