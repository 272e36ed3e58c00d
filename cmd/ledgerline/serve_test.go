package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/feedhttp"
)

// serveBackend opens the embedded store at db with its projections
// caught up, and serves its routes on a test server.
func serveBackend(t *testing.T, db string) (*backend, *httptest.Server) {
	t.Helper()
	opts := &options{db: db}
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	b, err := opts.open(t.Context(), log)
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	require.NoError(t, b.catchUp(t.Context()))
	feed := feedhttp.New(feedhttp.Config{Store: b.events, Types: b.catalogue.Types(), Logger: log})
	srv := httptest.NewServer(b.routes(feed))
	t.Cleanup(func() { feed.Close(); srv.Close() })
	return b, srv
}

func TestServeRoutes(t *testing.T) {
	db, _ := importForProjections(t)
	_, srv := serveBackend(t, db)
	tests := []struct {
		method, path string
		status       int
		contentType  string
		body         string // a fragment of the body
	}{
		{"GET", "/healthz", 200, "application/json", `"status":"ok"`},
		{"GET", "/api/customers/00004/history", 200, "application/json", `"source_id":"00004"`},
		{"GET", "/api/customers/00004/history?type=customer.purchase_recorded&limit=1", 200, "application/json", `"customer.purchase_recorded"`},
		{"GET", "/api/customers/00004/history?as_of=1997-01-01", 200, "application/json", `"customer.registered"`},
		{"GET", "/api/customers/99999999/history", 404, feedhttp.ProblemContentType, `no customer has the id or source id \"99999999\"`},
		{"GET", "/api/customers/00004/history?as_of=yesterday", 400, feedhttp.ProblemContentType, "query parameter as_of"},
		{"GET", "/api/customers/00004/history?limit=-1", 400, feedhttp.ProblemContentType, "query parameter limit"},
		{"GET", "/api/customers/00004/history?asof=1997-01-01", 400, feedhttp.ProblemContentType, "unknown parameter"},
		{"GET", "/feed?after=x", 400, feedhttp.ProblemContentType, "query parameter after"},
		{"GET", "/feed?type=nope", 400, feedhttp.ProblemContentType, "not an event type"},
		{"POST", "/feed", 405, feedhttp.ProblemContentType, `"status":405`},
		{"GET", "/nowhere", 404, feedhttp.ProblemContentType, "no resource at GET /nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode, string(body))
			assert.Equal(t, tt.contentType, resp.Header.Get("Content-Type"))
			assert.Contains(t, string(body), tt.body)
		})
	}
}

func TestServeHistoryMatchesTheCLI(t *testing.T) {
	db, _ := importForProjections(t)
	_, srv := serveBackend(t, db)
	resp, err := srv.Client().Get(srv.URL + "/api/customers/00004/history?as_of=1997-06-30")
	require.NoError(t, err)
	defer resp.Body.Close()
	var api historyResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&api))
	out, code := cli(t, "--db", db, "history", "00004", "--as-of", "1997-06-30", "--json")
	require.Equal(t, exitOK, code, out)
	var fromCLI historyResponse
	require.NoError(t, json.Unmarshal([]byte(out), &fromCLI))
	assert.Equal(t, fromCLI, api)
	assert.NotEmpty(t, api.Entries)
}

func TestServeHealthIsAProblemWhenTheStoreIsDown(t *testing.T) {
	b, srv := serveBackend(t, filepath.Join(t.TempDir(), "empty.db"))
	require.NoError(t, b.events.Close())
	resp, err := srv.Client().Get(srv.URL + "/healthz")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	var p feedhttp.Problem
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	assert.Equal(t, feedhttp.NewProblem(http.StatusServiceUnavailable, "the event store does not answer"), p)
}

// TestServeStopsCleanlyWithAnOpenFeed runs the serve command, holds a
// feed stream open, cancels the command's context (what SIGTERM does) and
// expects the stream to end and the command to return without an error.
func TestServeStopsCleanlyWithAnOpenFeed(t *testing.T) {
	t.Setenv("LEDGERLINE_STORE", "")
	t.Setenv("LEDGERLINE_READMODELS", "")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	root := newRoot()
	out, announced := io.Pipe()
	root.SetOut(announced)
	root.SetErr(io.Discard)
	root.SetArgs([]string{"--db", filepath.Join(t.TempDir(), "serve.db"), "serve", "--listen", "127.0.0.1:0", "--json"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	var addr struct{ Address string }
	require.NoError(t, json.NewDecoder(out).Decode(&addr))

	resp, err := http.Get("http://" + addr.Address + "/feed")
	require.NoError(t, err)
	defer resp.Body.Close()
	hint, err := bufio.NewReader(resp.Body).ReadString('\n')
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(hint, "retry: "), hint)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		require.FailNow(t, "serve did not stop")
	}
	_, err = io.ReadAll(resp.Body)
	assert.NoError(t, err, "the stream ended cleanly")
}
