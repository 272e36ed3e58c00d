package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ledgerline/ledgerline/eventstore"
)

// errClientGone reports a call cut short because the store closed or
// replaced its client meanwhile.
var errClientGone = errors.New("the esdb client was closed during the call")

// portErrors are the port's sentinels; an error that matches one is
// already translated.
var portErrors = []error{
	eventstore.ErrWrongExpectedVersion, eventstore.ErrDuplicateEventID, eventstore.ErrStreamNotFound,
	eventstore.ErrInvalidEvent, eventstore.ErrClosed, eventstore.ErrUnavailable,
}

// translate turns an error of the esdb client, of gRPC or of ctx into the
// port's errors, prefixed with what the store was doing. The client's
// text goes into the message, not the chain; ctx errors stay wrapped. A
// round trip that Config.Timeout cut short means KurrentDB did not
// answer: ErrUnavailable.
func translate(ctx context.Context, what string, err error) error {
	for _, sentinel := range portErrors {
		if errors.Is(err, sentinel) {
			return err
		}
	}
	var timeout timeoutError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", what, ctx.Err())
	case errors.As(err, &timeout):
		return fmt.Errorf("%w: %s: %s", eventstore.ErrUnavailable, what, timeout)
	case isCode(err, esdb.ErrorCodeResourceNotFound):
		return fmt.Errorf("%s: %w", what, eventstore.ErrStreamNotFound)
	case transient(err):
		return fmt.Errorf("%w: %s: %v", eventstore.ErrUnavailable, what, err)
	}
	return fmt.Errorf("%s: %v", what, err)
}

// transient reports whether err says that KurrentDB could not be reached
// or did not answer in time, so that the call may be retried. A request
// stream that ends under the client's send (io.EOF, which the v4 client
// passes on without a code, instead of the status the stream ended with)
// is a connection cut mid-request: nothing was committed, since an append
// commits only once its request is complete.
func transient(err error) bool {
	if errors.Is(err, errClientGone) || errors.Is(err, io.EOF) {
		return true
	}
	var e *esdb.Error
	if errors.As(err, &e) {
		switch e.Code() {
		case esdb.ErrorUnavailable, esdb.ErrorCodeDeadlineExceeded, esdb.ErrorCodeNotLeader,
			esdb.ErrorCodeConnectionClosed, esdb.ErrorAborted:
			return true
		}
		return false
	}
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Aborted, codes.ResourceExhausted:
		return true
	}
	return false
}

// resubscribable reports whether a subscription that ended with err should
// be opened again: on a lost connection, or an end the server gave no
// reason for; not when access is denied or the request is refused.
func resubscribable(err error) bool {
	if transient(err) || isCode(err, esdb.ErrorCodeUnknown) {
		return true
	}
	switch status.Code(err) {
	case codes.Unknown, codes.Internal:
		return true
	}
	return false
}
