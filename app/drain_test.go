package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"
)

// TestDrainingListenerServesQueuedConnections closes a listener while
// connections wait in the kernel's accept queue: each is still accepted and
// answered, where a plain Close would reset them.
func TestDrainingListenerServesQueuedConnections(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := newDrainingListener(inner, 100*time.Millisecond, 5*time.Second)
	const queued = 8
	var conns []net.Conn
	for i := range queued {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "report %d\n", i)
		conns = append(conns, c)
	}
	if err := ln.Close(); err != nil { // nothing accepted yet: all eight are queued
		t.Fatal(err)
	}
	start := time.Now()
	served := 0
	for {
		c, err := ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				t.Fatalf("the drain ended with %v, want net.ErrClosed", err)
			}
			break
		}
		line, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Fprintf(c, "ok %s", line)
		c.Close()
		served++
	}
	if served != queued {
		t.Fatalf("served %d of %d queued connections", served, queued)
	}
	for i, c := range conns {
		answer, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || answer != fmt.Sprintf("ok report %d\n", i) {
			t.Errorf("connection %d: %q, %v", i, answer, err)
		}
	}
	if _, err := net.Dial("tcp", inner.Addr().String()); err == nil {
		t.Error("the socket still accepts connections after the drain")
	}
	t.Logf("drained %d connections in %v", served, time.Since(start).Round(time.Millisecond))
}

// TestDrainingListenerStopsAtMost closes a listener nobody accepts from: the
// timer closes the socket all the same.
func TestDrainingListenerStopsAtMost(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := newDrainingListener(inner, 20*time.Millisecond, 50*time.Millisecond)
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ln.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
	for range 200 {
		c, err := net.Dial("tcp", inner.Addr().String())
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the socket was never closed")
}
