package feedhttp_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feedhttp"
)

const (
	registered = "customer.registered"
	purchased  = "customer.purchase_recorded"
)

func TestHistoryThenLiveWithNoGapAndNoDuplicate(t *testing.T) {
	r := newRig(t, feedhttp.Config{MaxBatch: 7})
	for i := range 20 {
		r.append(t, fmt.Sprintf("customer-%d", i%3), purchased)
	}
	c := r.open(t, "")
	history := c.events(t, 20)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 80 {
			r.append(t, fmt.Sprintf("customer-%d", i%5), registered)
		}
	}()
	live := c.events(t, 80)
	<-done
	want := make([]uint64, 100)
	for i := range want {
		want[i] = uint64(i + 1)
	}
	assert.Equal(t, want, positions(t, append(history, live...)))
	e := live[0].envelope(t)
	assert.Equal(t, registered, live[0].event)
	assert.Equal(t, registered, e.Type)
	assert.Equal(t, uint64(21), e.Position)
	assert.Equal(t, "customer-0", e.Stream)
	assert.JSONEq(t, `{"n":1}`, string(e.Data))
	assert.NotEqual(t, uuid.Nil, e.EventID)
}

func TestFilterByTypeAndStreamPrefix(t *testing.T) {
	r := newRig(t, feedhttp.Config{Types: []string{registered, purchased, "lead.captured"}})
	r.append(t, "customer-a", registered)  // 1
	r.append(t, "customer-a", purchased)   // 2
	r.append(t, "lead-x", "lead.captured") // 3
	r.append(t, "customer-b", registered)  // 4
	r.append(t, "customer-b", purchased)   // 5
	r.append(t, "campaign-1", "campaign.launched")
	tests := []struct {
		query string
		want  []uint64
	}{
		{"type=" + purchased, []uint64{2, 5}},
		{"type=" + purchased + "&type=lead.captured", []uint64{2, 3, 5}},
		{"type=" + purchased + ",%20lead.captured", []uint64{2, 3, 5}},
		{"stream_prefix=customer-b", []uint64{4, 5}},
		{"stream_prefix=customer-a&stream_prefix=lead-", []uint64{1, 2, 3}},
		{"stream_prefix=customer-&type=" + registered, []uint64{1, 4}},
		{"", []uint64{1, 2, 3, 4, 5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			c := r.open(t, tt.query)
			assert.Equal(t, tt.want, positions(t, c.events(t, len(tt.want))))
		})
	}
}

func TestResumeGivesExactlyTheEventsAfterThePosition(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		headers []string
		first   uint64
	}{
		{"from the start", "after=0", nil, 1},
		{"after", "after=4", nil, 5},
		{"Last-Event-ID", "", []string{"Last-Event-ID", "7"}, 8},
		{"Last-Event-ID wins over after", "after=2", []string{"Last-Event-ID", "9"}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, feedhttp.Config{})
			for range 10 {
				r.append(t, "customer-a", purchased)
			}
			c := r.open(t, tt.query, tt.headers...)
			got := positions(t, c.events(t, int(11-tt.first)))
			assert.Equal(t, tt.first, got[0])
			assert.Equal(t, uint64(10), got[len(got)-1])
			next := r.append(t, "customer-b", purchased)
			assert.Equal(t, []uint64{next}, positions(t, c.events(t, 1)), "then the live event, once")
		})
	}
}

func TestBadParametersAreProblems(t *testing.T) {
	r := newRig(t, feedhttp.Config{Types: []string{registered, purchased}})
	tests := []struct {
		name, method, query, lastEventID string
		status                           int
		detail                           []string
	}{
		{"after not a number", "GET", "after=abc", "", 400, []string{"query parameter after", `"abc"`, "unsigned integer"}},
		{"after negative", "GET", "after=-1", "", 400, []string{"query parameter after", "unsigned integer"}},
		{"after twice", "GET", "after=1&after=2", "", 400, []string{"query parameter after", "once"}},
		{"Last-Event-ID not a number", "GET", "", "x1", 400, []string{"header Last-Event-ID", `"x1"`, "global position"}},
		{"bad after even with Last-Event-ID", "GET", "after=z", "3", 400, []string{"query parameter after"}},
		{"empty type", "GET", "type=" + purchased + ",", "", 400, []string{"query parameter type", "must not be empty"}},
		{"unknown type", "GET", "type=customer.purchased", "", 400, []string{"query parameter type", `"customer.purchased"`, "not an event type", purchased}},
		{"empty stream prefix", "GET", "stream_prefix=", "", 400, []string{"query parameter stream_prefix", "must not be empty"}},
		{"unknown parameter", "GET", "types=" + purchased, "", 400, []string{"query parameter types", "unknown parameter"}},
		{"not GET", "POST", "", "", 405, []string{"GET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, r.server.URL+"/feed?"+tt.query, nil)
			require.NoError(t, err)
			if tt.lastEventID != "" {
				req.Header.Set("Last-Event-ID", tt.lastEventID)
			}
			resp, err := r.server.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, feedhttp.ProblemContentType, resp.Header.Get("Content-Type"))
			var p feedhttp.Problem
			require.NoError(t, json.Unmarshal(readAll(t, resp.Body), &p))
			assert.Equal(t, feedhttp.Problem{Type: "about:blank", Title: http.StatusText(tt.status), Status: tt.status, Detail: p.Detail}, p)
			for _, want := range tt.detail {
				assert.Contains(t, p.Detail, want)
			}
		})
	}
	assert.Zero(t, r.store.open.Load(), "no subscription for a bad request")
}

