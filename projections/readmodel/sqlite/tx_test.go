package sqlite

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPositional(t *testing.T) {
	tests := []struct{ in, want string }{
		{"INSERT INTO t VALUES ($1, $2), ($3, $4)", "INSERT INTO t VALUES (?, ?), (?, ?)"},
		{"UPDATE t SET a = $2 WHERE b = $1", "UPDATE t SET a = $2 WHERE b = $1"},
		{"UPDATE t SET a = $1 WHERE b = $1", "UPDATE t SET a = $1 WHERE b = $1"},
		{"SELECT '$1', $1", "SELECT '$1', ?"},
		{"SELECT 1", "SELECT 1"},
		{"SELECT $1, $10", "SELECT $1, $10"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, positional(tt.in), tt.in)
	}
}
