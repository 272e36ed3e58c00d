package feedhttp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/memory"
	"github.com/ledgerline/ledgerline/projections/feed"
	"github.com/ledgerline/ledgerline/projections/feedhttp"
)

// countingStore counts the subscriptions that are open, so that a test
// sees the handler close every one it opened.
type countingStore struct {
	eventstore.Store
	open atomic.Int64
}

func (c *countingStore) Subscribe(ctx context.Context, opts eventstore.SubscribeOptions) (eventstore.Subscription, error) {
	sub, err := c.Store.Subscribe(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.open.Add(1)
	return &countedSub{Subscription: sub, open: &c.open}, nil
}

type countedSub struct {
	eventstore.Subscription
	open *atomic.Int64
	once sync.Once
}

func (s *countedSub) Close() error {
	s.once.Do(func() { s.open.Add(-1) })
	return s.Subscription.Close()
}

// rig is a feed handler over an in-memory store behind a test server.
type rig struct {
	store   *countingStore
	handler *feedhttp.Handler
	server  *httptest.Server
}

func newRig(t *testing.T, cfg feedhttp.Config) *rig {
	t.Helper()
	r := &rig{store: &countingStore{Store: memory.New(nil)}}
	cfg.Store = r.store
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	r.handler = feedhttp.New(cfg)
	r.server = httptest.NewServer(r.handler)
	t.Cleanup(func() {
		r.handler.Close()
		r.server.Close()
		require.NoError(t, r.store.Close())
	})
	return r
}

// append stores one event of typ in stream and returns its position.
func (r *rig) append(t *testing.T, stream, typ string) uint64 {
	t.Helper()
	ev := eventstore.EventData{ID: uuid.New(), Type: typ, SchemaVersion: 1, Data: []byte(`{"n":1}`),
		OccurredAt: time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)}
	res, err := r.store.Append(t.Context(), stream, eventstore.Any, []eventstore.EventData{ev})
	require.NoError(t, err)
	return res.LastPosition
}

// message is one server-sent event, or a comment when comment is set.
type message struct {
	id, event, data, comment string
	retry                    int
}

// position is the message's id as a global position.
func (m message) position(t *testing.T) uint64 {
	t.Helper()
	p, err := strconv.ParseUint(m.id, 10, 64)
	require.NoError(t, err, "id %q", m.id)
	return p
}

// envelope decodes the message's data.
func (m message) envelope(t *testing.T) feed.Envelope {
	t.Helper()
	var e feed.Envelope
	require.NoError(t, json.Unmarshal([]byte(m.data), &e), m.data)
	return e
}

// client is an open feed response read message by message.
type client struct {
	resp   *http.Response
	msgs   chan message
	cancel context.CancelFunc
}

// open requests the feed at query with headers (pairs of name, value) and
// fails t unless it answers 200 with an event stream.
func (r *rig) open(t *testing.T, query string, headers ...string) *client {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.server.URL+"/feed?"+query, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := r.server.Client().Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	c := &client{resp: resp, msgs: make(chan message, 1024), cancel: cancel}
	go c.read()
	t.Cleanup(c.close)
	return c
}

func (c *client) close() {
	c.cancel()
	_ = c.resp.Body.Close()
}

// read parses the SSE body into c.msgs until it ends.
func (c *client) read() {
	defer close(c.msgs)
	sc := bufio.NewScanner(c.resp.Body)
	sc.Buffer(nil, 1<<20)
	var m message
	for sc.Scan() {
		line := sc.Text()
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			if line == "" {
				c.msgs <- m
				m = message{}
			} else {
				m.comment = value
			}
		case "id":
			m.id = value
		case "event":
			m.event = value
		case "data":
			m.data = value
		case "retry":
			m.retry, _ = strconv.Atoi(value)
		}
	}
}

// events returns the next n events, skipping comments and hints.
func (c *client) events(t *testing.T, n int) []message {
	t.Helper()
	var out []message
	timeout := time.After(10 * time.Second)
	for len(out) < n {
		select {
		case m, ok := <-c.msgs:
			require.True(t, ok, "stream ended after %d of %d events", len(out), n)
			if m.id != "" {
				out = append(out, m)
			}
		case <-timeout:
			require.FailNow(t, "timeout", "got %d of %d events", len(out), n)
		}
	}
	return out
}

// ended waits until the stream ends, skipping what is left.
func (c *client) ended(t *testing.T) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-c.msgs:
			if !ok {
				return
			}
		case <-timeout:
			require.FailNow(t, "the stream did not end")
		}
	}
}

// positions returns the messages' ids as positions.
func positions(t *testing.T, msgs []message) []uint64 {
	t.Helper()
	out := make([]uint64, len(msgs))
	for i, m := range msgs {
		out[i] = m.position(t)
	}
	return out
}

// readAll drains body, for problem responses.
func readAll(t *testing.T, body io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(body)
	require.NoError(t, err)
	return b
}
