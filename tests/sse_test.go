package tests

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/eventstore/embedded"
	pgstore "github.com/ledgerline/ledgerline/eventstore/postgres"
	"github.com/ledgerline/ledgerline/eventstore/postgres/pgtest"
)

// TestFeedResumesWithoutGapOrDuplicateEmbedded runs the feed scenario on
// the embedded store: serve and the import are two processes on one file.
func TestFeedResumesWithoutGapOrDuplicateEmbedded(t *testing.T) {
	db := t.TempDir() + "/ll.db"
	feedScenario(t, []string{"--db", db}, func(ctx context.Context) (eventstore.Store, error) {
		return embedded.Open(ctx, db, embedded.Config{})
	})
}

// TestFeedResumesWithoutGapOrDuplicatePostgres runs it on PostgreSQL; it
// skips loudly without a server (fails under CI=true).
func TestFeedResumesWithoutGapOrDuplicatePostgres(t *testing.T) {
	dsn := pgtest.Database(t)
	feedScenario(t, []string{"--store", dsn}, func(ctx context.Context) (eventstore.Store, error) {
		return pgstore.Open(ctx, dsn, pgstore.Config{})
	})
}

// feedScenario starts `ledgerline serve`, imports the CDNOW sample while
// it runs, reads /feed with a plain HTTP client, disconnects after some
// events, resumes with Last-Event-ID and checks that the two reads are
// exactly the log, in order. A filtered stream is still open when SIGTERM
// arrives: the server must end it and exit 0 within seconds.
func feedScenario(t *testing.T, flags []string, openLog func(context.Context) (eventstore.Store, error)) {
	base := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	srv := startServe(t, flags, strings.TrimPrefix(base, "http://"))
	imported, bin := make(chan result, 1), cli(t)
	go func() { imported <- runCLI(bin, flags, "import", "cdnow", sampleFile, "--json") }()

	first := openFeed(t, base+"/feed", "")
	head := first.take(t, 3000)
	first.close()
	var sum importSummary
	r := <-imported
	require.Zero(t, r.code, r.stderr)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &sum), r.stdout)
	rest := openFeed(t, base+"/feed", strconv.FormatUint(head[len(head)-1].Position, 10)).until(t, sum.LastPosition)

	purchases := openFeed(t, base+"/feed?type=customer.purchase_recorded&stream_prefix=customer-", "")
	bought := purchases.take(t, 6919)
	stopServe(t, srv)
	purchases.ended(t)

	log := storedLog(t, openLog)
	assert.Equal(t, ids(log, nil), ids(append(head, rest...), nil), "disconnect and resume give the whole log once, in order")
	isPurchase := func(typ string) bool { return typ == "customer.purchase_recorded" }
	assert.Equal(t, ids(log, isPurchase), ids(bought, nil), "the filtered feed gives exactly the purchases")
}

// serveProcess is a running `ledgerline serve`.
type serveProcess struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	exited chan error
}

// startServe starts serve on addr and waits until /healthz answers 200.
func startServe(t *testing.T, flags []string, addr string) *serveProcess {
	t.Helper()
	cmd := exec.Command(cli(t), append(flags, "--log-level", "info", "serve", "--listen", addr, "--heartbeat", "1s")...)
	p := &serveProcess{cmd: cmd, stderr: &bytes.Buffer{}, exited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	require.NoError(t, cmd.Start())
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.exited
		}
	})
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 15*time.Second, 50*time.Millisecond, "serve did not become healthy")
	return p
}

// stopServe sends SIGTERM and expects exit code 0 within five seconds.
func stopServe(t *testing.T, p *serveProcess) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-p.exited:
		require.NoError(t, err, "serve exits 0 on SIGTERM; its log:\n%s", p.stderr)
	case <-time.After(5 * time.Second):
		require.FailNow(t, "serve did not exit within 5 s of SIGTERM", "log:\n%s", p.stderr)
	}
	assert.Contains(t, p.stderr.String(), `reason=shutdown`, "the open stream was ended by the shutdown")
}

