package handlers

import (
	"io"
	"net"
	"sync/atomic"
	"time"
)

// A request refused before its body was read (413: over the body limit)
// leaves the rest of the body on its way. Closing the connection then
// makes the kernel answer what still arrives with a reset, which can
// reach the client before it reads the answer: a phone sees "connection
// reset" instead of 413, and its outbox retries forever. As nginx's
// lingering close does, such a connection stops sending, reads and drops
// what the client still sends for a moment, and only then closes.
const (
	lingerFor = 3 * time.Second
	lingerMax = 64 << 20 // bytes read and dropped at most
)

// Listener wraps the server's listener so that connections answered
// before their request was read close gently.
func Listener(ln net.Listener) net.Listener { return lingerListener{ln} }

type lingerListener struct{ net.Listener }

func (l lingerListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &lingerConn{Conn: c}, nil
}

// lingerConn closes at once unless linger was called.
type lingerConn struct {
	net.Conn
	linger atomic.Bool
}

// lingerer is a connection that can be asked to close gently.
type lingerer interface{ lingerOnClose() }

func (c *lingerConn) lingerOnClose() { c.linger.Store(true) }

func (c *lingerConn) Close() error {
	hc, ok := c.Conn.(interface{ CloseWrite() error })
	if !c.linger.Load() || !ok {
		return c.Conn.Close()
	}
	go func() {
		_ = hc.CloseWrite()
		_ = c.Conn.SetReadDeadline(time.Now().Add(lingerFor))
		_, _ = io.CopyN(io.Discard, c.Conn, lingerMax)
		_ = c.Conn.Close()
	}()
	return nil
}
