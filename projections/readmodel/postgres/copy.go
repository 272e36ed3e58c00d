package postgres

import (
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/eventstore/pgerr"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

var _ readmodel.Copier = txn{}

// CopyFrom implements [readmodel.Copier] with COPY … FROM STDIN in text
// format: every value travels as the text the server parses for the
// column, exactly as a string parameter of Exec does, so [readmodel.Timestamp]
// text and UUID text load into timestamptz and uuid columns unchanged.
// pgx's binary CopyFrom would need Go values of the columns' own types.
func (t txn) CopyFrom(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	var buf bytes.Buffer
	for i, row := range rows {
		if len(row) != len(columns) {
			return fmt.Errorf("copy into %s: row %d has %d values for %d columns", table, i, len(row), len(columns))
		}
		if err := appendRow(&buf, row); err != nil {
			return fmt.Errorf("copy into %s: row %d: %w", table, i, err)
		}
	}
	_, err := t.tx.Conn().PgConn().CopyFrom(ctx, &buf, copyStatement(table, columns))
	return pgerr.Translate(ctx, "copy into "+table, err)
}

func copyStatement(table string, columns []string) string {
	cols := make([]string, len(columns))
	for i, c := range columns {
		cols[i] = pgx.Identifier{c}.Sanitize()
	}
	return `COPY ` + pgx.Identifier{table}.Sanitize() + ` (` + strings.Join(cols, ", ") + `) FROM STDIN`
}

// appendRow writes row as one line of COPY's text format.
func appendRow(buf *bytes.Buffer, row []any) error {
	for i, v := range row {
		if i > 0 {
			buf.WriteByte('\t')
		}
		if err := appendValue(buf, v); err != nil {
			return fmt.Errorf("column %d: %w", i+1, err)
		}
	}
	buf.WriteByte('\n')
	return nil
}

// copyEscaper escapes the characters COPY's text format gives a meaning.
var copyEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

func appendValue(buf *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		buf.WriteString(`\N`)
	case string:
		copyEscaper.WriteString(buf, x)
	case []byte:
		buf.WriteString(`\\x`)
		buf.WriteString(hex.EncodeToString(x))
	case int64:
		buf.WriteString(strconv.FormatInt(x, 10))
	case int:
		buf.WriteString(strconv.Itoa(x))
	case int32:
		buf.WriteString(strconv.FormatInt(int64(x), 10))
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case float64:
		buf.WriteString(formatFloat(x))
	case time.Time:
		buf.WriteString(x.UTC().Format(readmodel.TimeLayout))
	case driver.Valuer:
		return appendValuer(buf, x)
	case fmt.Stringer:
		copyEscaper.WriteString(buf, x.String())
	default:
		return fmt.Errorf("unsupported value %T", v)
	}
	return nil
}

func appendValuer(buf *bytes.Buffer, v driver.Valuer) error {
	inner, err := v.Value()
	if err != nil {
		return err
	}
	if _, again := inner.(driver.Valuer); again {
		return fmt.Errorf("value %T: Value returned a Valuer", v)
	}
	return appendValue(buf, inner)
}

// formatFloat writes f as PostgreSQL reads a double precision.
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
