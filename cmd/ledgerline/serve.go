package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/ledgerline/ledgerline/eventstore"
	"github.com/ledgerline/ledgerline/projections/feedhttp"
	"github.com/ledgerline/ledgerline/projections/timeline"
)

type serveFlags struct {
	listen          string
	heartbeat       time.Duration
	shutdownTimeout time.Duration
}

func newServe(opts *options) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the event feed for services (server-sent events), health and customer history over HTTP",
		Long: `Serve HTTP while keeping the read models up to date (the projections run in this process).

  GET /feed                              the event log as server-sent events: history, then live
                                         ?type=T (repeatable or comma-separated) &stream_prefix=P
                                         (repeatable) &after=POSITION; the Last-Event-ID header
                                         (a global position) resumes after that event
  GET /healthz                           200 when the event store answers, else 503
  GET /api/customers/CUSTOMER/history    a customer's timeline as JSON (uuid or source id;
                                         ?as_of= &known_at= &type= &channel= &limit=)

Errors are RFC 9457 problem bodies (application/problem+json). SIGINT or SIGTERM stops
accepting connections, ends the feed streams (clients resume with Last-Event-ID), waits up
to --shutdown-timeout for requests in flight and for the projections to stop, and exits 0.

The history is read from the read models this process keeps up to date: it may trail the
log by the projection lag (see ledgerline projections status).

There is no authentication or role check yet (a later issue adds them): listen on a loopback
or private address only.`,
		Example: "  ledgerline serve\n  ledgerline serve --listen 127.0.0.1:9000 --log-level info\n" +
			"  curl -N 'http://127.0.0.1:8080/feed?type=customer.purchase_recorded'",
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, opts, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to listen on, host:port (port 0 picks a free one)")
	fl.DurationVar(&f.heartbeat, "heartbeat", feedhttp.DefaultHeartbeat, "idle time after which the feed sends a keep-alive comment")
	fl.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long shutdown waits for requests in flight")
	return cmd
}

func runServe(cmd *cobra.Command, opts *options, f serveFlags) error {
	ctx, log := cmd.Context(), opts.logger(cmd.ErrOrStderr())
	b, err := opts.open(ctx, log)
	if err != nil {
		return err
	}
	defer b.Close()
	rt, err := b.runtime()
	if err != nil {
		return err
	}
	if err := rt.Migrate(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.listen, err)
	}
	feed := feedhttp.New(feedhttp.Config{Store: b.events, Types: b.catalogue.Types(), Heartbeat: f.heartbeat, Logger: log})
	srv := &http.Server{Handler: b.routes(feed), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	srv.RegisterOnShutdown(feed.Close)
	if err := announce(cmd, opts, ln.Addr()); err != nil {
		return errors.Join(err, ln.Close())
	}
	log.Info("serving", "address", ln.Addr().String(), "store", b.location)
	return serveUntilDone(ctx, srv, ln, rt.Run, f.shutdownTimeout, log)
}

// announce tells the user (or a script, with --json) where serve listens.
func announce(cmd *cobra.Command, opts *options, addr net.Addr) error {
	if opts.json {
		return printJSON(cmd.OutOrStdout(), map[string]string{"address": addr.String()})
	}
	_, err := fmt.Fprintf(cmd.OutOrStdout(), "ledgerline serving on http://%s (feed: /feed, health: /healthz)\n", addr)
	return err
}

// errProjectionsStopped means the projection runtime returned while serve
// was still running.
var errProjectionsStopped = errors.New("projections stopped")

// serveUntilDone serves ln and runs the projections until ctx is done or
// either fails, then shuts the server down within timeout and waits for
// the projections to return.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, project func(context.Context) error,
	timeout time.Duration, log *slog.Logger) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		err := project(ctx)
		if ctx.Err() == nil {
			return errors.Join(errProjectionsStopped, err)
		}
		return ignoreCanceled(err)
	})
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve http: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		log.Info("shutting down", "timeout", timeout)
		return shutdown(srv, timeout)
	})
	err := g.Wait()
	log.Info("stopped", "err", err)
	return err
}

// shutdown stops srv gracefully within timeout, then forcibly.
func shutdown(srv *http.Server, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return errors.Join(fmt.Errorf("shut down http server: %w", err), srv.Close())
	}
	return nil
}

