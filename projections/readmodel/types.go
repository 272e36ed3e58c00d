package readmodel

// Types are the column types a dialect uses for the values read models
// share, so that one projector's DDL serves both stores.
type Types struct {
	UUID string
	Time string
	Bool string
	JSON string
	// IntegerKey is the type of a one-column integer primary key: in
	// SQLite INTEGER, which makes the column the table's rowid rather than
	// a second B-tree beside it.
	IntegerKey string
}

// TypesOf returns d's column types: PostgreSQL gets uuid, timestamptz,
// boolean and jsonb; SQLite stores text (timestamps in [TimeLayout]) and
// integers.
func TypesOf(d Dialect) Types {
	if d == PostgreSQL {
		return Types{UUID: "UUID", Time: "TIMESTAMPTZ", Bool: "BOOLEAN", JSON: "JSONB", IntegerKey: "BIGINT"}
	}
	return Types{UUID: "TEXT", Time: "TEXT", Bool: "INTEGER", JSON: "TEXT", IntegerKey: "INTEGER"}
}
