package handlers_test

import (
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// proxy forwards TCP connections to the database and can cut them all, as a
// network failure between the app and the database would.
type proxy struct {
	ln      net.Listener
	network string
	target  string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]bool
}

// newProxy starts a proxy in front of a MongoDB URI and returns it with the
// URI to use instead.
func newProxy(t *testing.T, uri string) (*proxy, string) {
	t.Helper()
	rest, ok := strings.CutPrefix(uri, "mongodb://")
	if !ok {
		t.Skipf("proxy needs a mongodb:// URI, have %s", uri)
	}
	hostPart, tail, _ := strings.Cut(rest, "/")
	host, err := url.PathUnescape(hostPart)
	if err != nil || strings.Contains(host, "@") || strings.Contains(host, ",") {
		t.Skip("proxy needs a single host without credentials")
	}
	p := &proxy{network: "tcp", target: host, conns: map[net.Conn]bool{}}
	if strings.HasPrefix(host, "/") {
		p.network = "unix"
	}
	p.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.ln.Close(); p.cut() })
	go p.serve()
	return p, "mongodb://" + p.ln.Addr().String() + "/" + tail
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		up, err := net.Dial(p.network, p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.track(c, up)
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *proxy) track(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		p.conns[c] = true
	}
}

func (p *proxy) pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// cut drops every connection and refuses new ones until restore.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *proxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}