// routes returns serve's HTTP API.
func (b *backend) routes(feed http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/feed", feed) // the feed answers other methods itself
	mux.HandleFunc("GET /healthz", b.serveHealth)
	mux.HandleFunc("GET /api/customers/{ref}/history", b.serveHistory)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		feedhttp.NewProblem(http.StatusNotFound, fmt.Sprintf("no resource at %s %s; see ledgerline serve --help", r.Method, r.URL.Path)).Write(w)
	})
	return mux
}

// healthTimeout bounds the store check of /healthz.
const healthTimeout = 2 * time.Second

// serveHealth answers 200 when the event store answers a read.
func (b *backend) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if _, err := b.events.ReadAll(ctx, eventstore.ReadAllOptions{Limit: 1}); err != nil {
		b.log.Warn("health check: event store", "err", err)
		feedhttp.NewProblem(http.StatusServiceUnavailable, "the event store does not answer").Write(w)
		return
	}
	writeJSON(w, b.log, map[string]string{"status": "ok"})
}

// historyResponse is what GET /api/customers/{ref}/history returns, the
// shape of `history --json`.
type historyResponse struct {
	Customer timeline.Customer `json:"customer"`
	Entries  []timeline.Entry  `json:"entries"`
}

// serveHistory answers a customer's timeline.
func (b *backend) serveHistory(w http.ResponseWriter, r *http.Request) {
	filter, err := historyFilter(r)
	if err != nil {
		feedhttp.NewProblem(http.StatusBadRequest, err.Error()).Write(w)
		return
	}
	c, err := timeline.FindCustomer(r.Context(), b.models, r.PathValue("ref"))
	if err != nil {
		b.lookupFailed(w, r.PathValue("ref"), err)
		return
	}
	filter.Customer = c.ID
	entries, err := timeline.Query(r.Context(), b.models, filter)
	if err != nil {
		b.internalError(w, "query timeline", err)
		return
	}
	writeJSON(w, b.log, historyResponse{Customer: c, Entries: append([]timeline.Entry{}, entries...)})
}

// lookupFailed answers a failed FindCustomer of ref.
func (b *backend) lookupFailed(w http.ResponseWriter, ref string, err error) {
	switch {
	case errors.Is(err, timeline.ErrCustomerNotFound):
		feedhttp.NewProblem(http.StatusNotFound, fmt.Sprintf("no customer has the id or source id %q", ref)).Write(w)
	case errors.Is(err, timeline.ErrAmbiguous):
		feedhttp.NewProblem(http.StatusBadRequest, err.Error()).Write(w)
	default:
		b.internalError(w, "find customer", err)
	}
}

// historyFilter reads the query parameters of a history request.
func historyFilter(r *http.Request) (timeline.Filter, error) {
	var f timeline.Filter
	for name, values := range r.URL.Query() {
		var err error
		switch name {
		case "type":
			f.Types = splitValues(values)
		case "channel":
			f.Channels = splitValues(values)
		case "as_of":
			f.AsOf, err = queryTime(name, values[0])
		case "known_at":
			f.KnownAt, err = queryTime(name, values[0])
		case "limit":
			f.Limit, err = queryLimit(values[0])
		default:
			err = fmt.Errorf("query parameter %s: unknown parameter; want as_of, known_at, type, channel or limit", name)
		}
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

// splitValues reads a repeatable, comma-separated parameter.
func splitValues(values []string) []string {
	var out []string
	for _, v := range values {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func queryTime(name, v string) (time.Time, error) {
	t, err := parseTime(name, v)
	if err != nil {
		return t, fmt.Errorf("query parameter %s %q: want RFC 3339 (2025-03-01T12:00:00Z) or a date (2025-03-01, the end of that day, UTC)", name, v)
	}
	return t, nil
}

func queryLimit(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("query parameter limit %q: want a count, 0 or more (0: all)", v)
	}
	return n, nil
}

// internalError logs err and answers 500 without its details.
func (b *backend) internalError(w http.ResponseWriter, what string, err error) {
	b.log.Error("http: "+what, "err", err)
	feedhttp.NewProblem(http.StatusInternalServerError, what+" failed; see the server log").Write(w)
}

// writeJSON answers 200 with v as JSON.
func writeJSON(w http.ResponseWriter, log *slog.Logger, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Warn("http: write response", "err", err)
	}
}
