package value

import "github.com/ledgerline/ledgerline/projections/readmodel"

// Name is the value projection's name and checkpoint key.
const Name = "value"

// factSchema returns the DDL of the tables the projector keeps: the
// facts, one row per event (or per customer for the directory).
func factSchema(d readmodel.Dialect) []string {
	t := readmodel.TypesOf(d)
	return []string{
		`CREATE TABLE IF NOT EXISTS value_customers (
			customer_id   ` + t.UUID + ` PRIMARY KEY,
			source        TEXT NOT NULL DEFAULT '',
			source_id     TEXT NOT NULL DEFAULT '',
			registered_at ` + t.Time + `,
			merged_into   ` + t.UUID + `,
			forgotten_at  ` + t.Time + `
		)`,
		`CREATE TABLE IF NOT EXISTS value_purchases (
			event_id       ` + t.UUID + ` PRIMARY KEY,
			customer_id    ` + t.UUID + ` NOT NULL,
			purchase_id    TEXT NOT NULL,
			occurred_at    ` + t.Time + ` NOT NULL,
			currency       TEXT NOT NULL,
			gross_minor    BIGINT NOT NULL,
			discount_minor BIGINT NOT NULL,
			total_minor    BIGINT NOT NULL,
			cost_minor     BIGINT,
			discount_id    TEXT
		)`,
		`CREATE TABLE IF NOT EXISTS value_refunds (
			event_id     ` + t.UUID + ` PRIMARY KEY,
			customer_id  ` + t.UUID + ` NOT NULL,
			purchase_id  TEXT NOT NULL,
			occurred_at  ` + t.Time + ` NOT NULL,
			currency     TEXT NOT NULL,
			amount_minor BIGINT NOT NULL
		)`,
	}
}

// Schema returns the DDL of the tables [Materialize] writes: evaluations
// as of a time, which a rebuild of the projection does not recreate.
func Schema(d readmodel.Dialect) []string {
	t := readmodel.TypesOf(d)
	return []string{
		`CREATE TABLE IF NOT EXISTS customer_value (
			as_of                 ` + t.Time + ` NOT NULL,
			customer_id           ` + t.UUID + ` NOT NULL,
			currency              TEXT NOT NULL,
			source                TEXT NOT NULL,
			source_id             TEXT NOT NULL,
			orders                BIGINT NOT NULL,
			gross_minor           BIGINT NOT NULL,
			discount_minor        BIGINT NOT NULL,
			refunded_minor        BIGINT NOT NULL,
			net_minor             BIGINT NOT NULL,
			cost_minor            BIGINT,
			profit_minor          BIGINT,
			unprofitable          ` + t.Bool + ` NOT NULL,
			aov_minor             BIGINT NOT NULL,
			first_purchase_at     ` + t.Time + ` NOT NULL,
			last_purchase_at      ` + t.Time + ` NOT NULL,
			revenue_rank          BIGINT NOT NULL,
			revenue_percentile    DOUBLE PRECISION NOT NULL,
			recency_days          BIGINT NOT NULL,
			r_score               SMALLINT NOT NULL,
			f_score               SMALLINT NOT NULL,
			m_score               SMALLINT NOT NULL,
			segment               TEXT NOT NULL,
			bgnbd_x               DOUBLE PRECISION NOT NULL,
			bgnbd_t_x             DOUBLE PRECISION NOT NULL,
			bgnbd_t               DOUBLE PRECISION NOT NULL,
			mean_spend_minor      DOUBLE PRECISION NOT NULL,
			horizon_weeks         DOUBLE PRECISION NOT NULL,
			expected_transactions DOUBLE PRECISION,
			p_alive               DOUBLE PRECISION,
			predicted_value_minor DOUBLE PRECISION,
			PRIMARY KEY (as_of, customer_id, currency)
		)`,
		`CREATE TABLE IF NOT EXISTS value_models (
			as_of                ` + t.Time + ` NOT NULL,
			currency             TEXT NOT NULL,
			log_position         BIGINT NOT NULL,
			customers            BIGINT NOT NULL,
			bgnbd_r              DOUBLE PRECISION,
			bgnbd_alpha          DOUBLE PRECISION,
			bgnbd_a              DOUBLE PRECISION,
			bgnbd_b              DOUBLE PRECISION,
			bgnbd_log_likelihood DOUBLE PRECISION,
			bgnbd_error          TEXT,
			gg_p                 DOUBLE PRECISION,
			gg_q                 DOUBLE PRECISION,
			gg_v                 DOUBLE PRECISION,
			gg_customers         BIGINT,
			gg_log_likelihood    DOUBLE PRECISION,
			gg_error             TEXT,
			PRIMARY KEY (as_of, currency)
		)`,
	}
}