// runCLI runs the CLI to completion; safe to call from any goroutine.
func runCLI(bin string, flags []string, args ...string) result {
	cmd := exec.Command(bin, append(flags, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		code, errOut = -1, *bytes.NewBufferString(err.Error())
	}
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// storedLog opens the store after serve has exited and reads its log.
func storedLog(t *testing.T, open func(context.Context) (eventstore.Store, error)) []envelope {
	t.Helper()
	store, err := open(t.Context())
	require.NoError(t, err)
	defer store.Close()
	var out []envelope
	for _, r := range readLog(t, t.Context(), store) {
		out = append(out, envelope{EventID: r.ID, Type: r.Type, Position: r.Position})
	}
	return out
}

// envelope is the part of a feed event's data the scenario checks.
type envelope struct {
	EventID  uuid.UUID `json:"event_id"`
	Type     string    `json:"type"`
	Position uint64    `json:"position"`
}

// sseMessage is one event of the feed as a plain client parses it.
type sseMessage struct {
	id, event, data string
}

// feedStream is an open GET /feed, parsed in the background.
type feedStream struct {
	resp *http.Response
	msgs chan sseMessage
	done chan struct{}
}

// openFeed requests url, with a Last-Event-ID header unless lastID is
// empty.
func openFeed(t *testing.T, url, lastID string) *feedStream {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	require.NoError(t, err)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	s := &feedStream{resp: resp, msgs: make(chan sseMessage, 256), done: make(chan struct{})}
	go s.parse()
	t.Cleanup(s.close)
	return s
}

// parse reads the SSE body into s.msgs, events only, until it ends.
func (s *feedStream) parse() {
	defer close(s.msgs)
	sc := bufio.NewScanner(s.resp.Body)
	sc.Buffer(nil, 1<<20)
	var m sseMessage
	for sc.Scan() {
		field, value, _ := strings.Cut(sc.Text(), ": ")
		switch field {
		case "id":
			m.id = value
		case "event":
			m.event = value
		case "data":
			m.data = value
		case "":
			if m.id != "" {
				select {
				case s.msgs <- m:
				case <-s.done:
					return
				}
			}
			m = sseMessage{}
		}
	}
}

// next returns the next event, failing t if the stream ends or stalls.
func (s *feedStream) next(t *testing.T) envelope {
	t.Helper()
	select {
	case m, ok := <-s.msgs:
		require.True(t, ok, "the feed ended early")
		var e envelope
		require.NoError(t, json.Unmarshal([]byte(m.data), &e), m.data)
		require.Equal(t, m.id, strconv.FormatUint(e.Position, 10), "the SSE id is the position")
		require.Equal(t, m.event, e.Type, "the SSE event is the type")
		return e
	case <-time.After(30 * time.Second):
		require.FailNow(t, "the feed stalled")
		return envelope{}
	}
}

// take returns the next n events.
func (s *feedStream) take(t *testing.T, n int) []envelope {
	t.Helper()
	out := make([]envelope, 0, n)
	for len(out) < n {
		out = append(out, s.next(t))
	}
	return out
}

// until returns the events up to the one at position last.
func (s *feedStream) until(t *testing.T, last uint64) []envelope {
	t.Helper()
	var out []envelope
	for len(out) == 0 || out[len(out)-1].Position < last {
		out = append(out, s.next(t))
	}
	return out
}

// close disconnects.
func (s *feedStream) close() {
	select {
	case <-s.done:
	default:
		close(s.done)
	}
	_ = s.resp.Body.Close()
}

// ended waits for the server to end the stream.
func (s *feedStream) ended(t *testing.T) {
	t.Helper()
	for {
		select {
		case _, ok := <-s.msgs:
			if !ok {
				return
			}
		case <-time.After(5 * time.Second):
			require.FailNow(t, "the server did not end the stream")
		}
	}
}

// ids lists the event ids of evs, in order, keeping those whose type
// keep accepts (all when keep is nil).
func ids(evs []envelope, keep func(typ string) bool) []string {
	var out []string
	for _, e := range evs {
		if keep == nil || keep(e.Type) {
			out = append(out, fmt.Sprintf("%d:%s", e.Position, e.EventID))
		}
	}
	return out
}