func TestClientDisconnectEndsTheSubscription(t *testing.T) {
	r := newRig(t, feedhttp.Config{})
	r.append(t, "customer-a", purchased)
	warm := r.open(t, "")
	warm.events(t, 1)
	warm.close()
	require.Eventually(t, func() bool { return r.store.open.Load() == 0 }, 5*time.Second, 5*time.Millisecond)
	before := settled()

	clients := make([]*client, 5)
	for i := range clients {
		clients[i] = r.open(t, "")
		clients[i].events(t, 1)
	}
	assert.EqualValues(t, 5, r.store.open.Load())
	for _, c := range clients {
		c.close()
	}
	require.Eventually(t, func() bool { return r.store.open.Load() == 0 }, 5*time.Second, 5*time.Millisecond,
		"every subscription closed")
	if !settlesTo(before) {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines did not settle back to %d:\n%s", before, buf[:runtime.Stack(buf, true)])
	}
}

// settlesTo reports whether the goroutine count falls to n within 5 s. It
// polls in the caller's goroutine: assert.Eventually would count its own.
func settlesTo(n int) bool {
	for range 500 {
		if runtime.NumGoroutine() <= n {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// settled returns the goroutine count once it stops changing.
func settled() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

func TestHeartbeatsWhileIdle(t *testing.T) {
	r := newRig(t, feedhttp.Config{Heartbeat: 20 * time.Millisecond, Retry: 1500 * time.Millisecond})
	c := r.open(t, "")
	first := <-c.msgs
	assert.Equal(t, 1500, first.retry, "the reconnection hint comes first")
	beats := 0
	timeout := time.After(5 * time.Second)
	for beats < 3 {
		select {
		case m := <-c.msgs:
			require.Equal(t, "keep-alive", m.comment)
			beats++
		case <-timeout:
			require.FailNow(t, "no heartbeat")
		}
	}
	r.append(t, "customer-a", purchased)
	assert.Equal(t, []uint64{1}, positions(t, c.events(t, 1)), "events still flow between heartbeats")
}

func TestCloseEndsStreamsAndRefusesNewOnes(t *testing.T) {
	r := newRig(t, feedhttp.Config{})
	c := r.open(t, "")
	r.handler.Close()
	c.ended(t)
	require.Eventually(t, func() bool { return r.store.open.Load() == 0 }, 5*time.Second, 5*time.Millisecond)
	resp, err := r.server.Client().Get(r.server.URL + "/feed")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, feedhttp.ProblemContentType, resp.Header.Get("Content-Type"))
}

func TestSubscribeFailureIsAProblem(t *testing.T) {
	r := newRig(t, feedhttp.Config{})
	require.NoError(t, r.store.Close())
	resp, err := r.server.Client().Get(r.server.URL + "/feed")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, feedhttp.ProblemContentType, resp.Header.Get("Content-Type"))
}

// TestSlowClientIsDisconnected sends more than the socket buffers hold to
// a client that never reads: the write deadline ends the stream instead
// of the server holding the rest.
func TestSlowClientIsDisconnected(t *testing.T) {
	logs := &lockedBuffer{}
	r := newRig(t, feedhttp.Config{WriteTimeout: 100 * time.Millisecond, MaxBatch: 4, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	big := eventstore.EventData{Type: purchased, SchemaVersion: 1, OccurredAt: time.Now(),
		Data: []byte(`"` + strings.Repeat("x", 256<<10) + `"`)}
	for range 64 { // 16 MiB, beyond a 4 MiB send buffer and a small receive buffer
		big.ID = uuid.New()
		_, err := r.store.Append(t.Context(), "customer-big", eventstore.Any, []eventstore.EventData{big})
		require.NoError(t, err)
	}
	conn, err := net.Dial("tcp", r.server.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.(*net.TCPConn).SetReadBuffer(4096))
	_, err = fmt.Fprintf(conn, "GET /feed HTTP/1.1\r\nHost: feed\r\n\r\n")
	require.NoError(t, err)
	status, err := bufio.NewReader(conn).ReadString('\n')
	require.NoError(t, err)
	require.Contains(t, status, "200")
	require.Eventually(t, func() bool { return r.store.open.Load() == 0 }, 10*time.Second, 10*time.Millisecond,
		"the stream ends while the client does not read")
	assert.Contains(t, logs.String(), "client too slow")
}

// lockedBuffer is a log sink safe for concurrent writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
