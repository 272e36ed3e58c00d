package amqp_test

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// proxy forwards TCP connections to a broker until it is broken: then it
// cuts every open connection and refuses new ones, as a network failure
// would, until it is repaired.
type proxy struct {
	target string
	ln     net.Listener
	mu     sync.Mutex
	broken bool
	conns  []net.Conn
}

// newProxy listens on a free port of 127.0.0.1 in front of the broker of
// brokerURL and returns the proxy and the URL that goes through it.
func newProxy(t testing.TB, brokerURL string) (*proxy, string) {
	u, err := url.Parse(brokerURL)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &proxy{target: u.Host, ln: ln}
	t.Cleanup(func() { _ = ln.Close(); p.cut() })
	go p.serve()
	u.Host = ln.Addr().String()
	return p, u.String()
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *proxy) forward(c net.Conn) {
	p.mu.Lock()
	broken := p.broken
	p.mu.Unlock()
	if broken {
		_ = c.Close()
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, up)
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
	_, _ = io.Copy(c, up)
	_ = c.Close()
}

// cut closes every forwarded connection.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// Break cuts the open connections and refuses new ones.
func (p *proxy) Break(testing.TB) {
	p.mu.Lock()
	p.broken = true
	p.mu.Unlock()
	p.cut()
}

// Repair accepts connections again.
func (p *proxy) Repair(testing.TB) {
	p.mu.Lock()
	p.broken = false
	p.mu.Unlock()
}
