package feedhttp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/eventstore"
)

// Config wires a [Handler]. Store is required; the zero value of every
// other field is usable.
type Config struct {
	// Store is the event store the feed reads.
	Store eventstore.Store
	// Types, when not empty, are the event types a client may ask for;
	// another type is a bad parameter rather than a feed that stays
	// silent forever.
	Types []string
	// Heartbeat is the idle time after which a keep-alive comment is
	// sent; 0 means DefaultHeartbeat.
	Heartbeat time.Duration
	// Retry is the reconnection delay suggested to clients; 0 means
	// DefaultRetry.
	Retry time.Duration
	// WriteTimeout bounds how long one write (a batch of events or a
	// heartbeat) may block on a slow client before the stream ends; 0
	// means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// MaxBatch caps the events read and flushed at once; 0 means
	// [eventstore.DefaultMaxBatch].
	MaxBatch int
	// Logger receives one line per stream; nil means slog.Default().
	Logger *slog.Logger
}

// Defaults of [Config].
const (
	DefaultHeartbeat    = 15 * time.Second
	DefaultRetry        = 2 * time.Second
	DefaultWriteTimeout = 10 * time.Second
)

func (c Config) withDefaults() Config {
	if c.Heartbeat <= 0 {
		c.Heartbeat = DefaultHeartbeat
	}
	if c.Retry <= 0 {
		c.Retry = DefaultRetry
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// errShutdown ends the streams open when the handler is closed.
var errShutdown = errors.New("feed: server shutting down")

// Handler serves GET /feed. It is safe for concurrent use. Create it with
// New.
type Handler struct {
	cfg    Config
	closed chan struct{}
	once   sync.Once
}

// New returns a handler over cfg.Store.
func New(cfg Config) *Handler {
	return &Handler{cfg: cfg.withDefaults(), closed: make(chan struct{})}
}

// Close ends every open stream and refuses new ones with 503. Register it
// with [http.Server.RegisterOnShutdown]: Shutdown does not end requests
// that never finish by themselves. Close is idempotent.
func (h *Handler) Close() {
	h.once.Do(func() { close(h.closed) })
}

// ServeHTTP implements [http.Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		NewProblem(http.StatusMethodNotAllowed, "the feed is read with GET").Write(w)
		return
	}
	req, err := parse(r, h.cfg.Types)
	if err != nil {
		NewProblem(http.StatusBadRequest, err.Error()).Write(w)
		return
	}
	select {
	case <-h.closed:
		NewProblem(http.StatusServiceUnavailable, "the server is shutting down; retry on another instance or later").Write(w)
		return
	default:
	}
	h.serve(w, r, req)
}

// serve opens the subscription and streams it until the end, then logs
// why it ended.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, req request) {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	sub, err := h.cfg.Store.Subscribe(ctx, eventstore.SubscribeOptions{After: req.after, Filter: req.filter, MaxBatch: h.cfg.MaxBatch})
	if err != nil {
		h.cfg.Logger.Error("feed: subscribe", "after", req.after, "err", err)
		NewProblem(http.StatusServiceUnavailable, "the event store cannot be read now; retry later").Write(w)
		return
	}
	defer sub.Close()
	s := &stream{cfg: h.cfg, w: w, rc: http.NewResponseController(w), last: req.after}
	err = s.run(ctx, sub, h.closed)
	why, level := reason(err)
	h.cfg.Logger.Log(ctx, level, "feed stream ended", "remote", r.RemoteAddr, "after", req.after, "last", s.last,
		"events", s.sent, "types", req.filter.Types, "stream_prefixes", req.filter.StreamPrefixes, "reason", why)
}

// reason says why a stream ended, and how loudly to log it.
func reason(err error) (string, slog.Level) {
	switch {
	case errors.Is(err, errShutdown):
		return "shutdown", slog.LevelInfo
	case errors.Is(err, context.Canceled):
		return "client gone", slog.LevelInfo
	case errors.Is(err, errWrite) && errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Sprintf("client too slow: %v", err), slog.LevelWarn
	case errors.Is(err, errWrite):
		return fmt.Sprintf("client gone: %v", err), slog.LevelInfo
	default:
		return fmt.Sprintf("store: %v", err), slog.LevelError
	}
}
