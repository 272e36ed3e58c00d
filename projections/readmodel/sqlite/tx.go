package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// txn is a [readmodel.Tx] that prepares each distinct statement once per
// transaction: projectors run the same few statements for thousands of
// events.
type txn struct {
	tx    preparer
	stmts map[string]*sql.Stmt
}

// preparer is a *sql.Tx, or the *sql.Conn of a shadow whose transaction
// spans many Apply calls.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// stmt returns query prepared, once per transaction. Its error does not
// quote query: a copy's INSERT is kilobytes of placeholders, so callers
// say what they prepared.
func (t *txn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, positional(query))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	t.stmts[query] = st
	return st, nil
}

// Exec implements [readmodel.Tx].
func (t *txn) Exec(ctx context.Context, query string, args ...any) error {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return fmt.Errorf("exec %q: %w", query, err)
	}
	if _, err := st.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("exec %q: %w", query, err)
	}
	return nil
}

// Query implements [readmodel.Querier].
func (t *txn) Query(ctx context.Context, query string, args ...any) (readmodel.Rows, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("query %q: %w", query, err)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("query %q: %w", query, err)
	}
	return rows, nil
}

func (t *txn) close() {
	for _, st := range t.stmts {
		st.Close()
	}
}

func fromMicro(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// positional rewrites a query whose placeholders are exactly $1, $2, …,
// $n in order of appearance, each once, into anonymous ? placeholders,
// and returns any other query unchanged. SQLite looks a numbered or named
// parameter up by scanning a list of all of them, so binding a many-row
// INSERT with $n placeholders is quadratic in its parameter count; ? is
// not. Text inside single quotes is left alone.
func positional(query string) string {
	var b strings.Builder
	next, quoted := 1, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c == '\'' {
			quoted = !quoted
		}
		if c != '$' || quoted {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(query[i+1 : j]); err != nil || n != next {
			return query
		}
		b.WriteByte('?')
		next, i = next+1, j-1
	}
	return b.String()
}
