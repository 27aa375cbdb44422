package main

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// TestTrustedProxiesConfig: addresses and CIDRs are taken, anything else
// refused at start.
func TestTrustedProxiesConfig(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  []string
		err   string
	}{
		{"", nil, ""},
		{"172.30.80.0/24, 10.0.0.5", []string{"172.30.80.0/24", "10.0.0.5"}, ""},
		{"caddy", nil, `"caddy" is neither an address nor a CIDR`},
	} {
		c, _, err := loadConfig([]string{"-trusted-proxies", tc.value})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v", tc.value, err)
			}
			continue
		}
		if err != nil || !slices.Equal(c.Proxies, tc.want) {
			t.Errorf("%q: %v, %v", tc.value, c, err)
		}
	}
}

// TestWebhookNetworks: reminders reach public addresses and the internal
// networks listed in TIANBAO_WEBHOOK_NETWORKS, never other internal ones;
// anything but addresses and CIDRs is refused at start.
func TestWebhookNetworks(t *testing.T) {
	c, _, err := loadConfig([]string{"-webhook-networks", "10.20.0.0/16, 127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	dial := webhookDialable(c.HookNets)
	for addr, want := range map[string]bool{
		"10.20.3.4": true, "127.0.0.1": true, "::ffff:127.0.0.1": true, "1.1.1.1": true,
		"10.21.0.1": false, "127.0.0.2": false, "192.168.1.1": false, "169.254.169.254": false,
	} {
		if got := dial(netip.MustParseAddr(addr)); got != want {
			t.Errorf("%s: dialable %v, want %v", addr, got, want)
		}
	}
	if dial := webhookDialable(nil); dial(netip.MustParseAddr("127.0.0.1")) || !dial(netip.MustParseAddr("1.1.1.1")) {
		t.Error("without networks only public addresses are dialable")
	}
	if _, _, err := loadConfig([]string{"-webhook-networks", "intranet"}); err == nil || !strings.Contains(err.Error(), `"intranet" is neither an address nor a CIDR`) {
		t.Errorf("a name: %v", err)
	}
}

// TestPublicURLConfig: the address links in channel messages point at must
// be a web address; empty leaves the links out.
func TestPublicURLConfig(t *testing.T) {
	for value, ok := range map[string]bool{"": true, "https://tianbao.example.edu.cn": true, "tianbao.example.edu.cn": false, "javascript:alert(1)": false} {
		c, _, err := loadConfig([]string{"-public-url", value})
		if ok != (err == nil) || ok && c.PublicURL != value {
			t.Errorf("%q: %v", value, err)
		}
	}
}
