package pgerr_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/pgerr"
)

func TestTranslate(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name        string
		ctx         context.Context
		err         error
		unavailable bool
		ctxErr      bool
		text        string
	}{
		{"admin shutdown", context.Background(), &pgconn.PgError{Code: "57P01", Message: "terminating"}, true, false, "57P01"},
		{"connection exception", context.Background(), &pgconn.PgError{Code: "08006"}, true, false, "08006"},
		{"lost connection", context.Background(), io.ErrUnexpectedEOF, true, false, "unexpected EOF"},
		{"unique violation", context.Background(), &pgconn.PgError{Code: "23505", Message: "duplicate key"}, false, false, "duplicate key"},
		{"caller gave up", canceled, errors.New("conn busy"), false, true, "canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pgerr.Translate(tt.ctx, "op", tt.err)
			assert.Equal(t, tt.unavailable, errors.Is(err, eventstore.ErrUnavailable))
			assert.Equal(t, tt.ctxErr, errors.Is(err, context.Canceled))
			assert.Contains(t, err.Error(), tt.text)
			var pgErr *pgconn.PgError
			assert.False(t, errors.As(err, &pgErr), "pgx types stay out of the chain")
		})
	}
	assert.NoError(t, pgerr.Translate(context.Background(), "op", nil))
}
