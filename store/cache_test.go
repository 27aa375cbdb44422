package store

import (
	"testing"
	"time"
	"unsafe"
)

// A key made from a buffer that is later reused (as fasthttp reuses its
// request buffers) must keep meaning what it meant when it was stored.
func TestCacheCopiesKeys(t *testing.T) {
	c := NewCache[string](time.Minute, 10, nil)
	buf := []byte("adhoc-aaaaaa")
	c.Put(unsafe.String(&buf[0], len(buf)), "drive A")
	copy(buf, "adhoc-bbbbbb")
	if v, ok := c.Get("adhoc-aaaaaa"); !ok || v != "drive A" {
		t.Fatalf("Get(adhoc-aaaaaa) = %q, %v after the key's buffer was reused", v, ok)
	}
	if v, ok := c.Get("adhoc-bbbbbb"); ok {
		t.Fatalf("Get(adhoc-bbbbbb) = %q: the reused buffer's new content found another key's value", v)
	}
}
